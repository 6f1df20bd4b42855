package org.opentrail.source.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.internal.source.PayloadException;
import org.opentrail.internal.source.Translation;
import org.opentrail.internal.source.WebhookTranslator;
import org.opentrail.source.kubernetes.KubernetesOptions.Stage;

/**
 * The Kubernetes API server's audit webhook body, an {@code EventList} of <a
 * href="https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/">audit.k8s.io/v1</a>
 * (or {@code v1beta1}) {@code Event}s, as ActionTrail events. Pure and thread-safe.
 *
 * <p><b>One event per request.</b> The API server posts an entry per stage of a request, all with
 * the same {@code auditID}: {@code RequestReceived} (no outcome, often no object name), {@code
 * ResponseStarted} (long-running requests), then always {@code ResponseComplete} or {@code Panic}.
 * The history is immutable, so only the stages in {@code record.stages} (default {@code
 * ResponseComplete,Panic}) are recorded; the others are {@linkplain Translation#skipped() skipped}
 * as {@code superseded stage <stage> of auditID <id>}. Whatever order the posts come in, the
 * complete entry is recorded once ({@link AuditStamps} on the eventId). An operator whose policy
 * omits the final stages may add {@code RequestReceived}: each such stage is then an event of its
 * own with its own eventId, never merged with or replaced by the complete one.
 *
 * <p><b>Mapping</b> (entry field → event field):
 *
 * <table>
 *   <caption>audit.k8s.io/v1 Event to ActionTrail event</caption>
 *   <tr><td>auditID, requestReceivedTimestamp, verb, requestURI, user.username</td>
 *       <td>eventId (derived, {@link AuditStamps})</td></tr>
 *   <tr><td>auditID</td><td>requestId, additionalEventData.auditID</td></tr>
 *   <tr><td>requestReceivedTimestamp, else stageTimestamp</td>
 *       <td>eventTime, whole seconds; both precise ones in additionalEventData</td></tr>
 *   <tr><td>verb + objectRef.resource[/subresource], or verb + path</td>
 *       <td>eventName ({@code create pods}, {@code create pods/exec}, {@code get /healthz})</td></tr>
 *   <tr><td>verb</td><td>eventRW ({@link AuditEntries#isRead}), requestParameters.verb</td></tr>
 *   <tr><td>user, impersonatedUser</td><td>userIdentity ({@link Identities})</td></tr>
 *   <tr><td>sourceIPs[0]; sourceIPs</td><td>sourceIpAddress; additionalEventData.sourceIPs</td></tr>
 *   <tr><td>userAgent</td><td>userAgent</td></tr>
 *   <tr><td>objectRef</td><td>resourceType, resourceName, referencedResources, apiVersion
 *       ({@link Resources}); requestParameters.objectRef</td></tr>
 *   <tr><td>requestURI</td><td>requestParameters.requestURI, credentials redacted ({@link
 *       Redaction})</td></tr>
 *   <tr><td>responseStatus</td><td>responseElements.responseStatus; code ≥ 400: errorCode = reason
 *       (or the code), errorMessage = message</td></tr>
 *   <tr><td>requestObject, responseObject</td><td>dropped, or with {@code keep.request.objects}
 *       requestParameters.requestObject, responseElements.responseObject, redacted</td></tr>
 *   <tr><td>level, stage, annotations, unknown fields</td><td>additionalEventData</td></tr>
 *   <tr><td>(constant)</td><td>eventType ApiCall, eventCategory Management, serviceName
 *       Kubernetes, eventSource {@code kubernetes/<instance>}</td></tr>
 * </table>
 *
 * <p><b>Service-internal</b> operations (for the inner trail) are requests made by a user in {@code
 * service.internal.users} (the control plane, kubelets, {@code kube-system} service accounts),
 * unless they impersonated someone or were refused (401, 403): an impersonation or a control plane
 * identity being refused is worth seeing in the history. Everything else, people, CI service
 * accounts in other namespaces, {@code system:anonymous}, is a client operation.
 *
 * <p><b>Errors.</b> A body that is not JSON, not an {@code audit.k8s.io/v1} or {@code v1beta1}
 * {@code EventList}, holds duplicate keys or more than {@link EventRecorder#MAX_BATCH_EVENTS} items
 * is a {@link PayloadException}. An item that is not a well-formed audit event (no {@code auditID},
 * {@code stage} or {@code verb}, a field of the wrong type, a bad timestamp) is skipped with the
 * reason, and the rest of the batch is recorded.
 */
public final class KubernetesTranslator implements WebhookTranslator {
  private static final String SUPERSEDED = "superseded stage ";

  static final Set<String> API_VERSIONS = Set.of("audit.k8s.io/v1", "audit.k8s.io/v1beta1");
  private static final Set<String> OBJECTS = Set.of("requestObject", "responseObject");

  private final KubernetesOptions options;
  private final Set<String> skipUnread;

  KubernetesTranslator(KubernetesOptions options) {
    this.options = options;
    this.skipUnread = options.keepObjects() ? Set.of() : OBJECTS;
  }

  KubernetesOptions options() {
    return options;
  }

  @Override
  public Translation translate(byte[] body) throws PayloadException {
    List<Event> events = new ArrayList<>();
    List<Event> internal = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    String kind = null;
    String apiVersion = null;
    try (JsonParser p = AuditJson.parser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new PayloadException("The body must be a JSON object: an audit.k8s.io/v1 EventList.");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        switch (field) {
          case "kind" -> kind = v == JsonToken.VALUE_STRING ? p.getText() : "?";
          case "apiVersion" -> apiVersion = v == JsonToken.VALUE_STRING ? p.getText() : "?";
          case "items" -> {
            if (v == JsonToken.VALUE_NULL) {
              break;
            }
            if (v != JsonToken.START_ARRAY) {
              throw new PayloadException("The EventList's items must be an array.");
            }
            items(p, events, internal, skipped);
          }
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new PayloadException("The body holds more than one JSON value.");
      }
    } catch (JsonProcessingException e) {
      throw new PayloadException("The body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new PayloadException("The body cannot be read: " + e.getMessage(), e);
    }
    if (!"EventList".equals(kind) || !API_VERSIONS.contains(apiVersion)) {
      throw new PayloadException(
          "The body must be an EventList of audit.k8s.io/v1 (or v1beta1), not kind "
              + kind
              + " of "
              + apiVersion
              + ".");
    }
    // superseded stages are expected (every request has them); anything else could not be read
    List<String> superseded = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    for (String reason : skipped) {
      (reason.startsWith(SUPERSEDED) ? superseded : unreadable).add(reason);
    }
    return new Translation(events, internal, superseded, unreadable);
  }

  private void items(JsonParser p, List<Event> events, List<Event> internal, List<String> skipped)
      throws IOException, PayloadException {
    int index = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) {
        throw new PayloadException("The body ends inside items.");
      }
      if (++index > EventRecorder.MAX_BATCH_EVENTS) {
        throw new PayloadException(
            "The EventList has more than "
                + EventRecorder.MAX_BATCH_EVENTS
                + " items; lower the API server's --audit-webhook-batch-max-size.");
      }
      if (t != JsonToken.START_OBJECT) {
        p.skipChildren();
        skipped.add("malformed item " + index + ": not an object");
        continue;
      }
      long start = p.currentTokenLocation().getByteOffset();
      Map<String, Object> item = AuditJson.readObject(p, skipUnread);
      long size = p.currentLocation().getByteOffset() - start;
      entry(item, index, size, events, internal, skipped);
    }
  }

  private void entry(
      Map<String, Object> item,
      int index,
      long size,
      List<Event> events,
      List<Event> internal,
      List<String> skipped) {
    String auditId = AuditJson.string(item, "auditID");
    String stageName = AuditJson.string(item, "stage");
    String verb = AuditJson.string(item, "verb");
    if (blank(auditId) || blank(stageName) || blank(verb)) {
      skipped.add(
          "malformed item "
              + index
              + ": auditID, stage and verb must be non-empty strings"
              + (blank(auditId) ? "" : " (auditID " + auditId + ")"));
      return;
    }
    Stage stage = Stage.parse(stageName);
    if (stage == null || !options.recordStages().contains(stage)) {
      skipped.add(
          (stage == null ? "unknown stage " : SUPERSEDED) + stageName + " of auditID " + auditId);
      return;
    }
    try {
      AuditEntries.Mapped m =
          AuditEntries.map(item, stage.isFinal() ? null : stage.name(), size, options);
      (m.internal() ? internal : events).add(m.event());
    } catch (IllegalArgumentException e) {
      skipped.add("malformed item " + index + " (auditID " + auditId + "): " + e.getMessage());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
