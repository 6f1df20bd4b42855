package org.opentrail.api.store;

import java.util.Objects;

/**
 * What a stream is.
 *
 * @param name lowercase letters, digits, {@code _} and {@code -}, 1 to 96 characters (96 since 1.4)
 * @param retentionDays how long events are kept, counted from their eventTime
 * @param writeProtected true if only OpenTrail's own delivery may write it (a logstore users read)
 */
public record StreamSpec(String name, int retentionDays, boolean writeProtected) {
  public StreamSpec {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z0-9][a-z0-9_-]{0,95}")) {
      throw new IllegalArgumentException(
          "A stream name is 1 to 96 lowercase letters, digits, '_' or '-': " + name);
    }
    if (retentionDays < 1 || retentionDays > 3650) {
      throw new IllegalArgumentException("retentionDays must be 1 to 3650: " + retentionDays);
    }
  }
}
