package org.opentrail.source.minio;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.opentrail.api.event.Event;
import org.opentrail.internal.source.PayloadException;
import org.opentrail.internal.source.Translation;
import org.opentrail.internal.source.WebhookTranslator;

/**
 * Translates the bodies MinIO's audit webhook target ({@code audit_webhook}) posts. MinIO encodes
 * each queued entry with Go's {@code json.Encoder}, which ends every entry with a newline, and
 * posts the entries of a batch concatenated in one body ({@code
 * internal/logger/target/http/http.go}, {@code startQueueProcessor}): one entry per POST with
 * {@code batch_size=1} (the default, {@code Content-Type: application/json}), newline-delimited
 * JSON with {@code batch_size>1} (no Content-Type); its on-disk queue ({@code queue_dir}) replays
 * the same encoding. A JSON array of entries, as log shippers forward them, is taken too. The body
 * is parsed in one streaming pass.
 *
 * <p>Answers: a body that is not JSON (or has a duplicate key, or is empty) is a {@link
 * PayloadException} (400); an entry that is not a MinIO audit entry (no {@code version}, {@code
 * time} or {@code api}, a field of the wrong type, a server log entry) is skipped with its reason
 * while the other entries of the body are recorded, because MinIO resends a refused batch forever
 * and one bad entry must not hold back the rest; if no entry of the body can be recorded, the body
 * is refused (400). Client requests become {@link Translation#events()}, operations MinIO did by
 * itself (lifecycle, replication, healing, scanner, decommission, rebalance, batch jobs, call home:
 * any {@code trigger} other than {@code incoming}) {@link Translation#serviceInternal()}.
 *
 * <p>Pure and thread-safe: no state but the parser factory.
 */
public final class MinioTranslator implements WebhookTranslator {
  /** Reasons quoted in a refusal, at most. */
  private static final int MAX_REASONS = 5;

  private final JsonFactory factory =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // no entry content in messages
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(64)
                  .maxNumberLength(100)
                  .maxStringLength(64 << 20)
                  .build())
          .build();

  @Override
  public Translation translate(byte[] body) throws PayloadException {
    List<Event> events = new ArrayList<>();
    List<Event> internal = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    int index = 0;
    try (JsonParser p = factory.createParser(body)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.START_ARRAY) {
          for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
            entry(p, v, index++, events, internal, skipped);
          }
        } else {
          entry(p, t, index++, events, internal, skipped);
        }
      }
    } catch (JsonProcessingException e) {
      throw new PayloadException(
          "The body is not MinIO's audit log (JSON entries, one per line): "
              + clip(e.getOriginalMessage())
              + where(e)
              + ".");
    } catch (IOException e) {
      throw new PayloadException("The body cannot be read: " + e.getMessage());
    }
    if (index == 0) {
      throw new PayloadException("The body holds no audit entry.");
    }
    if (events.isEmpty() && internal.isEmpty()) {
      throw new PayloadException(
          "No entry of the body is a MinIO audit entry: "
              + String.join("; ", skipped.subList(0, Math.min(MAX_REASONS, skipped.size())))
              + (skipped.size() > MAX_REASONS ? "; ..." : "")
              + ".");
    }
    return new Translation(events, internal, List.of(), skipped);
  }

  private static void entry(
      JsonParser p,
      JsonToken t,
      int index,
      List<Event> events,
      List<Event> internal,
      List<String> skipped)
      throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      skipped.add("entry " + index + ": " + kind(t) + ", not a JSON object");
      return;
    }
    AuditEntry e = AuditEntryReader.read(p, index);
    Event event = MinioEvents.build(e);
    if (event == null) {
      String id = e.requestId != null ? " (requestID " + clip(e.requestId) + ")" : "";
      skipped.add("entry " + index + id + ": " + e.problem);
    } else if (e.serviceInternal()) {
      internal.add(event);
    } else {
      events.add(event);
    }
  }

  /** At most 160 printable characters of a text taken from the body. */
  private static String clip(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 160));
    for (int i = 0; i < s.length() && b.length() < 160; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }

  private static String kind(JsonToken t) {
    return switch (t) {
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> String.valueOf(t);
    };
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }
}
