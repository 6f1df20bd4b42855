package org.opentrail.store.journal;

/**
 * Consulted by the journal's writer thread, in order, for every event it is about to append, so
 * that an eventId is stored once per account even when duplicates arrive concurrently.
 */
public interface DuplicateCheck {
  /** Called before a group of events is checked. */
  void groupStarted();

  /** The sequence number of an already-stored event with the same key, or -1. */
  long existing(PreparedEvent event);

  /** The event will be appended with {@code sequence}. */
  void accepted(PreparedEvent event, long sequence);

  /** The group's write failed: forget what {@link #accepted} was told since it started. */
  void groupFailed();

  /** Called after a group was made durable (or failed). */
  void groupEnded();
}
