package org.opentrail.logservice;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opentrail.api.event.EventJson;

/**
 * A successful answer: status 200, a body and the {@code x-log-*} headers that describe it.
 *
 * @param contentType the body's media type
 * @param headers response headers besides Content-Type, Content-Length and x-log-requestid
 * @param body the body's bytes
 */
record Reply(String contentType, Map<String, String> headers, byte[] body) {
  static final String JSON = "application/json";

  /** A JSON body (an object, a list, or nothing for {@code null}). */
  static Reply json(Object value) {
    return new Reply(
        JSON, new LinkedHashMap<>(), value == null ? new byte[0] : EventJson.write(value));
  }

  Reply header(String name, Object value) {
    headers.put(name, String.valueOf(value));
    return this;
  }
}
