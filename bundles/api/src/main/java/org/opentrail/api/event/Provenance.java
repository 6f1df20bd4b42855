package org.opentrail.api.event;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who hands events to the {@link EventRecorder}, as the caller states it. The recorder stores it
 * with every event in the field {@value EventFields#RECORDED_BY}, adding the symbolic name and
 * version of the bundle that called it, which no caller can state or change: an event posted by an
 * API caller can describe any {@code userIdentity}, but never hide who posted it.
 *
 * <p>The stored field is an object with the parts that are set: {@code bundle} (always, e.g. {@code
 * "org.opentrail.http 0.1.0"}), {@code sender} (a source instance as configured, e.g. {@code
 * "minio/prod"}), {@code principal} (the authenticated caller's ARN, e.g. {@code
 * "acs:ram::1234567890123456:user/alice"}) and {@code accessKeyId}.
 *
 * @param sender the configured sender (a source instance), or {@code null}
 * @param principal the ARN of the authenticated principal that posted the events, or {@code null}
 * @param accessKeyId the access key the principal signed with, or {@code null}
 * @since 1.1
 */
public record Provenance(String sender, String principal, String accessKeyId) {
  /** Nothing stated beyond the calling bundle. */
  public static final Provenance NONE = new Provenance(null, null, null);

  /** Events a source instance received from the service it supports. */
  public static Provenance sender(String sender) {
    return new Provenance(sender, null, null);
  }

  /** Events an authenticated API caller posted. */
  public static Provenance principal(String arn, String accessKeyId) {
    return new Provenance(null, arn, accessKeyId);
  }

  /**
   * The {@value EventFields#RECORDED_BY} object for these events.
   *
   * @param bundle the calling bundle, {@code "<symbolic name> <version>"}
   */
  public Map<String, Object> field(String bundle) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bundle", bundle);
    if (sender != null) {
      m.put("sender", sender);
    }
    if (principal != null) {
      m.put("principal", principal);
    }
    if (accessKeyId != null) {
      m.put("accessKeyId", accessKeyId);
    }
    return m;
  }
}
