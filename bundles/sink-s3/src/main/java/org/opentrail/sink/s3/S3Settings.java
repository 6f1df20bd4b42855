package org.opentrail.sink.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.internal.osslayout.OssNames;

/**
 * One destination's settings: its own configuration over the operator's defaults, checked.
 *
 * @param endpoint {@code scheme://host[:port]} as configured, or {@code null} for AWS S3
 * @param hostPort the normalised server: lower-case host, and the port unless it is the scheme's
 *     default
 * @param region the signing region
 * @param bucket the bucket
 * @param prefix the key prefix without a trailing {@code /}, {@code ""} for none
 * @param pathStyle path-style requests
 * @param accessKeyId the access key id (not a secret)
 * @param secretAccessKey the secret access key (never logged, never in a message)
 * @param sessionToken the session token, {@code ""} for none (a secret)
 * @param serverSideEncryption {@code ""}, {@code AES256} or {@code aws:kms}
 * @param kmsKeyId the KMS key id for {@code aws:kms}, {@code ""} for the server's default
 */
record S3Settings(
    String endpoint,
    String hostPort,
    String region,
    String bucket,
    String prefix,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    String serverSideEncryption,
    String kmsKeyId) {
  static final String BUCKET = "bucket";
  static final String PREFIX = "prefix";
  static final String ENDPOINT = "endpoint";
  static final String REGION = "region";
  static final String PATH_STYLE = "pathStyle";
  static final String ACCESS_KEY_ID = "accessKeyId";
  static final String SECRET_ACCESS_KEY = "secretAccessKey";
  static final String SESSION_TOKEN = "sessionToken";
  static final String SSE = "serverSideEncryption";
  static final String KMS_KEY_ID = "kmsKeyId";
  static final Set<String> KEYS =
      Set.of(
          BUCKET,
          PREFIX,
          ENDPOINT,
          REGION,
          PATH_STYLE,
          ACCESS_KEY_ID,
          SECRET_ACCESS_KEY,
          SESSION_TOKEN,
          SSE,
          KMS_KEY_ID);
  static final Set<String> SECRETS = Set.of(SECRET_ACCESS_KEY, SESSION_TOKEN);

  private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  /** Hides the secrets from {@code toString()} (records print every component). */
  @Override
  public String toString() {
    return "S3Settings[s3://" + hostPort + "/" + bucket + "/" + prefix + "]";
  }

  /**
   * The settings of a destination.
   *
   * @throws InvalidParameterException naming the offending key: an unknown key, a missing or
   *     invalid bucket ({@code OssBucketName}) or prefix ({@code OssKeyPrefix}), an endpoint that
   *     is not {@code http(s)://host[:port]}, a bad region, pathStyle, serverSideEncryption or
   *     kmsKeyId, half a key pair, no credentials at all, or another endpoint than the operator's
   *     without the destination's own credentials or not in the operator's allowedEndpoints
   */
  static S3Settings of(Map<String, String> dest, S3SinkConfig op) {
    for (String k : dest.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InvalidParameterException(
            k,
            "The s3 sink has no configuration key '"
                + k
                + "'; its keys are "
                + String.join(", ", new java.util.TreeSet<>(KEYS))
                + ".");
      }
    }
    String bucket = dest.get(BUCKET);
    OssNames.checkBucket(bucket);
    String prefix = OssNames.checkPrefix(dest.get(PREFIX));

    String opEndpoint = op.endpoint().strip();
    String endpoint = value(dest, ENDPOINT, opEndpoint);
    boolean ownServer = dest.containsKey(ENDPOINT) && !endpoint.equals(opEndpoint);
    String region = value(dest, REGION, op.region().strip());
    if (!REGION_NAME.matcher(region).matches()) {
      throw new InvalidParameterException(
          REGION,
          "The s3 sink's region must be 1 to 32 lowercase letters, digits and hyphens (e.g."
              + " us-east-1); '"
              + region
              + "' is not.");
    }
    String hostPort = endpoint.isEmpty() ? "s3." + region + ".amazonaws.com" : hostPort(endpoint);

    String style = value(dest, PATH_STYLE, Boolean.toString(op.pathStyle()));
    if (!style.equals("true") && !style.equals("false")) {
      throw new InvalidParameterException(
          PATH_STYLE, "The s3 sink's pathStyle must be true or false, not '" + style + "'.");
    }

    boolean ownKeys = dest.containsKey(ACCESS_KEY_ID) || dest.containsKey(SECRET_ACCESS_KEY);
    String id = ownKeys ? dest.getOrDefault(ACCESS_KEY_ID, "") : op.accessKeyId().strip();
    String secret = ownKeys ? dest.getOrDefault(SECRET_ACCESS_KEY, "") : op.secretAccessKey();
    String token = ownKeys ? dest.getOrDefault(SESSION_TOKEN, "") : op.sessionToken();
    if (ownServer && !ownKeys) {
      throw new InvalidParameterException(
          ACCESS_KEY_ID,
          "A destination that names its own endpoint must name its own accessKeyId and"
              + " secretAccessKey too: the operator's credentials are only sent to the operator's"
              + " endpoint.");
    }
    if (ownServer && !allowed(op.allowedEndpoints(), hostPort)) {
      throw new InvalidParameterException(
          ENDPOINT,
          "The endpoint "
              + hostPort
              + " is not one this OpenTrail may deliver to: the operator allows the default"
              + " endpoint and those in allowedEndpoints of "
              + S3SinkConfig.PID
              + ".");
    }
    if (id.isEmpty() || secret.isEmpty()) {
      throw new InvalidParameterException(
          id.isEmpty() ? ACCESS_KEY_ID : SECRET_ACCESS_KEY,
          "The s3 sink needs accessKeyId and secretAccessKey, both in the destination or both in"
              + " the operator's configuration "
              + S3SinkConfig.PID
              + "; "
              + (id.isEmpty() ? "accessKeyId" : "secretAccessKey")
              + " is missing.");
    }

    String sse = value(dest, SSE, op.serverSideEncryption().strip());
    if (!sse.isEmpty() && !sse.equals("AES256") && !sse.equals("aws:kms")) {
      throw new InvalidParameterException(
          SSE,
          "The s3 sink's serverSideEncryption must be empty, AES256 or aws:kms, not '"
              + sse
              + "'.");
    }
    String kms = value(dest, KMS_KEY_ID, sse.equals("aws:kms") ? op.kmsKeyId().strip() : "");
    if (!kms.isEmpty() && !sse.equals("aws:kms")) {
      throw new InvalidParameterException(
          KMS_KEY_ID, "The s3 sink's kmsKeyId needs serverSideEncryption=aws:kms.");
    }
    return new S3Settings(
        endpoint.isEmpty() ? null : endpoint,
        hostPort,
        region,
        bucket,
        prefix,
        Boolean.parseBoolean(style),
        id,
        secret,
        token == null ? "" : token,
        sse,
        kms);
  }

  /** The resource a destination writes into: {@code s3://<host[:port]>/<bucket>}. */
  String resource() {
    return "s3://" + hostPort + "/" + bucket;
  }

  /** The key prefix objects go under: {@code ""} or the prefix and {@code /}. */
  String keyPrefix() {
    return prefix.isEmpty() ? "" : prefix + "/";
  }

  /** Where the bucket is, for messages: {@code s3://host[:port]/bucket}. */
  String where() {
    return resource();
  }

  /** Whether the operator's comma-separated {@code allowedEndpoints} lists {@code hostPort}. */
  private static boolean allowed(String allowedEndpoints, String hostPort) {
    for (String a : allowedEndpoints.split(",")) {
      String entry = a.strip().toLowerCase(Locale.ROOT);
      if (entry.equals("*") || entry.equals(hostPort)) {
        return true;
      }
    }
    return false;
  }

  private static String value(Map<String, String> dest, String key, String fallback) {
    String v = dest.get(key);
    return v == null ? fallback : v.strip();
  }

  /**
   * The lower-case host and non-default port of an endpoint URL.
   *
   * @throws InvalidParameterException naming {@code endpoint} unless it is {@code
   *     http(s)://host[:port]} with at most a trailing {@code /}
   */
  static String hostPort(String endpoint) {
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      uri = null;
    }
    String scheme = uri == null ? null : uri.getScheme();
    if (uri == null
        || scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null
        || uri.getUserInfo() != null
        || uri.getQuery() != null
        || uri.getFragment() != null
        || !(uri.getRawPath() == null
            || uri.getRawPath().isEmpty()
            || uri.getRawPath().equals("/"))) {
      throw new InvalidParameterException(
          ENDPOINT,
          "The s3 sink's endpoint must be http://host[:port] or https://host[:port] with no path,"
              + " user or query; '"
              + (endpoint.contains("@") ? "(an endpoint with user information)" : endpoint)
              + "' is not.");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    int standard = scheme.equalsIgnoreCase("https") ? 443 : 80;
    return port < 0 || port == standard ? host : host + ":" + port;
  }
}
