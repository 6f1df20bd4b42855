package org.opentrail.store.journal;

import java.io.IOException;
import org.opentrail.api.store.DamagedRange;

/** The event asked for is in a damaged range of the journal: it cannot be read. */
public final class DamagedEventsException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient DamagedRange range;

  DamagedEventsException(DamagedRange range) {
    super("events " + range.span() + " are damaged in the journal: " + range.reason());
    this.range = range;
  }

  /** The damaged range holding the event; readers in sequence order go on after its end. */
  public DamagedRange range() {
    return range;
  }
}
