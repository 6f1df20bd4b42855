package org.opentrail.store.journal;

import java.io.IOException;
import org.opentrail.api.store.DamagedRange;

/** The event asked for is in a damaged range of the journal: it cannot be read. */
public final class DamagedEventsException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient DamagedRange range;
  private final long resumeAt;

  DamagedEventsException(DamagedRange range, long resumeAt) {
    super("events " + range.span() + " are damaged in the journal: " + range.reason());
    this.range = range;
    this.resumeAt = resumeAt;
  }

  /**
   * The next sequence a reader in sequence order should try: the next restored event of the range,
   * or the first sequence after it.
   */
  public long resumeAt() {
    return resumeAt;
  }

  /** The damaged range holding the event; readers in sequence order go on after its end. */
  public DamagedRange range() {
    return range;
  }
}
