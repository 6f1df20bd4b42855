package org.opentrail.auth;

import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;

/** RAM's error codes and HTTP statuses, in one place. */
final class RamErrors {
  private RamErrors() {}

  /** {@code EntityNotExist.<entity>} (404), e.g. {@code EntityNotExist.User}. */
  static OpenTrailException notExist(String entity, String name) {
    return new OpenTrailException(
        "EntityNotExist." + entity,
        "The " + describe(entity) + " '" + clip(name) + "' does not exist.",
        404);
  }

  /** {@code EntityAlreadyExists.<entity>} (409). */
  static OpenTrailException alreadyExists(String entity, String name) {
    return new OpenTrailException(
        "EntityAlreadyExists." + entity,
        "The " + describe(entity) + " '" + clip(name) + "' already exists.",
        409);
  }

  /** {@code DeleteConflict.<what>} (409). */
  static OpenTrailException deleteConflict(String what, String message) {
    return new OpenTrailException("DeleteConflict." + what, message, 409);
  }

  /** {@code InvalidParameter.<parameter>} (400). */
  static InvalidParameterException invalid(String parameter, String message) {
    return new InvalidParameterException("InvalidParameter." + parameter, parameter, message);
  }

  /** {@code MalformedPolicyDocument} (400). */
  static OpenTrailException malformedPolicy(String message) {
    return new OpenTrailException(
        "MalformedPolicyDocument", "The policy document is malformed: " + message, 400);
  }

  /** A server-side failure to keep a change (500); the change did not happen. */
  static OpenTrailException storeFailed(String what, Exception cause) {
    return new OpenTrailException(
        "InternalError",
        "Could not store the change (" + what + "); nothing was changed: " + cause.getMessage(),
        500,
        cause);
  }

  /** Text from a caller, shortened to quote it safely in a message. */
  static String clip(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > 64 ? b + "..." : b.toString();
  }

  private static String describe(String entity) {
    return switch (entity) {
      case "User.Policy" -> "policy attachment of user";
      case "Role.Policy" -> "policy attachment of role";
      case "AccessKey" -> "access key";
      default -> entity.toLowerCase(java.util.Locale.ROOT);
    };
  }
}
