package org.opentrail.sink.opensearch;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opentrail.api.event.EventJson;

/**
 * Turns what the REST client throws into errors an operator can act on: the server, what failed,
 * and what to do. Never includes a credential (the client's messages carry none: they name the
 * request line and the response).
 */
final class Failures {
  private Failures() {}

  /**
   * An {@link IOException} that says what went wrong talking to {@code endpoint} while doing {@code
   * what}.
   */
  static IOException explain(Endpoint endpoint, String what, Exception e) {
    String where = "OpenSearch at " + endpoint;
    if (e instanceof ResponseException re) {
      Response r = re.getResponse();
      int status = r.getStatusLine().getStatusCode();
      String reason = reason(r);
      String message =
          switch (status) {
            case 401 ->
                where
                    + " refused the credentials while "
                    + what
                    + " (401 Unauthorized): check username and password, or apiKey, of the"
                    + " destination or of "
                    + OpenSearchSinkConfig.PID;
            case 403 ->
                reason.contains("cluster_block_exception")
                    ? where
                        + " refuses writes while "
                        + what
                        + " (403, a block: the index or cluster is read-only, e.g."
                        + " index.blocks.write or a full disk): "
                        + reason
                    : where
                        + " denied permission while "
                        + what
                        + " (403 Forbidden): the user needs the index and template permissions"
                        + " of the destination's index: "
                        + reason;
            case 404 -> where + " has no such resource while " + what + " (404): " + reason;
            case 429 -> where + " is overloaded while " + what + " (429): " + reason;
            default -> where + " answered " + status + " while " + what + ": " + reason;
          };
      return new IOException(message, e);
    }
    if (e instanceof ConnectException) {
      return new IOException(
          "Cannot reach " + where + " while " + what + ": connection refused", e);
    }
    if (e instanceof UnknownHostException) {
      return new IOException(
          "Cannot reach " + where + " while " + what + ": unknown host " + endpoint.host(), e);
    }
    if (e instanceof SocketTimeoutException) {
      return new IOException(where + " did not answer in time while " + what, e);
    }
    if (e instanceof SSLException) {
      return new IOException(
          "TLS with "
              + where
              + " failed while "
              + what
              + " (is its certificate signed by a CA in tls.ca.certificate or the JVM's trust"
              + " store, for this host name?): "
              + e.getMessage(),
          e);
    }
    return new IOException(
        "Cannot talk to "
            + where
            + " while "
            + what
            + ": "
            + e.getClass().getSimpleName()
            + ": "
            + e.getMessage(),
        e);
  }

  /** {@code type: reason} from an OpenSearch error body, or the body's start. */
  static String reason(Response r) {
    String body;
    try {
      body =
          r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return r.getStatusLine().getReasonPhrase();
    }
    try {
      if (EventJson.read(body.getBytes(StandardCharsets.UTF_8)) instanceof Map<?, ?> m
          && m.get("error") instanceof Map<?, ?> err) {
        return err.get("type") + ": " + err.get("reason");
      }
    } catch (RuntimeException notJson) {
      // fall through to the raw body
    }
    return body.length() > 300 ? body.substring(0, 300) + "..." : body;
  }

  /** {@code type: reason} of a bulk item's error object. */
  static String itemReason(Object error) {
    if (error instanceof Map<?, ?> err) {
      Object cause = err.get("caused_by");
      String more =
          cause instanceof Map<?, ?> c
              ? " (caused by " + c.get("type") + ": " + c.get("reason") + ")"
              : "";
      return err.get("type") + ": " + err.get("reason") + more;
    }
    return String.valueOf(error);
  }
}
