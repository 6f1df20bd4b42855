package org.opentrail.api;

/** A request parameter is missing, malformed or out of range; the message names the parameter. */
public class InvalidParameterException extends OpenTrailException {
  private static final long serialVersionUID = 1L;

  private final String parameter;

  public InvalidParameterException(String parameter, String message) {
    this("InvalidParameter", parameter, message);
  }

  public InvalidParameterException(String code, String parameter, String message) {
    super(code, message, 400);
    this.parameter = parameter;
  }

  /** Creates the error for a required parameter that was not given. */
  public static InvalidParameterException missing(String parameter) {
    return new InvalidParameterException(
        "MissingParameter", parameter, "The parameter " + parameter + " is required.");
  }

  /** The name of the offending parameter, as the caller spelled it (e.g. {@code MaxResults}). */
  public String parameter() {
    return parameter;
  }
}
