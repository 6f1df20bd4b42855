package org.opentrail.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs an alert's JSON body to its webhook, signed: {@code X-OpenTrail-Signature: sha256=<hex
 * HMAC-SHA256 of the exact body bytes, keyed with the rule's secret (its UTF-8 bytes)>} and {@code
 * X-OpenTrail-Timestamp: <unix seconds>}. Each attempt is bounded by {@code timeout}; a failed one
 * (no connection, timeout, any status but 2xx) is retried up to {@code retries} more times, waiting
 * {@code backoff}, then twice that, and so on. Redirects are not followed, so an allowed host
 * cannot send the request elsewhere. The secret is never logged.
 */
final class WebhookSender {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

  private final HttpClient client;
  private final Duration timeout;
  private final int retries;
  private final Duration backoff;
  private final Clock clock;

  WebhookSender(Duration timeout, int retries, Duration backoff, Clock clock) {
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.timeout = timeout;
    this.retries = retries;
    this.backoff = backoff;
    this.clock = clock;
  }

  /** The signature header's value for {@code body}. */
  static String signature(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  /**
   * What sending did.
   *
   * @param attempts attempts made, 1 to {@code retries + 1}
   * @param failure {@code null} once a 2xx answer came, else why the last attempt failed (e.g.
   *     {@code HTTP 503 after 3 attempts})
   */
  record Sent(int attempts, String failure) {}

  /** Sends {@code body}, retrying immediately (with backoff) up to {@code retries} times. */
  Sent send(String url, String secret, byte[] body) {
    String why = null;
    long wait = backoff.toMillis();
    for (int attempt = 1; attempt <= retries + 1; attempt++) {
      try {
        HttpRequest req =
            HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "OpenTrail-Alerts/1")
                .header("X-OpenTrail-Signature", signature(secret, body))
                .header("X-OpenTrail-Timestamp", Long.toString(clock.instant().getEpochSecond()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<Void> res = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() / 100 == 2) {
          return new Sent(attempt, null);
        }
        why = "HTTP " + res.statusCode();
      } catch (IOException e) {
        why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Sent(attempt, "interrupted");
      }
      LOG.debug("Webhook attempt {} to {} failed: {}", attempt, url, why);
      if (attempt <= retries) {
        try {
          Thread.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Sent(attempt, "interrupted");
        }
        wait *= 2;
      }
    }
    return new Sent(retries + 1, why + " after " + (retries + 1) + " attempts");
  }
}
