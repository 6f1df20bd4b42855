package org.opentrail.api.trail;

import java.util.Map;
import java.util.Objects;

/**
 * One place a trail delivers to.
 *
 * @param id the destination's name within its trail (lowercase letters, digits, {@code -}, {@code
 *     _}; empty or {@code null} makes one from the sink type)
 * @param type the sink type, e.g. {@code file} or {@code logstore}
 * @param config the sink's configuration, checked by the sink type's provider
 */
public record DestinationSpec(String id, String type, Map<String, String> config) {
  /**
   * The configuration key naming a role of another account to deliver through, {@code
   * acs:ram::<accountId>:role/<name>} (ActionTrail's OssWriteRoleArn, SlsWriteRoleArn, ...): the
   * destination's resources are then that account's. The trail engine handles it; sinks never see
   * it.
   *
   * @since 1.4
   */
  public static final String ROLE_ARN = "roleArn";

  /**
   * The configuration key keeping the ActionTrail project a destination was created from ({@code
   * SlsProjectArn} or {@code MaxComputeProjectArn}, {@code acs:<service>:<region>:<accountId>:
   * project/<name>}) when its sink type is not the one the ARN names (e.g. an OpenSearch sink as
   * the Log Service provider): the trail engine checks that its account is the destination's owner
   * and keeps it for DescribeTrails; sinks never see it.
   *
   * @since 1.4
   */
  public static final String PROJECT_ARN = "projectArn";

  /**
   * What DescribeTrails shows instead of a secret's value; given back in UpdateTrail it keeps the
   * secret stored.
   *
   * @since 1.4
   */
  public static final String HIDDEN = "******";

  private static final java.util.regex.Pattern SECRET_KEY =
      java.util.regex.Pattern.compile(
          "(?i).*(password|passwd|secret|token|apikey|api_key|api\\.key|credential|jaas).*");

  /**
   * Whether a configuration key names a secret by its name (password, secret, token, API key,
   * credential, JAAS configuration): such values are stored encrypted and never shown or recorded,
   * whether or not the sink type declares them.
   *
   * @since 1.4
   */
  public static boolean secretKey(String key) {
    return key != null && SECRET_KEY.matcher(key).matches();
  }

  private static final java.util.regex.Pattern JSON_PAIR =
      java.util.regex.Pattern.compile(
          "\"((?:[^\"\\\\]|\\\\.)*)\"(\\s*:\\s*)\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final java.util.regex.Pattern KEY_VALUE =
      java.util.regex.Pattern.compile(
          "(^|[\\s,:;?&{(])([A-Za-z0-9_.-]+)(\\s*=\\s*)([^\\s,;&\"')}]*)");
  private static final java.util.regex.Pattern JSON_ESCAPE =
      java.util.regex.Pattern.compile("\\\\(?:u([0-9a-fA-F]{4})|(.))");
  private static final java.util.regex.Pattern USER_INFO =
      java.util.regex.Pattern.compile("(://[^/@\\s:]*:)[^@/\\s]*@");

  /**
   * Text that may hold a destination's configuration (a shell command line, a request's
   * Destinations JSON, an error message quoting either) with every secret taken out: the values of
   * secret keys ({@link #secretKey}) as {@code key=value} pairs (also in URL queries) or JSON
   * members, and the password of any URL's user information ({@code scheme://user:password@host}),
   * each replaced by {@code <redacted>}. What OpenTrail records of such text.
   *
   * @since 1.4
   */
  public static String redactSecrets(String text) {
    if (text == null) {
      return null;
    }
    String s =
        JSON_PAIR
            .matcher(text)
            .replaceAll(
                m ->
                    java.util.regex.Matcher.quoteReplacement(
                        secretKey(unescaped(m.group(1)))
                            ? "\"" + m.group(1) + "\"" + m.group(2) + "\"<redacted>\""
                            : m.group()));
    s =
        KEY_VALUE
            .matcher(s)
            .replaceAll(
                m ->
                    java.util.regex.Matcher.quoteReplacement(
                        secretKey(m.group(2))
                            ? m.group(1) + m.group(2) + m.group(3) + "<redacted>"
                            : m.group()));
    return USER_INFO.matcher(s).replaceAll("$1<redacted>@");
  }

  /** A JSON string's content with its escapes decoded (a key may spell a letter as \\u0077). */
  private static String unescaped(String s) {
    return JSON_ESCAPE
        .matcher(s)
        .replaceAll(
            m ->
                java.util.regex.Matcher.quoteReplacement(
                    m.group(1) != null
                        ? String.valueOf((char) Integer.parseInt(m.group(1), 16))
                        : m.group(2)));
  }

  public DestinationSpec {
    Objects.requireNonNull(type, "type");
    id = id == null ? "" : id;
    config = config == null ? Map.of() : Map.copyOf(config);
  }

  public static DestinationSpec of(String type, Map<String, String> config) {
    return new DestinationSpec("", type, config);
  }
}
