package org.opentrail.source.kubernetes;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes credentials from what is stored: query parameters of {@code requestURI}, and Secret data
 * and known secret fields of the request and response objects an operator chose to keep.
 *
 * <p>Kubernetes' own guidance is to audit Secrets, ConfigMaps and TokenReviews at the Metadata
 * level only, since their bodies hold credentials (<a
 * href="https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy">audit
 * policy</a>); this keeps that promise when a policy logs them anyway. What is redacted becomes
 * {@value #REDACTED}; keys stay, so the audit still says which entries were written:
 *
 * <ul>
 *   <li>in a Secret (resource {@code secrets}, or an object of kind {@code Secret}/{@code
 *       SecretList}): every value of {@code data} and {@code stringData}, the {@code
 *       kubectl.kubernetes.io/last-applied-configuration} annotation (kubectl copies the whole
 *       Secret into it), and every {@code value} of a JSON patch;
 *   <li>anywhere: string values of the fields {@link #SECRET_FIELDS} (a TokenReview's {@code
 *       spec.token}, a TokenRequest's {@code status.token}, kubeconfig-style {@code
 *       client-key-data}, passwords), and the {@code value} of a container {@code env} entry whose
 *       name says it holds a secret ({@link #SECRET_ENV}).
 * </ul>
 *
 * ConfigMap data is not redacted: Kubernetes does not treat it as secret; audit ConfigMaps at the
 * Metadata level if yours hold credentials.
 */
final class Redaction {
  static final String REDACTED = "<redacted>";

  /** Field names (lower case) whose string values are credentials wherever they appear. */
  static final Set<String> SECRET_FIELDS =
      Set.of(
          "token",
          "password",
          "passwd",
          "bearertoken",
          "client-key-data",
          "clientkeydata",
          "privatekey",
          "private-key",
          "private_key",
          "clientsecret",
          "client_secret",
          "secretaccesskey",
          "secret_access_key",
          "secretkey",
          "apikey",
          "api_key",
          "api-key");

  /** Names of environment variables whose values are credentials. */
  static final Pattern SECRET_ENV =
      Pattern.compile("(?i).*(password|passwd|secret|token|api_?key|credential|private_?key).*");

  /** Query parameters (lower case) that carry credentials. */
  static final Set<String> SECRET_QUERY =
      Set.of(
          "token",
          "access_token",
          "id_token",
          "refresh_token",
          "password",
          "passwd",
          "secret",
          "client_secret",
          "api_key",
          "apikey",
          "authorization",
          "x-amz-signature",
          "x-amz-security-token",
          "x-goog-signature",
          "signature",
          "sig");

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private Redaction() {}

  /** {@code uri} with the values of credential query parameters replaced. */
  static String requestUri(String uri) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri;
    }
    StringBuilder b = new StringBuilder(uri.length()).append(uri, 0, q + 1);
    int start = q + 1;
    boolean changed = false;
    while (start <= uri.length()) {
      int end = uri.indexOf('&', start);
      if (end < 0) {
        end = uri.length();
      }
      String param = uri.substring(start, end);
      int eq = param.indexOf('=');
      String name = eq < 0 ? param : param.substring(0, eq);
      if (eq >= 0 && SECRET_QUERY.contains(decode(name).toLowerCase(Locale.ROOT))) {
        b.append(name).append('=').append(REDACTED);
        changed = true;
      } else {
        b.append(param);
      }
      if (end < uri.length()) {
        b.append('&');
      }
      start = end + 1;
    }
    return changed ? b.toString() : uri;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  /**
   * Redacts a kept request or response object in place.
   *
   * @param secrets whether the request is on the core resource {@code secrets}
   */
  static void object(Object value, boolean secrets) {
    if (value instanceof Map<?, ?> m) {
      Object kind = m.get("kind");
      boolean secret = secrets || "Secret".equals(kind) || "SecretList".equals(kind);
      if (secret) {
        secretObject(m);
      }
      walk(m);
    } else if (value instanceof List<?> l) {
      if (secrets) {
        for (Object op : l) { // a JSON patch (RFC 6902) on a Secret
          if (op instanceof Map<?, ?> o && o.containsKey("value")) {
            put(o, "value", REDACTED);
          }
        }
      }
      walk(l);
    }
  }

  private static void secretObject(Map<?, ?> m) {
    for (String field : List.of("data", "stringData")) {
      if (m.get(field) instanceof Map<?, ?> data) {
        for (Map.Entry<?, ?> e : data.entrySet()) {
          if (e.getValue() != null) {
            put(data, e.getKey(), REDACTED);
          }
        }
      } else if (m.get(field) != null) {
        put(m, field, REDACTED);
      }
    }
    if (m.get("metadata") instanceof Map<?, ?> meta
        && meta.get("annotations") instanceof Map<?, ?> ann
        && ann.containsKey(LAST_APPLIED)) {
      put(ann, LAST_APPLIED, REDACTED);
    }
    if (m.get("items") instanceof List<?> items) {
      for (Object item : items) {
        if (item instanceof Map<?, ?> i) {
          secretObject(i);
        }
      }
    }
  }

  private static void walk(Object value) {
    if (value instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Object v = e.getValue();
        String key = String.valueOf(e.getKey());
        if (v instanceof String && SECRET_FIELDS.contains(key.toLowerCase(Locale.ROOT))) {
          put(m, e.getKey(), REDACTED);
        } else if ("env".equals(key) && v instanceof List<?> env) {
          for (Object var : env) {
            if (var instanceof Map<?, ?> ev
                && ev.get("name") instanceof String name
                && ev.get("value") instanceof String
                && SECRET_ENV.matcher(name).matches()) {
              put(ev, "value", REDACTED);
            }
          }
          walk(v);
        } else {
          walk(v);
        }
      }
    } else if (value instanceof List<?> l) {
      for (Object v : l) {
        walk(v);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void put(Map<?, ?> m, Object key, Object value) {
    ((Map<Object, Object>) m).put(key, value);
  }
}
