package org.opentrail.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.alert.AlertState;
import org.opentrail.api.alert.CreatedRule;
import org.opentrail.api.alert.Evaluation;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.SearchResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.Logstores;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.MasterKeySealer;
import org.opentrail.logsearch.LogSearchService;
import org.opentrail.recorder.EventRecorderService;
import org.opentrail.recorder.RecorderConfig;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.util.converter.Converters;

/**
 * Alerts against the real search service over a real embedded store, the real recorder and secret
 * sealer, and a real HTTP receiver; time moves by an injected clock, evaluations run on demand.
 */
class AlertServiceTest {
  static final String A = "1234567890123456";
  static final String B = "6543210987654321";
  static final String LOGSTORE = "actiontrail_audit";

  @TempDir Path dir;
  EmbeddedEventStore store;
  LogSearchService search;
  EventRecorderService recorder;
  MasterKeySealer sealer;
  Receiver receiver;
  AlertServiceImpl alerts;
  volatile Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  @BeforeEach
  void setUp() throws Exception {
    Map<String, Object> sc = new LinkedHashMap<>();
    sc.put("index.refresh.millis", 20);
    store =
        new EmbeddedEventStore(
            dir.resolve("store"), Converters.standardConverter().convert(sc).to(StoreConfig.class));
    store.createStream(new StreamSpec(Logstores.stream(A, LOGSTORE), 30, true));
    search = new LogSearchService(store, dir.resolve("logsearch"), 20);
    recorder =
        new EventRecorderService(
            store,
            Converters.standardConverter().convert(Map.of()).to(RecorderConfig.class),
            "cn-test");
    AuthPaths paths = AuthPaths.under(dir.resolve("auth"));
    new org.opentrail.auth.IdentityRegistry(paths, A);
    sealer = new MasterKeySealer(paths);
    receiver = new Receiver();
    alerts = open();
  }

  AlertServiceImpl open() throws Exception {
    return open(false);
  }

  AlertServiceImpl open(boolean schedule) throws Exception {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("allowed.webhook.hosts", new String[] {"127.0.0.1"});
    c.put("webhook.timeout.millis", 2000);
    c.put("webhook.retries", 2);
    c.put("webhook.backoff.millis", 50);
    c.put("webhook.redeliveries", 2);
    c.put("webhook.redelivery.seconds", 60);
    c.put("tick.seconds", 1);
    AlertsConfig config = Converters.standardConverter().convert(c).to(AlertsConfig.class);
    return new AlertServiceImpl(
        search, recorder, sealer, dir.resolve("alerts"), config, clock, schedule);
  }

  @AfterEach
  void tearDown() throws Exception {
    alerts.close();
    receiver.close();
    search.close();
    store.close();
  }

  /** Appends {@code n} events to A's logstore, a second apart ending a minute before now. */
  void events(int n, String errorCode) throws Exception {
    List<Event> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("eventId", UUID.randomUUID().toString());
      e.put("eventVersion", "1");
      e.put("eventTime", now.minusSeconds(60 + i).toString());
      e.put("eventName", "DeleteBucket");
      e.put("eventRW", "Write");
      e.put("eventType", "ApiCall");
      e.put("serviceName", "Oss");
      e.put("acsRegion", "cn-hangzhou");
      e.put("recipientAccountId", A);
      if (errorCode != null) {
        e.put("errorCode", errorCode);
      }
      e.put("userIdentity", Map.of("type", "ram-user", "userName", "alice", "accountId", A));
      l.add(Event.of(e));
    }
    store.append(Logstores.stream(A, LOGSTORE), l);
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(30)));
  }

  AlertRule rule(String name, String condition, String webhook, int repeat) {
    return new AlertRule(
        name, LOGSTORE, "event.eventName: DeleteBucket", 5, 15, condition, "high", webhook, repeat);
  }

  /** The signature computed here, independently of the code under test. */
  static String hmac(String secret, byte[] body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(
        new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(Receiver.Request r) {
    return (Map<String, Object>) EventJson.read(r.body().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void firesWithTheExactCountAndASignatureThatVerifiesOnlyWithItsSecret() throws Exception {
    CreatedRule c = alerts.create(A, rule("deletes", "count > 100", receiver.url(), 60));
    assertEquals(64, c.webhookSecret().length());
    events(100, null);
    Evaluation e = alerts.evaluate(A, "deletes");
    assertEquals(100, e.count());
    assertEquals(Evaluation.OK, e.outcome());
    assertTrue(receiver.requests.isEmpty());
    events(1, null);
    e = alerts.evaluate(A, "deletes");
    assertEquals(Evaluation.FIRING, e.outcome());
    assertEquals("notified", e.notification());
    assertEquals(1, receiver.requests.size());
    Receiver.Request req = receiver.requests.get(0);
    Map<String, Object> body = json(req);
    assertEquals(101L, ((Number) body.get("count")).longValue());
    assertEquals("firing", body.get("state"));
    assertEquals("high", body.get("severity"));
    assertEquals(10, ((List<?>) body.get("sampleEventIds")).size());
    byte[] raw = req.body().getBytes(StandardCharsets.UTF_8);
    assertEquals(hmac(c.webhookSecret(), raw), req.signature());
    assertNotEquals(hmac("0".repeat(64), raw), req.signature());
    assertNotNull(req.timestamp());
    assertFalse(req.body().contains(c.webhookSecret()));
    assertEquals("firing", alerts.state(A, "deletes").status());
  }

  @Test
  void deduplicatesUntilTheRepeatIntervalThenResolves() throws Exception {
    alerts.create(A, rule("dedup", "count >= 5", receiver.url(), 30));
    events(5, null);
    for (int i = 0; i < 5; i++) {
      alerts.evaluate(A, "dedup");
      now = now.plus(Duration.ofMinutes(5));
    }
    // evaluated at +0..+20 minutes: one notification; the events stay in the 15-minute window
    // only for the first three, so it resolved by the fourth
    AlertState s = alerts.state(A, "dedup");
    List<String> outcomes = s.history().stream().map(Evaluation::outcome).toList();
    assertEquals(List.of("ok", "resolved", "firing", "firing", "firing"), outcomes, s.toString());
    assertEquals(
        List.of("none", "notified", "deduplicated", "deduplicated", "notified"),
        s.history().stream().map(Evaluation::notification).toList());
    assertEquals(2, receiver.requests.size());
    assertEquals("resolved", json(receiver.requests.get(1)).get("state"));
    assertEquals(0L, ((Number) json(receiver.requests.get(1)).get("count")).longValue());
  }

  @Test
  void repeatsOnceTheRepeatIntervalHasPassed() throws Exception {
    alerts.create(
        A, new AlertRule("again", LOGSTORE, "*", 1, 60, "count > 0", "low", receiver.url(), 10));
    events(3, null);
    for (int i = 0; i < 12; i++) {
      alerts.evaluate(A, "again");
      now = now.plus(Duration.ofMinutes(1));
    }
    // firing at +0..+11 minutes (events stay in the 60-minute window): notified at +0 and +10
    assertEquals(2, receiver.requests.size());
    assertEquals("firing", json(receiver.requests.get(1)).get("state"));
  }

  @Test
  void silenceRecordsButNotifiesNobody() throws Exception {
    alerts.create(A, rule("quiet", "count > 0", receiver.url(), 60));
    alerts.silence(A, "quiet", now, now.plus(Duration.ofHours(2)));
    events(3, null);
    Evaluation e = alerts.evaluate(A, "quiet");
    assertEquals(Evaluation.FIRING, e.outcome());
    assertEquals("silenced", e.notification());
    assertTrue(receiver.requests.isEmpty());
    assertEquals(0, firedEvents().count());
    now = now.plus(Duration.ofHours(2));
    events(2, null);
    e = alerts.evaluate(A, "quiet");
    assertEquals("notified", e.notification());
    assertEquals(1, receiver.requests.size());
  }

  @Test
  void aWebhookThatFailsIsRetriedAndTheFailureIsVisible() throws Exception {
    alerts.create(A, rule("gone", "count > 0", receiver.url(), 60));
    receiver.close();
    events(2, null);
    Evaluation e = alerts.evaluate(A, "gone");
    assertTrue(e.notification().startsWith("webhook pending: ConnectException"), e.notification());
  }

  @Test
  void aFailedWebhookIsRetriedWithoutAnnouncingTheAlertAgain() throws Exception {
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
        new ch.qos.logback.core.read.ListAppender<>();
    logs.start();
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.opentrail.alerts");
    log.addAppender(logs);
    try {
      CreatedRule c = alerts.create(A, rule("down", "count > 0", receiver.url(), 60));
      events(2, null);
      receiver.status = 503;
      Instant firedAt = now;
      Evaluation e = alerts.evaluate(A, "down");
      assertEquals(Evaluation.FIRING, e.outcome());
      assertEquals("webhook pending: HTTP 503 after 3 attempts", e.notification());
      assertEquals(3, receiver.requests.size(), "the first attempt and two immediate retries");
      AlertState s = alerts.state(A, "down");
      assertEquals("firing", s.webhook().state());
      assertEquals(3, s.webhook().attempts());
      assertEquals(firedAt.plusSeconds(60), s.webhook().nextAttempt());
      assertEquals(
          "webhook: HTTP 503 after 3 attempts; retrying at " + firedAt.plusSeconds(60),
          s.lastError());
      assertEquals(firedAt, s.lastNotified(), "announced once, even though the webhook failed");
      receiver.status = 200;
      now = now.plusSeconds(30); // not due yet
      assertEquals("deduplicated", alerts.evaluate(A, "down").notification());
      assertEquals(3, receiver.requests.size());
      now = now.plusSeconds(30);
      e = alerts.evaluate(A, "down");
      assertEquals("deduplicated", e.notification());
      assertEquals(4, receiver.requests.size(), "delivered once after recovery");
      assertEquals(receiver.requests.get(0).body(), receiver.requests.get(3).body());
      byte[] raw = receiver.requests.get(3).body().getBytes(StandardCharsets.UTF_8);
      assertEquals(hmac(c.webhookSecret(), raw), receiver.requests.get(3).signature());
      s = alerts.state(A, "down");
      assertNull(s.webhook());
      assertNull(s.lastError());
      now = now.plusSeconds(600);
      alerts.evaluate(A, "down");
      assertEquals(4, receiver.requests.size());
      assertTrue(search.awaitCaughtUp(Duration.ofSeconds(30)));
      assertEquals(1, firedEvents().count(), "exactly one AlertFired event");
      assertEquals(
          1,
          logs.list.stream().filter(l -> l.getFormattedMessage().contains("is firing")).count(),
          "exactly one log line");
      assertEquals(
          1,
          logs.list.stream()
              .filter(l -> l.getFormattedMessage().contains("the webhook failed"))
              .count(),
          "one line about the webhook's failure, none about its retry");
    } finally {
      log.detachAppender(logs);
    }
  }

  @Test
  void theSchedulerRetriesAPendingWebhookWithoutEvaluatingAgain() throws Exception {
    alerts.close();
    alerts = open(true);
    events(2, null);
    receiver.status = 503;
    alerts.create(A, rule("ticked", "count > 0", receiver.url(), 60));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (alerts.state(A, "ticked").webhook() == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(3, alerts.state(A, "ticked").webhook().attempts());
    receiver.status = 200;
    now = now.plusSeconds(60); // the retry is due; the rule (every 5 minutes) is not
    deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (alerts.state(A, "ticked").webhook() != null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    AlertState s = alerts.state(A, "ticked");
    assertNull(s.webhook());
    assertEquals(4, receiver.requests.size());
    assertEquals(1, s.history().size(), "retried by the tick, not evaluated again");
    assertEquals(receiver.requests.get(0).body(), receiver.requests.get(3).body());
  }

  @Test
  void aWebhookThatNeverRecoversIsGivenUpAfterItsRetries() throws Exception {
    alerts.create(A, rule("dead", "count > 0", receiver.url(), 600));
    events(1, null);
    receiver.status = 503;
    alerts.evaluate(A, "dead");
    now = now.plusSeconds(60);
    alerts.evaluate(A, "dead");
    assertEquals(6, receiver.requests.size());
    assertEquals(now.plusSeconds(120), alerts.state(A, "dead").webhook().nextAttempt());
    now = now.plusSeconds(120);
    alerts.evaluate(A, "dead");
    assertEquals(9, receiver.requests.size());
    AlertState s = alerts.state(A, "dead");
    assertTrue(s.webhook().givenUp());
    assertEquals(9, s.webhook().attempts());
    assertEquals("webhook: HTTP 503 after 3 attempts; gave up after 9 attempts", s.lastError());
    now = now.plusSeconds(60); // still firing, deduplicated: nothing new, nothing retried
    assertEquals("deduplicated", alerts.evaluate(A, "dead").notification());
    assertEquals(9, receiver.requests.size());
    alerts.close();
    alerts = open();
    assertEquals(9, alerts.state(A, "dead").webhook().attempts(), "kept across a restart");
  }

  /** Records {@code n} events of A in the history through the recorder. */
  void historyEvents(int n) throws Exception {
    List<Event> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("eventVersion", "1");
      e.put("eventTime", now.minusSeconds(30 + i).toString());
      e.put("eventName", "PutObject");
      e.put("eventRW", "Write");
      e.put("eventType", "ApiCall");
      e.put("serviceName", "Oss");
      e.put("acsRegion", "cn-hangzhou");
      e.put("userIdentity", Map.of("type", "ram-user", "userName", "bob", "accountId", A));
      l.add(Event.of(e));
    }
    assertEquals(0, recorder.record(A, l).rejected());
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(30)));
  }

  @Test
  void alertEventsNeverFeedRulesThatDoNotNameThem() throws Exception {
    alerts.create(A, rule("source", "count > 0", null, 60));
    alerts.create(
        A, new AlertRule("everything", "history", "*", 1, 60, "count > 0", "low", null, 60));
    alerts.create(
        A,
        new AlertRule(
            "fired", "history", "eventName: AlertFired", 1, 60, "count > 0", "low", null, 60));
    events(3, null);
    assertEquals(Evaluation.FIRING, alerts.evaluate(A, "source").outcome());
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(30)));
    assertEquals(1, firedEvents().count());
    now = now.plus(Duration.ofMinutes(1)); // the AlertFired event is inside the windows now
    Evaluation e = alerts.evaluate(A, "everything");
    assertEquals(0, e.count(), "the AlertFired event is not counted by *");
    assertEquals(Evaluation.OK, e.outcome());
    e = alerts.evaluate(A, "fired");
    assertEquals(1, e.count(), "a rule naming AlertFired counts it");
    assertEquals(Evaluation.FIRING, e.outcome());
    historyEvents(2);
    e = alerts.evaluate(A, "everything");
    assertEquals(2, e.count());
    assertEquals(Evaluation.FIRING, e.outcome());
    // its own AlertFired event does not keep it firing once the real events leave the window
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(30)));
    assertEquals(3, firedEvents().count());
    now = now.plus(Duration.ofMinutes(60)); // its own AlertFired event is still in the window
    e = alerts.evaluate(A, "everything");
    assertEquals(0, e.count());
    assertEquals(Evaluation.RESOLVED, e.outcome());
  }

  @Test
  void updateChangesARuleAndResetsItsStateOnlyWhenWhatFiresChanges() throws Exception {
    CreatedRule c = alerts.create(A, rule("changing", "count > 0", receiver.url(), 60));
    events(3, null);
    alerts.evaluate(A, "changing");
    assertEquals("firing", alerts.state(A, "changing").status());
    AlertRule severe =
        new AlertRule(
            "changing",
            LOGSTORE,
            "event.eventName: DeleteBucket",
            10,
            30,
            "count > 0",
            "CRITICAL",
            receiver.url() + "?v=2",
            120);
    AlertRule stored = alerts.update(A, severe);
    assertEquals("critical", stored.severity());
    AlertState s = alerts.state(A, "changing");
    assertEquals("firing", s.status(), "severity, schedule and webhook do not reset the state");
    assertEquals(1, s.history().size());
    assertEquals(stored, s.rule());
    alerts.silence(A, "changing", now, now.plus(Duration.ofHours(1)));
    alerts.update(
        A,
        new AlertRule("changing", LOGSTORE, "*", 10, 30, "count > 2", "low", receiver.url(), 120));
    s = alerts.state(A, "changing");
    assertEquals("ok", s.status(), "a new condition resets the state");
    assertNull(s.lastNotified());
    assertEquals(1, s.history().size(), "the history is kept");
    assertNotNull(s.silenceTo(), "the silence is kept");
    alerts.silence(A, "changing", now, now);
    events(1, null);
    Evaluation e = alerts.evaluate(A, "changing");
    assertEquals(4, e.count());
    assertEquals("notified", e.notification());
    Receiver.Request last = receiver.requests.get(receiver.requests.size() - 1);
    assertEquals(
        hmac(c.webhookSecret(), last.body().getBytes(StandardCharsets.UTF_8)),
        last.signature(),
        "the secret is kept");
    assertEquals("low", json(last).get("severity"));
    // validation identical to create, and nothing changed by a refused update
    AlertRule before = alerts.state(A, "changing").rule();
    for (AlertRule bad :
        List.of(
            rule("changing", "count >> 5", null, 60),
            new AlertRule("changing", LOGSTORE, "(((", 5, 15, "count > 1", "low", null, 0),
            new AlertRule("changing", LOGSTORE, "*", 0, 15, "count > 1", "low", null, 0),
            new AlertRule("changing", LOGSTORE, "*", 5, 15, "count > 1", "urgent", null, 0),
            rule("changing", "count > 1", "http://169.254.169.254/latest", 60),
            new AlertRule("changing", "actiontrail_nope", "*", 5, 15, "count > 1", "low", null, 0),
            rule("changing", "errorCode == \"AccessDenied\"", null, 60))) {
      OpenTrailException create =
          assertThrows(OpenTrailException.class, () -> alerts.create(A, rename(bad, "fresh")));
      OpenTrailException update =
          assertThrows(OpenTrailException.class, () -> alerts.update(A, bad));
      assertEquals(create.code(), update.code());
      assertEquals(create.getMessage(), update.getMessage());
    }
    assertEquals(before, alerts.state(A, "changing").rule());
    assertEquals(
        "AlertRuleNotExist",
        assertThrows(OpenTrailException.class, () -> alerts.update(B, before)).code());
    alerts.create(A, rule("plain", "count > 0", null, 60));
    OpenTrailException hook =
        assertThrows(
            OpenTrailException.class,
            () -> alerts.update(A, rule("plain", "count > 0", receiver.url(), 60)));
    assertEquals("InvalidParameter", hook.code());
    alerts.close();
    alerts = open();
    assertEquals(before, alerts.state(A, "changing").rule(), "an update survives a restart");
  }

  static AlertRule rename(AlertRule r, String name) {
    return new AlertRule(
        name,
        r.logstore(),
        r.query(),
        r.everyMinutes(),
        r.lastMinutes(),
        r.condition(),
        r.severity(),
        r.webhookUrl(),
        r.repeatIntervalMinutes());
  }

  SearchResult firedEvents() {
    return search.getLogs(
        A,
        EventStore.HISTORY,
        now.minus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(1)),
        "eventName: AlertFired and serviceName: opentrail.alert",
        0,
        100,
        true);
  }

  @Test
  void anAlertFiredEventIsRecordedInTheHistory() throws Exception {
    alerts.create(A, rule("recorded", "event.errorCode == \"AccessDenied\"", null, 60));
    events(4, "NoSuchKey");
    assertEquals(Evaluation.OK, alerts.evaluate(A, "recorded").outcome());
    events(2, "AccessDenied");
    Evaluation e = alerts.evaluate(A, "recorded");
    assertEquals(Evaluation.FIRING, e.outcome());
    assertEquals(2, e.count());
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(30)));
    SearchResult r = firedEvents();
    assertEquals(1, r.count());
    Event fired = r.events().get(0).event();
    assertEquals("Read", fired.getString("eventRW"));
    assertEquals("ACS::OpenTrail::AlertRule", fired.getString("resourceType"));
    assertEquals("recorded", fired.getString("resourceName"));
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) fired.get("additionalEventData");
    assertEquals(2L, ((Number) data.get("count")).longValue());
    assertEquals("firing", data.get("state"));
  }

  @Test
  void aRestartKeepsStateAndDoesNotNotifyAgain() throws Exception {
    alerts.create(A, rule("kept", "count > 0", receiver.url(), 60));
    events(2, null);
    alerts.evaluate(A, "kept");
    assertEquals(1, receiver.requests.size());
    alerts.close();
    alerts = open();
    now = now.plus(Duration.ofMinutes(5));
    Evaluation e = alerts.evaluate(A, "kept");
    assertEquals("deduplicated", e.notification());
    assertEquals(1, receiver.requests.size());
    assertEquals(2, alerts.state(A, "kept").history().size());
    assertEquals("firing", alerts.state(A, "kept").status());
  }

  @Test
  void theSchedulerEvaluatesRulesAtTheirPeriod() throws Exception {
    alerts.close();
    alerts = open(true);
    events(3, null);
    alerts.create(A, rule("scheduled", "count > 2", receiver.url(), 60));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (receiver.requests.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(1, receiver.requests.size());
    assertEquals(3L, ((Number) json(receiver.requests.get(0)).get("count")).longValue());
    Thread.sleep(2500);
    // not due again until five minutes of the (stopped) clock have passed
    assertEquals(1, alerts.state(A, "scheduled").history().size());
    now = now.plus(Duration.ofMinutes(5));
    deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (alerts.state(A, "scheduled").history().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals("deduplicated", alerts.state(A, "scheduled").history().get(0).notification());
  }

  @Test
  void accountsSeeOnlyTheirOwnRules() throws Exception {
    alerts.create(A, rule("mine", "count > 0", null, 60));
    assertTrue(alerts.list(B).isEmpty());
    assertEquals(1, alerts.list(A).size());
    assertEquals(
        "AlertRuleNotExist",
        assertThrows(OpenTrailException.class, () -> alerts.state(B, "mine")).code());
    assertEquals(
        "AlertRuleNotExist",
        assertThrows(OpenTrailException.class, () -> alerts.evaluate(B, "mine")).code());
    OpenTrailException e =
        assertThrows(
            OpenTrailException.class,
            () -> alerts.create(B, rule("theirs", "count > 0", null, 60)));
    assertEquals("LogStoreNotExist", e.code());
  }

  @Test
  void badRulesAreClearErrors() {
    assertEquals(
        "Condition \"count >> 5\" at character 8: expected a whole number (0 to 18 digits).",
        assertThrows(
                OpenTrailException.class,
                () -> alerts.create(A, rule("a1", "count >> 5", null, 60)))
            .getMessage());
    assertTrue(
        assertThrows(
                OpenTrailException.class,
                () -> alerts.create(A, rule("a1", "errorCode > \"x\"", null, 60)))
            .getMessage()
            .contains("compares with =="));
    assertTrue(
        assertThrows(
                OpenTrailException.class,
                () -> alerts.create(A, rule("a1", "count > 5 and", null, 60)))
            .getMessage()
            .contains("unexpected \"and\""));
    OpenTrailException unknown =
        assertThrows(
            OpenTrailException.class,
            () ->
                alerts.create(
                    A,
                    new AlertRule(
                        "a1", "actiontrail_nope", "*", 5, 15, "count > 1", "low", null, 0)));
    assertEquals("LogStoreNotExist", unknown.code());
    assertTrue(
        assertThrows(
                OpenTrailException.class,
                () ->
                    alerts.create(
                        A, new AlertRule("a1", LOGSTORE, "*", 0, 15, "count > 1", "low", null, 0)))
            .getMessage()
            .contains("every of an alert rule is 1 to 1440 minutes, not 0"));
    assertTrue(
        assertThrows(
                OpenTrailException.class,
                () ->
                    alerts.create(A, rule("a1", "count > 1", "http://169.254.169.254/latest", 60)))
            .getMessage()
            .contains("host 169.254.169.254 is not allowed"));
    assertTrue(
        assertThrows(
                OpenTrailException.class,
                () -> alerts.create(A, rule("Bad Name", "count > 1", null, 60)))
            .getMessage()
            .contains("name \"Bad Name\" is invalid"));
    assertTrue(
        assertThrows(
                OpenTrailException.class,
                () ->
                    alerts.create(
                        A,
                        new AlertRule("a1", LOGSTORE, "*", 5, 15, "count > 1", "urgent", null, 0)))
            .getMessage()
            .contains("severity \"urgent\" is invalid"));
    assertEquals(
        "InvalidQuery",
        assertThrows(
                OpenTrailException.class,
                () ->
                    alerts.create(
                        A,
                        new AlertRule("a1", LOGSTORE, "(((", 5, 15, "count > 1", "low", null, 0)))
            .code());
    OpenTrailException unindexed =
        assertThrows(
            OpenTrailException.class,
            () -> alerts.create(A, rule("a1", "errorCode == \"AccessDenied\"", null, 60)));
    assertTrue(
        unindexed.getMessage().contains("'errorCode' is not indexed"), unindexed.getMessage());
    assertEquals(
        "MissingParameter",
        assertThrows(OpenTrailException.class, () -> alerts.create(A, rule("a1", " ", null, 60)))
            .code());
    assertTrue(alerts.list(A).isEmpty());
  }

  @Test
  void withoutASecretSealerWebhookRulesAreRefused() throws Exception {
    alerts.close();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("allowed.webhook.hosts", "127.0.0.1, *.example.com");
    alerts =
        new AlertServiceImpl(
            search,
            recorder,
            null,
            dir.resolve("alerts"),
            Converters.standardConverter().convert(c).to(AlertsConfig.class),
            clock,
            false);
    OpenTrailException e =
        assertThrows(
            OpenTrailException.class,
            () -> alerts.create(A, rule("hooked", "count > 0", "https://hooks.example.com/x", 60)));
    assertEquals("SecretSealerUnavailable", e.code());
    assertNull(alerts.create(A, rule("plain", "count > 0", null, 60)).webhookSecret());
    assertEquals(List.of("plain"), alerts.list(A).stream().map(AlertRule::name).toList());
  }
}
