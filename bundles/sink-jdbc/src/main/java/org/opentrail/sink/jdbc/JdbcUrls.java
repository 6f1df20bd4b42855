package org.opentrail.sink.jdbc;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;

/**
 * JDBC URLs ({@code jdbc:<subprotocol>:<rest>}): their checks and their normal form for a
 * destination's resource name. The normal form has no parameters (so no credentials), a lower-case
 * scheme and host and, for PostgreSQL, the default port 5432 and host localhost spelled out
 * (pgjdbc's documented defaults for {@code jdbc:postgresql:db} and {@code
 * jdbc:postgresql://host/db}).
 */
final class JdbcUrls {
  private static final Pattern URL = Pattern.compile("jdbc:([a-zA-Z0-9]+):(.+)", Pattern.DOTALL);
  private static final Pattern SECRET_PARAM =
      Pattern.compile("(?i)(^|[?&;:])(password|passwd|pwd|secret)\\s*=");
  private static final Pattern PG =
      Pattern.compile("//([^/?]*)(?:/([^?]*))?(?:\\?.*)?", Pattern.DOTALL);

  private JdbcUrls() {}

  /**
   * Checks a URL given under {@code key}; the URL itself is never put in the message, as a user may
   * have typed a secret into it.
   *
   * @throws InvalidParameterException if it is not {@code jdbc:<subprotocol>:...}, has control
   *     characters, or carries a password (which belongs in the {@code password} key, stored
   *     encrypted)
   */
  static void check(String key, String url) {
    if (url.length() > 1024 || !URL.matcher(url).matches() || url.chars().anyMatch(c -> c < 0x20)) {
      throw new InvalidParameterException(
          key,
          "The jdbc sink's "
              + key
              + " must be a JDBC URL of at most 1024 characters, jdbc:<driver>:<database>, e.g. jdbc:postgresql://db.example.com:5432/audit.");
    }
    if (SECRET_PARAM.matcher(url).find() || hasUserInfo(url)) {
      throw new InvalidParameterException(
          key,
          "The jdbc sink's "
              + key
              + " must not carry a password: give it in the password key, which is stored encrypted and never shown.");
    }
  }

  private static boolean hasUserInfo(String url) {
    int slashes = url.indexOf("//");
    if (slashes < 0) {
      return false;
    }
    int end = url.length();
    for (char c : new char[] {'/', '?', ';'}) {
      int i = url.indexOf(c, slashes + 2);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return url.substring(slashes + 2, end).contains("@");
  }

  /** The subprotocol, lower case: {@code postgresql} for {@code jdbc:postgresql://...}. */
  static String subprotocol(String url) {
    Matcher m = URL.matcher(url);
    return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : "";
  }

  static boolean isPostgres(String url) {
    return subprotocol(url).equals("postgresql");
  }

  /**
   * The normal form: {@code jdbc:postgresql://<host>:<port>[,<host>:<port>...]/<database>} for
   * PostgreSQL; for other drivers the URL up to its first {@code ?} or {@code ;} with the scheme
   * and the host part after {@code //} in lower case.
   */
  static String normalise(String url) {
    Matcher m = URL.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a JDBC URL");
    }
    String sub = m.group(1).toLowerCase(Locale.ROOT);
    String rest = m.group(2);
    if (sub.equals("postgresql")) {
      Matcher pg = PG.matcher(rest);
      String hosts;
      String db;
      if (pg.matches()) {
        hosts = pg.group(1).isEmpty() ? "localhost" : pg.group(1);
        db = pg.group(2) == null ? "" : pg.group(2);
      } else {
        hosts = "localhost";
        int q = rest.indexOf('?');
        db = q < 0 ? rest : rest.substring(0, q);
      }
      StringBuilder b = new StringBuilder("jdbc:postgresql://");
      String sep = "";
      for (String h : hosts.split(",")) {
        String host = h.toLowerCase(Locale.ROOT);
        boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
        b.append(sep).append(host).append(hasPort ? "" : ":5432");
        sep = ",";
      }
      return b.append('/').append(db).toString();
    }
    int cut = rest.length();
    for (char c : new char[] {'?', ';'}) {
      int i = rest.indexOf(c);
      if (i >= 0 && i < cut) {
        cut = i;
      }
    }
    rest = rest.substring(0, cut);
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      rest =
          slash < 0
              ? rest.toLowerCase(Locale.ROOT)
              : rest.substring(0, slash).toLowerCase(Locale.ROOT) + rest.substring(slash);
    }
    return "jdbc:" + sub + ":" + rest;
  }
}
