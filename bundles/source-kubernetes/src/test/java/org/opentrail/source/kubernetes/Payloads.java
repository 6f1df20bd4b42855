package org.opentrail.source.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.internal.source.PayloadException;
import org.opentrail.internal.source.Translation;

/** The test payloads (src/test/resources/payloads, see its README) and helpers over them. */
final class Payloads {
  private Payloads() {}

  static byte[] bytes(String name) {
    try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no payload " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  static KubernetesTranslator translator() {
    return new KubernetesTranslator(KubernetesOptions.defaults("prod"));
  }

  static KubernetesTranslator keeping() {
    return new KubernetesTranslator(KubernetesOptions.of("prod", null, true, null));
  }

  static Translation translate(KubernetesTranslator t, String name) {
    try {
      return t.translate(bytes(name));
    } catch (PayloadException e) {
      throw new AssertionError(name + ": " + e.getMessage(), e);
    }
  }

  static Translation translateText(KubernetesTranslator t, String json) throws PayloadException {
    return t.translate(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The one event (history or internal) whose requestId is {@code auditId}. */
  static Event byAuditId(Translation t, String auditId) {
    List<Event> found =
        java.util.stream.Stream.concat(t.events().stream(), t.serviceInternal().stream())
            .filter(e -> auditId.equals(e.getString("requestId")))
            .toList();
    assertEquals(1, found.size(), "events with auditID " + auditId);
    return found.get(0);
  }

  /** A nested value: {@code path} of keys and list indexes. */
  static Object at(Event e, Object... path) {
    Object v = e.fields();
    for (Object p : path) {
      if (p instanceof Integer i) {
        v = ((List<?>) v).get(i);
      } else {
        v = v instanceof Map<?, ?> m ? m.get(p) : null;
      }
      if (v == null) {
        return null;
      }
    }
    return v;
  }

  /** An EventList body around {@code items} (JSON text of each item). */
  static String eventList(String... items) {
    return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
        + String.join(",", items)
        + "]}";
  }

  /** A minimal well-formed ResponseComplete entry. */
  static String entry(String auditId, String verb, String username) {
    return "{\"level\":\"Metadata\",\"auditID\":\""
        + auditId
        + "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/namespaces/default/pods\","
        + "\"verb\":\""
        + verb
        + "\",\"user\":{\"username\":\""
        + username
        + "\"},\"sourceIPs\":[\"192.0.2.1\"],"
        + "\"objectRef\":{\"resource\":\"pods\",\"namespace\":\"default\",\"apiVersion\":\"v1\"},"
        + "\"responseStatus\":{\"metadata\":{},\"code\":200},"
        + "\"requestReceivedTimestamp\":\"2024-06-01T08:00:00.000001Z\","
        + "\"stageTimestamp\":\"2024-06-01T08:00:00.000200Z\"}";
  }
}
