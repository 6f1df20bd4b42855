package org.opentrail.logservice;

import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;

/**
 * Errors in Log Service's shape (Log Service API reference, "Error codes"): a status and an {@code
 * errorCode}/{@code errorMessage} pair. OpenTrail's own codes are renamed where Log Service has its
 * own name for the same thing: {@code InvalidParameter}/{@code MissingParameter} are {@code
 * ParameterInvalid} (400), a RAM refusal ({@code Forbidden.RAM}) is {@code Unauthorized} (401).
 */
final class LogErrors {
  private static final Map<String, String> RENAMED =
      Map.of(
          "InvalidParameter", "ParameterInvalid",
          "MissingParameter", "ParameterInvalid",
          "Forbidden.RAM", "Unauthorized");

  private LogErrors() {}

  static OpenTrailException invalid(String message) {
    return new OpenTrailException("ParameterInvalid", message, 400);
  }

  static OpenTrailException projectNotExist(String project) {
    return new OpenTrailException(
        "ProjectNotExist",
        project == null
            ? "The request names no project: send it to <project>.<endpoint> (Host header)."
            : "The project " + LogRequest.printable(project, 64) + " does not exist.",
        404);
  }

  /** The same error in Log Service's words. */
  static OpenTrailException asLogService(OpenTrailException e) {
    String renamed = RENAMED.get(e.code());
    if (renamed == null && !(e instanceof InvalidParameterException)) {
      return e;
    }
    String code = renamed != null ? renamed : "ParameterInvalid";
    int status = code.equals("Unauthorized") ? 401 : e.httpStatus();
    String message = e.getMessage();
    if (code.equals("Unauthorized") && e.code().equals("Forbidden.RAM")) {
      message =
          "denied by sts or ram: "
              + (message == null ? "" : message.replace("User not authorized", "not authorized"));
    }
    return new OpenTrailException(code, message, status);
  }
}
