package org.opentrail.internal.source;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.EventOutcome;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.Provenance;
import org.opentrail.api.event.RecordResult;
import org.opentrail.api.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives one sender's audit webhook: checks the bearer token in constant time, bounds the body,
 * translates it, records client operations in the history and service-internal ones into the inner
 * trail, and answers 200 only once they are durable. Answers are ActionTrail's shape ({@code Code},
 * {@code Message}, {@code RequestId}): 401 (bad token), 405, 413 (too large), 400 (not the
 * service's format), 429 with {@code Retry-After} (too many requests at once), 503 with {@code
 * Retry-After} (the store cannot make events durable now). Senders retry on anything but 2xx (MinIO
 * queues, the API server's batch webhook backs off), so nothing is ever acknowledged and dropped.
 */
final class WebhookServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServlet.class);
  private static final String JSON = "application/json;charset=utf-8";
  static final int SLICE_EVENTS = 2_000;

  private final transient SourceInstance instance;
  private final transient EventRecorder recorder;
  private final transient WebhookTranslator translator;
  private final transient RefusedCalls refused;
  private final transient Semaphore inFlight;
  private final transient Provenance provenance;

  WebhookServlet(SourceInstance instance, EventRecorder recorder, WebhookTranslator translator) {
    this.instance = instance;
    this.recorder = recorder;
    this.translator = translator;
    this.refused = new RefusedCalls(instance, recorder);
    this.inFlight = new Semaphore(instance.maxConcurrentRequests());
    this.provenance = Provenance.sender(instance.sender());
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String requestId = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
    if (!instance.accepts(bearer(req.getHeader("Authorization")))) {
      resp.setHeader("WWW-Authenticate", "Bearer realm=\"opentrail\"");
      refused.record(
          req,
          requestId,
          false,
          "InvalidToken",
          "The request has no bearer token, or not the one configured for " + instance.sender());
      RequestBodies.drain(req, resp);
      answer(
          resp,
          401,
          error(
              "InvalidToken",
              "The request has no bearer token, or not the one configured for " + instance.sender(),
              requestId));
      return;
    }
    String method = req.getMethod();
    if (!"POST".equals(method) && !"PUT".equals(method)) {
      resp.setHeader("Allow", "POST, PUT");
      fail(req, resp, requestId, 405, "MethodNotAllowed", "Post audit entries with POST or PUT.");
      return;
    }
    if (!inFlight.tryAcquire()) {
      resp.setHeader("Retry-After", "1");
      RequestBodies.drain(req, resp);
      answer(
          resp,
          429,
          error(
              "Throttling",
              "More than "
                  + instance.maxConcurrentRequests()
                  + " requests at once for "
                  + instance.sender()
                  + "; send again after a second.",
              requestId));
      return;
    }
    long reserved = reservation(req);
    if (!MemoryBudget.tryTake(reserved)) {
      inFlight.release();
      resp.setHeader("Retry-After", "1");
      RequestBodies.drain(req, resp);
      answer(
          resp,
          429,
          error(
              "Throttling",
              "OpenTrail is translating as many bodies as it holds at once; send again after a"
                  + " second.",
              requestId));
      return;
    }
    try {
      handle(req, resp, requestId);
    } finally {
      MemoryBudget.give(reserved);
      inFlight.release();
    }
  }

  private void handle(HttpServletRequest req, HttpServletResponse resp, String requestId)
      throws IOException {
    byte[] body;
    try {
      body = RequestBodies.read(req, instance.maxBodyBytes());
    } catch (RequestBodies.TooLarge e) {
      resp.setHeader("Connection", "close"); // the rest of the body is not read
      fail(req, resp, requestId, 413, "RequestTooLarge", e.getMessage());
      return;
    } catch (IOException e) {
      fail(
          req, resp, requestId, 400, "MalformedBody", "The body cannot be read: " + e.getMessage());
      return;
    }
    Translation t;
    try {
      t = translator.translate(body);
    } catch (PayloadException e) {
      fail(req, resp, requestId, 400, "MalformedPayload", e.getMessage());
      return;
    } catch (RuntimeException e) {
      LOG.error("{}: the translator failed on request {}", instance.sender(), requestId, e);
      fail(req, resp, requestId, 400, "MalformedPayload", "The body cannot be translated.");
      return;
    }
    RecordResult history;
    RecordResult internal;
    try {
      history = inSlices(t.events(), false);
      internal = inSlices(t.serviceInternal(), true);
    } catch (StoreUnavailableException e) {
      resp.setHeader("Retry-After", "5");
      answer(resp, 503, error(e.code(), e.getMessage(), requestId));
      return;
    } catch (OpenTrailException e) {
      fail(req, resp, requestId, e.httpStatus(), e.code(), e.getMessage());
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("RequestId", requestId);
    m.put("Entries", t.entries());
    m.put("Accepted", history.accepted() + internal.accepted());
    m.put("Duplicates", history.duplicates() + internal.duplicates());
    m.put("NotCollected", internal.notCollected());
    m.put("Skipped", t.skipped().size());
    m.put("Unreadable", t.unreadable().size());
    if (!t.unreadable().isEmpty()) {
      List<String> reasons = t.unreadable().subList(0, Math.min(20, t.unreadable().size()));
      m.put("UnreadableReasons", reasons);
      refused.unreadableEntries(req, requestId, t.unreadable().size(), reasons);
    }
    long rejected = history.rejected() + internal.rejected();
    m.put("Rejected", rejected);
    if (rejected > 0) {
      List<String> reasons = reasons(history, internal);
      m.put("RejectedReasons", reasons);
      refused.rejectedEntries(req, requestId, reasons);
    }
    answer(resp, 200, m);
  }

  /**
   * Records events in slices of at most {@value #SLICE_EVENTS} events, within the recorder's batch
   * limits whatever the body held; a slice the recorder finds over its byte limit is halved (a
   * body's events are rarely more bytes than the body, so this almost never happens, and sizing
   * every event up front would write its JSON one more time). A failure part way leaves the slices
   * before it stored; the sender's retry makes them duplicates (the eventIds of a source are
   * derived from its entries), never second copies.
   */
  private RecordResult inSlices(List<Event> events, boolean internal) {
    List<EventOutcome> outcomes = new ArrayList<>(events.size());
    int from = 0;
    int size = SLICE_EVENTS;
    while (from < events.size()) {
      int to = Math.min(events.size(), from + size);
      RecordResult r;
      try {
        r = record(events.subList(from, to), internal);
      } catch (OpenTrailException e) {
        if (!"BatchTooLarge".equals(e.code()) || to - from == 1) {
          throw e;
        }
        size = Math.max(1, (to - from) / 2);
        continue;
      }
      for (EventOutcome o : r.outcomes()) {
        outcomes.add(
            new EventOutcome(
                from + o.index(), o.status(), o.eventId(), o.errorCode(), o.errorMessage()));
      }
      from = to;
    }
    return new RecordResult(outcomes);
  }

  /** Records events, giving those refused for a reason a retry cannot fix a second chance. */
  private RecordResult record(List<Event> events, boolean internal) {
    RecordResult r = recordOnce(events, internal);
    if (r.rejected() == 0) {
      return r;
    }
    SecondChance.Repaired repaired = SecondChance.repair(events, r);
    if (repaired.events().isEmpty()) {
      return r;
    }
    LOG.warn(
        "{}: {} entries recorded reduced (too large) or at their arrival (time ahead)",
        instance.sender(),
        repaired.events().size());
    return SecondChance.merge(r, repaired, recordOnce(repaired.events(), internal));
  }

  private RecordResult recordOnce(List<Event> events, boolean internal) {
    return internal
        ? recorder.recordServiceInternal(instance.accountId(), events, provenance)
        : recorder.record(instance.accountId(), events, provenance);
  }

  /** What a request's body may take of the memory budget: its length, or the most it may be. */
  private long reservation(HttpServletRequest req) {
    long declared = req.getContentLengthLong();
    String encoding = req.getHeader("Content-Encoding");
    boolean plain = encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity");
    return plain && declared >= 0
        ? Math.min(declared, instance.maxBodyBytes())
        : instance.maxBodyBytes();
  }

  private static List<String> reasons(RecordResult history, RecordResult internal) {
    return java.util.stream.Stream.concat(history.outcomes().stream(), internal.outcomes().stream())
        .filter(o -> o.status() == EventOutcome.Status.REJECTED)
        .map(o -> o.errorCode() + ": " + o.errorMessage())
        .limit(20)
        .toList();
  }

  private void fail(
      HttpServletRequest req,
      HttpServletResponse resp,
      String requestId,
      int status,
      String code,
      String message)
      throws IOException {
    refused.record(req, requestId, true, code, message);
    answer(resp, status, error(code, message, requestId));
  }

  private static Map<String, Object> error(String code, String message, String requestId) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Code", code);
    m.put("Message", message);
    m.put("RequestId", requestId);
    return m;
  }

  private static void answer(HttpServletResponse resp, int status, Map<String, Object> body)
      throws IOException {
    byte[] json = EventJson.write(body);
    resp.setStatus(status);
    resp.setContentType(JSON);
    resp.setContentLength(json.length);
    resp.getOutputStream().write(json);
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or {@code null}. */
  static String bearer(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = header.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}
