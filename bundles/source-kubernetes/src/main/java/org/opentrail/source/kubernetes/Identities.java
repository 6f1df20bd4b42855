package org.opentrail.source.kubernetes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code userIdentity} of an audit entry, from Kubernetes' <a
 * href="https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.30/#userinfo-v1-authentication-k8s-io">UserInfo</a>
 * {@code user} (who authenticated) and {@code impersonatedUser} (whom they acted as).
 *
 * <ul>
 *   <li>{@code userName} = {@code user.username}: the authenticated caller, also when they
 *       impersonate someone, so {@code LookupEvents User=<caller>} finds everything they did;
 *   <li>{@code principalId} = {@code user.uid} if present (a service account's UID, an OIDC
 *       subject); absent otherwise;
 *   <li>{@code type}: {@code kubernetes-service-account} ({@code
 *       system:serviceaccount:<ns>:<name>}), {@code kubernetes-node} ({@code system:node:<name>}),
 *       {@code kubernetes-anonymous} ({@code system:anonymous}), {@code kubernetes-system} (any
 *       other {@code system:} user: control plane components), else {@code kubernetes-user}; <a
 *       href="https://kubernetes.io/docs/reference/access-authn-authz/authentication/">Kubernetes'
 *       reserved user names</a>;
 *   <li>{@code sessionContext}: {@code groups} and {@code extra} as Kubernetes gives them, and
 *       {@code impersonatedUser} (its {@code username}, {@code uid}, {@code groups}, {@code extra})
 *       when the request impersonated another identity, as ActionTrail keeps an assumed identity's
 *       session beside the caller.
 * </ul>
 *
 * There is no {@code accessKeyId} (Kubernetes has no access keys) and no {@code accountId}; neither
 * is invented.
 */
final class Identities {
  private Identities() {}

  static Map<String, Object> userIdentity(Map<String, Object> user, Object impersonated) {
    Map<String, Object> id = new LinkedHashMap<>();
    String username = AuditJson.string(user, "username");
    if (username != null) {
      id.put("type", type(username));
    }
    String uid = AuditJson.string(user, "uid");
    if (uid != null && !uid.isEmpty()) {
      id.put("principalId", uid);
    }
    if (username != null) {
      id.put("userName", AuditEntries.lookupValue(username));
    }
    Map<String, Object> session = new LinkedHashMap<>();
    if (user != null) {
      copy(user, "groups", session);
      copy(user, "extra", session);
    }
    if (impersonated != null) {
      session.put("impersonatedUser", impersonated);
    }
    if (!session.isEmpty()) {
      id.put("sessionContext", session);
    }
    return id;
  }

  /** The identity type of a Kubernetes user name. */
  static String type(String username) {
    if (username.startsWith("system:serviceaccount:")) {
      return "kubernetes-service-account";
    }
    if (username.startsWith("system:node:")) {
      return "kubernetes-node";
    }
    if (username.equals("system:anonymous")) {
      return "kubernetes-anonymous";
    }
    if (username.startsWith("system:")) {
      return "kubernetes-system";
    }
    return "kubernetes-user";
  }

  private static void copy(Map<String, Object> from, String key, Map<String, Object> to) {
    Object v = from.get(key);
    if (v != null) {
      to.put(key, v);
    }
  }
}
