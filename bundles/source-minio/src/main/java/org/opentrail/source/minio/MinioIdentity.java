package org.opentrail.source.minio;

import static org.opentrail.api.event.EventFields.IDENTITY_ACCESS_KEY_ID;
import static org.opentrail.api.event.EventFields.IDENTITY_TYPE;
import static org.opentrail.api.event.EventFields.IDENTITY_USER_NAME;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code userIdentity} of an audit entry. MinIO names who called in {@code accessKey} (the key
 * the request was signed with, once the signature is verified), {@code parentUser} (the user a
 * service account or temporary credential belongs to) and {@code requestClaims} (the claims of the
 * session token of temporary STS credentials); both fields were added in February 2023 (minio/minio
 * #16572), before that only the claims and the signed request itself say who called.
 *
 * <ul>
 *   <li>{@code accessKeyId}: {@code accessKey}, else the claims' {@code accessKey}; for an entry
 *       without either whose request succeeded ({@code statusCode} 2xx or 3xx, so MinIO verified
 *       its signature), the access key of its SigV4/SigV2 {@code Authorization} header or presigned
 *       query, noted as {@code additionalEventData.accessKeyIdFrom}.
 *   <li>{@code type}: {@code assumed-role} with claims (temporary credentials), {@code ram-user}
 *       with a key and no claims (a MinIO user, the root user, or a service account of {@code
 *       parentUser}); without a key: {@code anonymous} when the request carried no credential at
 *       all, {@code system} for a service-internal operation, else {@code unknown} (a refused
 *       signature).
 *   <li>{@code userName}: {@code parentUser}, else for temporary credentials the claims' {@code
 *       parent}, else the access key (a MinIO user is named by its access key); absent if none.
 * </ul>
 */
final class MinioIdentity {
  private MinioIdentity() {}

  /**
   * @param notes where identity facts without an identity field go (to additionalEventData)
   */
  static Map<String, Object> of(AuditEntry e, boolean internal, Map<String, Object> notes) {
    Map<String, Object> id = new LinkedHashMap<>(4);
    Map<String, Object> claims = e.requestClaims;
    boolean temporary = claims != null && !claims.isEmpty();
    String key = e.accessKey;
    if (key == null && temporary) {
      key = string(claims.get("accessKey"));
    }
    if (key == null && !internal && e.statusCode >= 200 && e.statusCode < 400) {
      key = signedKey(e, notes);
    }
    if (key != null) {
      id.put(IDENTITY_TYPE, temporary ? "assumed-role" : "ram-user");
      String user =
          e.parentUser != null ? e.parentUser : temporary ? string(claims.get("parent")) : key;
      MinioEvents.putIf(id, IDENTITY_USER_NAME, user);
      id.put(IDENTITY_ACCESS_KEY_ID, key);
    } else {
      id.put(IDENTITY_TYPE, internal ? "system" : credentialSent(e) ? "unknown" : "anonymous");
      MinioEvents.putIf(notes, "parentUser", e.parentUser);
    }
    return id;
  }

  /** The access key a request was signed with, from its header or presigned query. */
  private static String signedKey(AuditEntry e, Map<String, Object> notes) {
    String auth = string(lookup(e.requestHeader, "Authorization"));
    String key = null;
    if (auth != null) {
      int c = auth.indexOf("Credential=");
      if (auth.regionMatches(true, 0, "AWS4-", 0, 5) && c > 0) {
        int end = auth.indexOf('/', c);
        key = end > 0 ? auth.substring(c + "Credential=".length(), end) : null;
      } else if (auth.regionMatches(true, 0, "AWS ", 0, 4)) {
        int colon = auth.lastIndexOf(':');
        key = colon > 4 ? auth.substring(4, colon).strip() : null;
      }
      if (key != null && !key.isEmpty()) {
        notes.put("accessKeyIdFrom", "requestHeader.Authorization");
        return key;
      }
    }
    String credential = string(lookup(e.requestQuery, "X-Amz-Credential"));
    if (credential != null && credential.indexOf('/') > 0) {
      notes.put("accessKeyIdFrom", "requestQuery.X-Amz-Credential");
      return credential.substring(0, credential.indexOf('/'));
    }
    String v2 = string(lookup(e.requestQuery, "AWSAccessKeyId"));
    if (v2 != null) {
      notes.put("accessKeyIdFrom", "requestQuery.AWSAccessKeyId");
    }
    return v2;
  }

  /**
   * Whether the request carried any credential: false only when its headers are known and hold no
   * {@code Authorization} or session token, and its query no presigned-URL or STS identity
   * parameter (MinIO has logged {@code requestQuery} since its first audit format, 2018, and omits
   * it only when empty).
   */
  private static boolean credentialSent(AuditEntry e) {
    if (e.requestHeader == null) {
      return true; // unknown: not claimed anonymous
    }
    return lookup(e.requestHeader, "Authorization") != null
        || lookup(e.requestHeader, "X-Amz-Security-Token") != null
        || lookup(e.requestQuery, "X-Amz-Credential") != null
        || lookup(e.requestQuery, "X-Amz-Signature") != null
        || lookup(e.requestQuery, "X-Amz-Security-Token") != null
        || lookup(e.requestQuery, "AWSAccessKeyId") != null
        || lookup(e.requestQuery, "Signature") != null
        || lookup(e.requestQuery, "WebIdentityToken") != null
        || lookup(e.requestQuery, "LDAPUsername") != null
        || lookup(e.requestQuery, "Token") != null;
  }

  /**
   * A map's value by name, exact first, then ignoring case (MinIO canonicalizes; shippers may not).
   */
  private static Object lookup(Map<String, Object> m, String name) {
    if (m == null) {
      return null;
    }
    Object v = m.get(name);
    if (v != null) {
      return v;
    }
    for (Map.Entry<String, Object> x : m.entrySet()) {
      if (x.getKey().equalsIgnoreCase(name)) {
        return x.getValue();
      }
    }
    return null;
  }

  private static String string(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : null;
  }
}
