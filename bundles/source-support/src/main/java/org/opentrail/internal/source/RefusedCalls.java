package org.opentrail.internal.source;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.Provenance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, in the history of the instance's account, the posts a webhook refused (bad token,
 * malformed or oversized body) and the entries the recorder rejected: an audit system shows who
 * tried to write to it and what it did not keep. Each is an {@code ApiCall} event named {@code
 * PostAuditLog} of service {@code OpenTrail}, on resource {@code ACS::OpenTrail::Source} {@code
 * <source>/<instance>}, with the error. The refused body is never stored, only its size.
 */
final class RefusedCalls {
  private static final Logger LOG = LoggerFactory.getLogger(RefusedCalls.class);
  private static final int MAX_TEXT = 1024;

  private final SourceInstance instance;
  private final EventRecorder recorder;

  RefusedCalls(SourceInstance instance, EventRecorder recorder) {
    this.instance = instance;
    this.recorder = recorder;
  }

  /**
   * Records a refused post; never throws (the sender is answered whatever happens here). At most
   * {@value #PER_WINDOW} refusals are recorded one by one per {@value #WINDOW_SECONDS} seconds; the
   * next one recorded after a burst says how many were not (so a flood of unauthenticated posts
   * cannot fill the history, and is still seen).
   *
   * @param authenticated whether the caller presented the sender's token
   */
  void record(
      HttpServletRequest req,
      String requestId,
      boolean authenticated,
      String code,
      String message) {
    long suppressed = admit();
    if (suppressed < 0) {
      return;
    }
    LOG.warn(
        "{}: refused a post from {} ({}: {})",
        instance.sender(),
        req.getRemoteAddr(),
        code,
        message);
    Map<String, Object> e = base(req, requestId, authenticated);
    if (suppressed > 0) {
      @SuppressWarnings("unchecked")
      Map<String, Object> params = (Map<String, Object>) e.get(EventFields.REQUEST_PARAMETERS);
      params.put("refusedNotRecordedBefore", suppressed);
    }
    e.put(EventFields.ERROR_CODE, code);
    e.put(EventFields.ERROR_MESSAGE, clip(message));
    store(e, requestId);
  }

  /** Records that a post was accepted but some of its entries were rejected, and why. */
  void rejectedEntries(HttpServletRequest req, String requestId, List<String> reasons) {
    LOG.warn("{}: rejected entries in request {}: {}", instance.sender(), requestId, reasons);
    Map<String, Object> e = base(req, requestId, true);
    e.put(EventFields.ERROR_CODE, "EntriesRejected");
    e.put(EventFields.ERROR_MESSAGE, clip(String.join("; ", reasons)));
    store(e, requestId);
  }

  /** Records that a post held entries that could not be read, how many, and why. */
  void unreadableEntries(
      HttpServletRequest req, String requestId, int count, List<String> reasons) {
    LOG.warn(
        "{}: {} unreadable entries in request {}: {}",
        instance.sender(),
        count,
        requestId,
        reasons);
    Map<String, Object> e = base(req, requestId, true);
    e.put(EventFields.ERROR_CODE, "EntriesUnreadable");
    e.put(
        EventFields.ERROR_MESSAGE,
        clip(count + " entries not recorded: " + String.join("; ", reasons)));
    store(e, requestId);
  }

  static final int PER_WINDOW = 20;
  static final int WINDOW_SECONDS = 10;
  private long windowStart;
  private int inWindow;
  private long suppressed;

  /**
   * Whether to record one more refusal now: -1 if not (it is counted), else how many were not
   * recorded since the last one that was.
   */
  private synchronized long admit() {
    long now = System.nanoTime();
    if (now - windowStart > WINDOW_SECONDS * 1_000_000_000L) {
      windowStart = now;
      inWindow = 0;
    }
    if (inWindow >= PER_WINDOW) {
      suppressed++;
      return -1;
    }
    inWindow++;
    long s = suppressed;
    suppressed = 0;
    return s;
  }

  private Map<String, Object> base(
      HttpServletRequest req, String requestId, boolean authenticated) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put(EventFields.EVENT_VERSION, "1");
    e.put(EventFields.EVENT_TIME, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    e.put(EventFields.EVENT_TYPE, "ApiCall");
    e.put(EventFields.EVENT_NAME, "PostAuditLog");
    e.put(EventFields.EVENT_RW, EventFields.WRITE);
    e.put(EventFields.SERVICE_NAME, "OpenTrail");
    e.put(EventFields.EVENT_SOURCE, "sources.opentrail");
    e.put(EventFields.REQUEST_ID, requestId);
    e.put(EventFields.SOURCE_IP_ADDRESS, req.getRemoteAddr());
    String agent = req.getHeader("User-Agent");
    if (agent != null) {
      e.put(EventFields.USER_AGENT, clip(agent));
    }
    Map<String, Object> id = new LinkedHashMap<>();
    id.put(EventFields.IDENTITY_TYPE, authenticated ? "source-sender" : "unknown");
    if (authenticated) {
      id.put(EventFields.IDENTITY_USER_NAME, instance.sender());
    }
    e.put(EventFields.USER_IDENTITY, id);
    e.put(EventFields.RESOURCE_TYPE, "ACS::OpenTrail::Source");
    e.put(EventFields.RESOURCE_NAME, instance.sender());
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("method", req.getMethod());
    params.put("path", clip(req.getRequestURI()));
    params.put("contentLength", req.getContentLengthLong());
    e.put(EventFields.REQUEST_PARAMETERS, params);
    return e;
  }

  private void store(Map<String, Object> e, String requestId) {
    try {
      recorder.record(
          instance.accountId(), List.of(Event.of(e)), Provenance.sender(instance.sender()));
    } catch (RuntimeException ex) {
      LOG.error(
          "{}: the refused call {} could not be recorded: {}",
          instance.sender(),
          requestId,
          ex.toString());
    }
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_TEXT));
    for (int i = 0; i < s.length() && b.length() < MAX_TEXT; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return b.toString();
  }
}
