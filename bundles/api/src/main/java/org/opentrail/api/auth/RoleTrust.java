package org.opentrail.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * ActionTrail's delivery to another account: a trail delivers into a resource of another account
 * (its bucket, logstore, ...) only through a role of that account ({@code OssWriteRoleArn}, {@code
 * SlsWriteRoleArn}, ...) whose trust policy lets ActionTrail act for the trail's account:
 *
 * <pre>{"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
 *   "Principal": {"Service": ["&lt;trail account id&gt;@actiontrail.aliyuncs.com"]}}],
 *  "Version": "1"}</pre>
 *
 * An explicit Deny for that principal wins; for the role's own account, {@code
 * actiontrail.aliyuncs.com} without an account id is trusted too.
 *
 * @since 1.2
 */
@ProviderType
public interface RoleTrust {
  /** The service principal of ActionTrail. */
  String SERVICE = "actiontrail.aliyuncs.com";

  /**
   * Why ActionTrail, delivering for {@code trailAccountId}, may not assume {@code roleArn}, or
   * {@code null} if it may. The answer names the role as the trail's account wrote it and never
   * tells another account's roles or policies beyond "does not exist or does not trust".
   *
   * @param roleArn {@code acs:ram::<accountId>:role/<roleName>}
   */
  String refusal(String roleArn, String trailAccountId);

  /** The account of a role ARN, or {@code null} if it is not {@code acs:ram::<id>:role/<name>}. */
  static String accountOf(String roleArn) {
    if (roleArn == null) {
      return null;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("acs:ram::([0-9]{12,16}):role/([A-Za-z0-9._-]{1,64})")
            .matcher(roleArn);
    return m.matches() ? m.group(1) : null;
  }
}
