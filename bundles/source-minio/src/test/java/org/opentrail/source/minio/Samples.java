package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.internal.source.PayloadException;
import org.opentrail.internal.source.Translation;

/** The payloads under {@code src/test/resources/minio} (see SOURCES.md there) and helpers. */
final class Samples {
  static final MinioTranslator TRANSLATOR = new MinioTranslator();

  private Samples() {}

  static byte[] bytes(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/minio/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test payload " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.UTF_8);
  }

  static Translation translate(String name) {
    return translate(bytes(name));
  }

  static Translation translate(byte[] body) {
    try {
      return TRANSLATOR.translate(body);
    } catch (PayloadException e) {
      throw new AssertionError("refused: " + e.getMessage(), e);
    }
  }

  static Translation translateText(String body) {
    return translate(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The only client event of a payload (nothing internal, nothing skipped). */
  static Event one(String name) {
    Translation t = translate(name);
    assertEquals(List.of(), t.skipped(), name);
    assertEquals(List.of(), t.serviceInternal(), name);
    assertEquals(1, t.events().size(), name);
    return t.events().get(0);
  }

  /** All events of a translation, client ones first. */
  static List<Event> all(Translation t) {
    List<Event> out = new ArrayList<>(t.events());
    out.addAll(t.serviceInternal());
    return out;
  }

  /** A nested field: {@code at(e, "userIdentity", "userName")}; {@code null} if absent. */
  static Object at(Event e, String... path) {
    Object v = e.fields();
    for (String p : path) {
      if (!(v instanceof Map<?, ?> m)) {
        return null;
      }
      v = m.get(p);
    }
    return v;
  }

  static void assertAbsent(Event e, String... path) {
    Object v = e.fields();
    for (int i = 0; i < path.length - 1; i++) {
      v = ((Map<?, ?>) v).get(path[i]);
    }
    assertTrue(
        !((Map<?, ?>) v).containsKey(path[path.length - 1]),
        String.join(".", path) + " must be absent: " + e);
  }
}
