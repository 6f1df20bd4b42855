package org.opentrail.store;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the embedded event store (PID {@code org.opentrail.store}). */
@ObjectClassDefinition(
    name = "OpenTrail embedded event store",
    description = "Journal, lookup index and retention of the event history and logstores.")
public @interface StoreConfig {
  String PID = "org.opentrail.store";

  @AttributeDefinition(description = "Directory of the store; empty means <opentrail.data>/store.")
  String directory() default "";

  @AttributeDefinition(
      description =
          "Days events stay in the event history, counted from their eventTime (1 to 3650).")
  int history_retention_days() default 90;

  @AttributeDefinition(
      description = "Longest delay, in milliseconds, before a new event is visible to lookups.")
  int index_refresh_millis() default 250;

  @AttributeDefinition(
      description =
          "Seconds between index commits; a crash re-indexes at most this much of the journal.")
  int index_commit_seconds() default 5;

  @AttributeDefinition(
      description =
          "Most events recording may run ahead of the index (0: no bound). Beyond it acknowledgements wait for"
              + " the index; the bound also bounds the heap kept for de-duplicating not yet indexed events.")
  long index_max_lag_events() default 1_000_000;

  @AttributeDefinition(
      description = "Megabytes of heap each index partition buffers before writing a segment.")
  int index_ram_buffer_megabytes() default 32;

  @AttributeDefinition(
      description = "Size, in megabytes, at which a journal segment is sealed and a new one begun.")
  int journal_segment_megabytes() default 128;

  @AttributeDefinition(
      description = "Uncompressed kilobytes of events compressed together in a journal block.")
  int journal_block_kilobytes() default 64;

  @AttributeDefinition(
      description =
          "zstd level the journal compresses events at (0 stores them uncompressed, 1 to 19).")
  int journal_compression_level() default 3;

  @AttributeDefinition(
      description =
          "Events sampled to train the zstd dictionary events are then compressed with one by"
              + " one, so a lookup reads only the events it returns; sampled after each start and"
              + " at the first new journal segment a day (0: compress whole blocks only).")
  int journal_dictionary_samples() default 20_000;

  @AttributeDefinition(
      description =
          "Megabytes that must stay free on the store's file system: below it recording is refused"
              + " (ServiceUnavailable.StorageFull) so the index, cursors and status can still be"
              + " written; recording resumes by itself when space returns. 0 turns the check off.")
  int free_space_floor_megabytes() default 256;

  @AttributeDefinition(description = "Minutes between retention runs.")
  int retention_check_minutes() default 60;
}
