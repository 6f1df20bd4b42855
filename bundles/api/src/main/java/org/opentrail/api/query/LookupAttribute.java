package org.opentrail.api.query;

import java.util.Objects;
import org.opentrail.api.event.LookupKey;

/** One lookup condition: events whose attribute {@code key} has exactly {@code value}. */
public record LookupAttribute(LookupKey key, String value) {
  public LookupAttribute {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
