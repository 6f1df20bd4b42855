package org.opentrail.api.query;

import org.opentrail.api.InvalidParameterException;

/** The order LookupEvents answers in. */
public enum Direction {
  /** Newest first (ActionTrail's default). */
  BACKWARD,
  /** Oldest first. */
  FORWARD;

  /** Parses ActionTrail's {@code Direction} parameter. */
  public static Direction parse(String value) {
    for (Direction d : values()) {
      if (d.name().equals(value)) {
        return d;
      }
    }
    throw new InvalidParameterException(
        "Direction", "The parameter Direction must be BACKWARD or FORWARD, not '" + value + "'.");
  }
}
