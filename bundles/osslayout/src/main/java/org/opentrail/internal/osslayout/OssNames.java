package org.opentrail.internal.osslayout;

import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;

/**
 * The naming rules of ActionTrail's OSS delivery that every object storage sink checks the same
 * way: bucket names ({@code OssBucketName}), key prefixes ({@code OssKeyPrefix}) and paths of
 * digest files under a destination's root.
 */
public final class OssNames {
  /**
   * OSS (and S3) bucket names: 3 to 63 lowercase letters, digits and hyphens, starting and ending
   * with a letter or digit.
   */
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

  private static final Pattern PREFIX_CHARS = Pattern.compile("[A-Za-z0-9._/-]{1,128}");
  private static final Pattern SAFE_PATH =
      Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

  private OssNames() {}

  /**
   * Checks a bucket name.
   *
   * @throws InvalidParameterException naming {@code OssBucketName} if it is missing or breaks the
   *     rules
   */
  public static void checkBucket(String bucket) {
    if (bucket == null || bucket.isEmpty()) {
      throw InvalidParameterException.missing("OssBucketName");
    }
    if (!BUCKET_NAME.matcher(bucket).matches()) {
      throw new InvalidParameterException(
          "OssBucketName",
          "The parameter OssBucketName must have 3 to 63 lowercase letters, digits and hyphens and start and end with a letter or digit; '"
              + bucket
              + "' does not.");
    }
  }

  /**
   * Checks a key prefix and answers it without a trailing {@code /} ({@code ""} for none).
   *
   * @throws InvalidParameterException naming {@code OssKeyPrefix} unless it is empty or 1 to 128
   *     letters, digits, {@code .}, {@code _}, {@code -} and {@code /}, without {@code .}, {@code
   *     ..} or empty segments and not starting with {@code /} or {@code .}
   */
  public static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return "";
    }
    boolean ok =
        PREFIX_CHARS.matcher(prefix).matches()
            && !prefix.startsWith("/")
            && !prefix.startsWith(".");
    String trimmed = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    for (String part : trimmed.split("/", -1)) {
      ok &= !part.isEmpty() && !part.equals("..") && !part.equals(".");
    }
    if (!ok) {
      throw new InvalidParameterException(
          "OssKeyPrefix",
          "The parameter OssKeyPrefix must be 1 to 128 letters, digits, '.', '_', '-' and '/', without '.' or '..' segments and not starting with '/' or '.', so that it stays inside its bucket.");
    }
    return trimmed;
  }

  /**
   * Checks the path of a digest file relative to a destination's root.
   *
   * @throws IllegalArgumentException unless it is relative, {@code /}-separated, of letters,
   *     digits, {@code .}, {@code _} and {@code -}, with no empty, {@code .} or {@code ..} segment
   */
  public static String checkRelativePath(String path) {
    if (path == null || !SAFE_PATH.matcher(path).matches()) {
      throw new IllegalArgumentException(
          "The digest path '"
              + path
              + "' is refused: it must be relative, '/'-separated, of letters, digits, '.', '_'"
              + " and '-', without empty, '.' or '..' segments");
    }
    return path;
  }
}
