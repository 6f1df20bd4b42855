package org.opentrail.recorder;

/**
 * Why one event of a batch is not stored: the code of its first problem and a message naming every
 * problem it has, so that a client fixes them all at once.
 */
final class EventRejected extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;

  EventRejected(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  String code() {
    return code;
  }

  /** One event's problems, gathered in field order. */
  static final class Problems {
    private String code;
    private final StringBuilder message = new StringBuilder();
    private int count;

    void add(EventRejected p) {
      if (code == null) {
        code = p.code();
      }
      if (count > 0) {
        message.append(' ');
      }
      message.append(p.getMessage());
      count++;
    }

    boolean any() {
      return count > 0;
    }

    /** All problems as one rejection: the first one's code, every message in order. */
    EventRejected rejection() {
      return new EventRejected(
          code, count == 1 ? message.toString() : count + " problems: " + message);
    }
  }

  static EventRejected missing(String field) {
    return new EventRejected("MissingField", "The event has no " + field + ".");
  }

  static EventRejected type(String field, String expected) {
    return new EventRejected(
        "InvalidFieldType", "The field " + field + " must be " + expected + ".");
  }

  static EventRejected value(String field, String rule) {
    return new EventRejected("InvalidFieldValue", "The field " + field + " " + rule + ".");
  }
}
