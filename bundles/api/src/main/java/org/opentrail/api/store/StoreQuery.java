package org.opentrail.api.store;

import java.util.List;
import java.util.Objects;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;

/**
 * A lookup the store runs: one account's events in a stream with eventTime in [fromMillis,
 * toMillis], matching every attribute, ordered by (eventTime, sequence) in {@code direction},
 * strictly after {@code after} when given, at most {@code limit}.
 */
public record StoreQuery(
    String stream,
    String accountId,
    long fromMillis,
    long toMillis,
    List<LookupAttribute> attributes,
    Direction direction,
    Position after,
    int limit) {
  public StoreQuery {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(direction, "direction");
    attributes = List.copyOf(attributes);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
  }
}
