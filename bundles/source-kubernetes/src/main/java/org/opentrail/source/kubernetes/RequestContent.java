package org.opentrail.source.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a request carried besides its metadata: {@code requestObject} and {@code responseObject}
 * (logged at the Request and RequestResponse <a
 * href="https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy">audit levels</a>)
 * and mutating admission webhooks' patches, which the API server logs as the annotations {@code
 * patch.webhook.admission.k8s.io/round_<n>_index_<m>} (<a
 * href="https://kubernetes.io/docs/reference/labels-annotations-taints/audit-annotations/">audit
 * annotations</a>). They are dropped unless {@code keep.request.objects} is set, and then kept
 * redacted ({@link Redaction}); what was dropped is named in {@code additionalEventData.omitted}.
 */
final class RequestContent {
  private static final String ADMISSION_PATCH = "patch.webhook.admission.k8s.io/";

  private RequestContent() {}

  /** Keeps (redacted) or drops a request/response object, noting a dropped one. */
  static void keepObject(
      Map<String, Object> e,
      String key,
      Map<String, Object> into,
      Map<String, Object> omitted,
      KubernetesOptions options,
      boolean secrets) {
    Object o = e.get(key);
    if (o == null && !e.containsKey(key)) {
      return;
    }
    if (!options.keepObjects() || o == AuditJson.SKIPPED) {
      omitted.put(key, "not kept (keep.request.objects=false)");
      return;
    }
    Redaction.object(o, secrets);
    into.put(key, o);
  }

  /**
   * The entry's annotations. Mutating admission webhooks' patches ({@code
   * patch.webhook.admission.k8s.io/...}) are request content: dropped unless objects are kept,
   * redacted on Secrets.
   */
  static Map<String, Object> annotations(
      Map<String, Object> e, boolean keep, boolean secrets, Map<String, Object> omitted) {
    Map<String, Object> a = AuditEntries.optionalObject(e, "annotations");
    if (a == null) {
      return null;
    }
    List<String> patches = new ArrayList<>();
    for (String k : a.keySet()) {
      if (k.startsWith(ADMISSION_PATCH)) {
        patches.add(k);
      }
    }
    if (patches.isEmpty()) {
      return a;
    }
    Map<String, Object> out = new LinkedHashMap<>(a);
    for (String k : patches) {
      if (!keep) {
        out.remove(k);
      } else if (secrets) {
        out.put(k, Redaction.REDACTED);
      }
    }
    if (!keep) {
      omitted.put("annotations", "admission webhook patches not kept: " + patches);
    }
    return out;
  }
}
