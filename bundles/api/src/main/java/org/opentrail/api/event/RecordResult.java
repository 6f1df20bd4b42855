package org.opentrail.api.event;

import java.util.List;

/** The per-event answer to a batch, in batch order. */
public record RecordResult(List<EventOutcome> outcomes) {
  public RecordResult {
    outcomes = List.copyOf(outcomes);
  }

  public long accepted() {
    return outcomes.stream().filter(o -> o.status() == EventOutcome.Status.ACCEPTED).count();
  }

  public long duplicates() {
    return outcomes.stream().filter(o -> o.status() == EventOutcome.Status.DUPLICATE).count();
  }

  /** Service-internal operations not collected: the account has no enabled inner trail. */
  public long notCollected() {
    return outcomes.stream().filter(o -> o.status() == EventOutcome.Status.NOT_COLLECTED).count();
  }

  public long rejected() {
    return outcomes.stream().filter(o -> o.status() == EventOutcome.Status.REJECTED).count();
  }
}
