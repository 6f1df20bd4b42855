package org.opentrail.internal.apicommon;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.event.EventFields;

/**
 * The {@code userIdentity} of an API call's audit event, as ActionTrail writes it: the caller's
 * type, account, principal id (the account for root), access key, user name ({@code root} for the
 * account's root) and ARN; for a caller that could not be authenticated, {@code unknown} and the
 * access key it named, if any. Never a secret or a signature.
 */
public final class AuditIdentity {
  private AuditIdentity() {}

  /**
   * @param p the authenticated caller, or {@code null}
   * @param namedKey the access key id the request named (printable), used when {@code p} is null
   */
  public static Map<String, Object> of(Principal p, String namedKey) {
    Map<String, Object> id = new LinkedHashMap<>();
    if (p == null) {
      id.put(EventFields.IDENTITY_TYPE, "unknown");
      if (namedKey != null) {
        id.put(EventFields.IDENTITY_ACCESS_KEY_ID, namedKey);
      }
      return id;
    }
    id.put(EventFields.IDENTITY_TYPE, p.identityType());
    if (p.type() == Principal.Type.ROOT) {
      id.put(EventFields.IDENTITY_PRINCIPAL_ID, p.accountId());
    }
    id.put(EventFields.IDENTITY_ACCOUNT_ID, p.accountId());
    if (p.accessKeyId() != null) {
      id.put(EventFields.IDENTITY_ACCESS_KEY_ID, p.accessKeyId());
    }
    if (p.userName() != null) {
      id.put(EventFields.IDENTITY_USER_NAME, p.userName());
    } else if (p.type() == Principal.Type.ROOT) {
      id.put(EventFields.IDENTITY_USER_NAME, "root"); // as ActionTrail names the root account
    }
    id.put("arn", p.arn());
    return id;
  }
}
