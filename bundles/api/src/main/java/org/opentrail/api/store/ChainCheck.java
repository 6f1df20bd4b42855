package org.opentrail.api.store;

import java.util.List;

/**
 * What {@link EventStore#checkChain} found.
 *
 * @param stream the stream
 * @param end the chain value recomputed at the last sequence checked (the one asked for, or the
 *     stream's last if it has fewer)
 * @param events records hashed
 * @param bytes record bytes hashed
 * @param breaks every range that does not prove itself, oldest first; empty if all do
 * @since 1.3
 */
public record ChainCheck(
    String stream, ChainHead end, long events, long bytes, List<ChainBreak> breaks) {
  public ChainCheck {
    breaks = List.copyOf(breaks);
  }

  /** True if every record checked proves itself. */
  public boolean intact() {
    return breaks.isEmpty();
  }
}
