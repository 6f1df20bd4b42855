package org.opentrail.recorder;

/** Why one event of a batch is not stored: a code and a sentence naming the field. */
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
