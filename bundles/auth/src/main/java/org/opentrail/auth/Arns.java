package org.opentrail.auth;

import java.util.Locale;

/**
 * Resource names: {@code acs:<service>:<region>:<account>:<relative id>}. The service is compared
 * without regard to case (as in RAM), the rest exactly.
 */
final class Arns {
  private Arns() {}

  /** The account field, or {@code null} if {@code arn} is not an {@code acs:} resource name. */
  static String account(String arn) {
    if (arn == null || !arn.startsWith("acs:")) {
      return null;
    }
    int service = arn.indexOf(':', 4);
    int region = service < 0 ? -1 : arn.indexOf(':', service + 1);
    int account = region < 0 ? -1 : arn.indexOf(':', region + 1);
    return account < 0 ? null : arn.substring(region + 1, account);
  }

  /** The resource name (or pattern) with its service field in lower case. */
  static String normalize(String arn) {
    if (!arn.startsWith("acs:")) {
      return arn;
    }
    int end = arn.indexOf(':', 4);
    if (end < 0) {
      end = arn.length();
    }
    String service = arn.substring(4, end);
    String lower = service.toLowerCase(Locale.ROOT);
    return lower.equals(service) ? arn : "acs:" + lower + arn.substring(end);
  }
}
