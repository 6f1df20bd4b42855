package org.opentrail.source.minio;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one audit entry (a JSON object, see {@link AuditEntry}) from a streaming parser in one
 * pass, redacting credentials as headers, query and claims go by. A field of the wrong JSON type is
 * a {@link AuditEntry#problem} (the rest of the entry is still read, so the body can go on); syntax
 * errors are the parser's {@link IOException}s.
 *
 * <p>An object with {@code level} or {@code errKind} is a MinIO server log entry ({@code
 * logger_webhook}), one with {@code Records} or {@code EventName} a bucket notification ({@code
 * notify_webhook}): not audit entries ({@code audit_webhook}), a problem named as such.
 */
final class AuditEntryReader {
  private AuditEntryReader() {}

  /** Reads the object whose {@code START_OBJECT} is the parser's current token. */
  static AuditEntry read(JsonParser p, int index) throws IOException {
    AuditEntry e = new AuditEntry();
    e.index = index;
    long start = p.currentTokenLocation().getByteOffset();
    boolean hasApi = false;
    for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      switch (f) {
        case "version" -> e.version = string(p, t, e, f);
        case "deploymentid" -> e.deploymentId = string(p, t, e, f);
        case "time" -> e.time = string(p, t, e, f);
        case "event" -> e.event = keep(e, f, string(p, t, e, f));
        case "trigger" -> e.trigger = keep(e, f, string(p, t, e, f));
        case "remotehost" -> e.remoteHost = string(p, t, e, f);
        case "requestID" -> e.requestId = string(p, t, e, f);
        case "userAgent" -> e.userAgent = string(p, t, e, f);
        case "requestPath" -> e.requestPath = string(p, t, e, f);
        case "requestHost" -> e.requestHost = string(p, t, e, f);
        case "requestNode" -> e.requestNode = keep(e, f, string(p, t, e, f));
        case "accessKey" -> e.accessKey = string(p, t, e, f);
        case "parentUser" -> e.parentUser = string(p, t, e, f);
        case "error" -> e.error = keep(e, f, string(p, t, e, f));
        case "api" -> {
          hasApi = true;
          readApi(p, t, e);
        }
        case "requestClaims" -> e.requestClaims = object(p, t, e, f, Kind.CLAIMS);
        case "requestQuery" -> e.requestQuery = object(p, t, e, f, Kind.QUERY);
        case "requestHeader" -> e.requestHeader = object(p, t, e, f, Kind.HEADER);
        case "responseHeader" -> e.responseHeader = object(p, t, e, f, Kind.HEADER);
        case "level", "errKind" -> {
          e.problem(
              "it is a MinIO server log entry (logger_webhook), not an audit entry"
                  + " (audit_webhook)");
          p.skipChildren();
        }
        case "Records", "EventName" -> {
          e.problem(
              "it is a MinIO bucket notification (notify_webhook), not an audit entry"
                  + " (audit_webhook)");
          p.skipChildren();
        }
        default -> e.extra.put(f, value(p, t, Kind.PLAIN));
      }
    }
    e.rawBytes = p.currentLocation().getByteOffset() - start;
    if (e.version == null || e.time == null || !hasApi) {
      e.problem("it has no " + (e.version == null ? "version" : e.time == null ? "time" : "api"));
    }
    return e;
  }

  private static void readApi(JsonParser p, JsonToken t, AuditEntry e) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      e.problem("api is not an object");
      p.skipChildren();
      return;
    }
    for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
      JsonToken v = p.nextToken();
      switch (f) {
        case "name" -> e.apiName = string(p, v, e, "api.name");
        case "bucket" -> e.bucket = string(p, v, e, "api.bucket");
        case "object" -> e.object = string(p, v, e, "api.object");
        case "objects" -> e.objects = objects(p, v, e);
        case "status" -> e.status = (String) keepApi(e, f, string(p, v, e, "api.status"));
        case "statusCode" -> {
          if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            e.statusCode = p.getIntValue();
            e.apiExtra.put(f, e.statusCode);
          } else if (v != JsonToken.VALUE_NULL) {
            e.problem("api.statusCode is not a whole number");
            p.skipChildren();
          }
        }
        default -> e.apiExtra.put(f, value(p, v, Kind.PLAIN));
      }
    }
  }

  private static List<Map<String, Object>> objects(JsonParser p, JsonToken t, AuditEntry e)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_ARRAY) {
      e.problem("api.objects is not an array");
      p.skipChildren();
      return null;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
      if (value(p, v, Kind.PLAIN) instanceof Map<?, ?> m && m.get("objectName") instanceof String) {
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) m;
        out.add(o);
      } else {
        e.problem("api.objects holds something that is not {objectName, versionId}");
      }
    }
    return out;
  }

  /** A string field: {@code null} for JSON null or "" (MinIO's omitempty), a problem otherwise. */
  private static String string(JsonParser p, JsonToken t, AuditEntry e, String field)
      throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText();
      return s.isEmpty() ? null : s;
    }
    if (t != JsonToken.VALUE_NULL) {
      e.problem(field + " is not a string");
      p.skipChildren();
    }
    return null;
  }

  /** Keeps a top-level field in additionalEventData as well. */
  private static <T> T keep(AuditEntry e, String field, T value) {
    if (value != null) {
      e.extra.put(field, value);
    }
    return value;
  }

  private static Object keepApi(AuditEntry e, String field, Object value) {
    if (value != null) {
      e.apiExtra.put(field, value);
    }
    return value;
  }

  private enum Kind {
    PLAIN,
    HEADER,
    QUERY,
    CLAIMS
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(
      JsonParser p, JsonToken t, AuditEntry e, String field, Kind kind) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.START_OBJECT) {
      e.problem(field + " is not an object");
      p.skipChildren();
      return null;
    }
    Object m = value(p, t, kind);
    return (Map<String, Object>) (kind == Kind.CLAIMS ? Redaction.claims(null, m) : m);
  }

  /**
   * Any JSON value, as maps (in order), lists, strings, booleans, null and numbers; the members of
   * an object read as {@code HEADER} or {@code QUERY} are redacted as such (claims are redacted as
   * a whole by {@link #object}).
   */
  private static Object value(JsonParser p, JsonToken t, Kind kind) throws IOException {
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
          Object v = value(p, p.nextToken(), Kind.PLAIN);
          m.put(
              f,
              switch (kind) {
                case HEADER -> Redaction.header(f, v);
                case QUERY -> Redaction.query(f, v);
                case CLAIMS, PLAIN -> v;
              });
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
          l.add(value(p, v, Kind.PLAIN));
        }
        return l;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> p.getIntValue();
          case LONG -> p.getLongValue();
          default -> p.getBigIntegerValue();
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return p.getDecimalValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + t);
    }
  }
}
