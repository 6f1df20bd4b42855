package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;
import org.slf4j.LoggerFactory;

/** Bad configuration keeps the running setting; the component stays up and keeps working. */
class TrailSettingsTest extends TrailFixture {
  private final Logger log = (Logger) LoggerFactory.getLogger(TrailSettings.class);
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void listen() {
    logs.start();
    log.addAppender(logs);
  }

  @AfterEach
  void stopListening() {
    log.detachAppender(logs);
  }

  private static TrailConfig trailConfig(Map<String, Object> m) {
    return config(TrailConfig.class, m);
  }

  private List<String> errors() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void anInvalidChangeIsRefusedNamingPidKeyValueAndRuleAndTheOldSettingStays() throws Exception {
    TrailSettings s = new TrailSettings(trailConfig(Map.of("retry.initial.millis", 250)));
    assertFalse(s.update(trailConfig(Map.of("retry.initial.millis", 0))));
    assertEquals(250, s.retry_initial_millis());
    String error = errors().get(0);
    assertTrue(error.contains(TrailConfig.PID), error);
    assertTrue(error.contains("retry.initial.millis=0"), error);
    assertTrue(error.contains("from 100 to"), error);
    assertTrue(error.contains("kept"), error);

    assertFalse(
        s.update(trailConfig(Map.of("retry.initial.millis", 5000, "retry.max.millis", 1000))));
    assertEquals(250, s.retry_initial_millis());
    assertEquals(60_000, s.retry_max_millis());
    assertFalse(s.update(trailConfig(Map.of("batch.max.events", 0))));
    assertFalse(s.update(trailConfig(Map.of("batch.max.bytes", -1))));
    assertFalse(s.update(trailConfig(Map.of("max.trails.per.account", 0))));
    assertEquals(10_000, s.batch_max_events());

    assertTrue(s.update(trailConfig(Map.of("retry.initial.millis", 1000, "batch.max.events", 7))));
    assertEquals(1000, s.retry_initial_millis());
    assertEquals(7, s.batch_max_events());
  }

  @Test
  void anInvalidConfigurationAtActivationGivesTheDefaultsButKeepsTheDirectory() {
    TrailSettings s =
        new TrailSettings(
            trailConfig(Map.of("retry.initial.millis", 0, "directory", "/somewhere/trails")));
    assertEquals(500, s.retry_initial_millis());
    assertEquals(60_000, s.retry_max_millis());
    assertEquals("/somewhere/trails", s.directory());
    assertTrue(errors().get(0).contains("retry.initial.millis=0"), errors().toString());
  }

  @Test
  void theDirectoryDoesNotMoveUnderRunningTrails() {
    TrailSettings s = new TrailSettings(trailConfig(Map.of("directory", "/a")));
    assertTrue(s.update(trailConfig(Map.of("directory", "/b", "batch.max.events", 9))));
    assertEquals("/a", s.directory());
    assertEquals(9, s.batch_max_events());
  }

  @Test
  void theManagerKeepsDeliveringThroughABadChange() throws Exception {
    trails.create(A, TrailSpec.of("config-trail", DestinationSpec.of("mem", Map.of())));
    trails.startLogging(A, "config-trail");
    record(3, "Write");
    await(() -> mem.delivered("mem").size() == 3, "delivery");
    trails.modified(trailConfig(Map.of("retry.initial.millis", 0)));
    assertFalse(errors().isEmpty());
    assertEquals(100, trails.settings().retry_initial_millis(), "the fixture's setting stays");
    record(2, "Write");
    await(() -> mem.delivered("mem").size() == 5, "delivery after the refused change");
    trails.modified(
        trailConfig(
            Map.of(
                "batch.linger.millis", 5, "retry.initial.millis", 200, "retry.max.millis", 400)));
    assertEquals(200, trails.settings().retry_initial_millis());
    record(2, "Write");
    await(() -> mem.delivered("mem").size() == 7, "delivery after an applied change");
  }

  @Test
  void backoffIsEqualJitterBetweenHalfTheCeilingAndTheCeiling() {
    Backoff b = new Backoff(100, 1000);
    long[] ceilings = {100, 200, 400, 800, 1000, 1000, 1000};
    for (int round = 0; round < 200; round++) {
      for (long c : ceilings) {
        long d = b.next();
        assertTrue(d >= c / 2 && d <= c, "delay " + d + " for ceiling " + c);
      }
      b.reset();
    }
    long[] live = {100};
    Backoff changing = new Backoff(() -> live[0], () -> 1000);
    live[0] = 400;
    changing.reset();
    long d = changing.next();
    assertTrue(d >= 200 && d <= 400, "a changed initial delay applies after a reset: " + d);
  }

  @Test
  void digestSettingsAreCheckedAndApplyLive() {
    TrailSettings s = new TrailSettings(trailConfig(Map.of()));
    assertEquals(3600, s.digest_interval_seconds(), "hourly by default");
    assertEquals("", s.home_region(), "the platform's region by default");
    assertFalse(s.update(trailConfig(Map.of("digest.interval.seconds", 0))));
    assertFalse(s.update(trailConfig(Map.of("digest.interval.seconds", 86_401))));
    assertFalse(s.update(trailConfig(Map.of("home.region", "Cn_Bad/../x"))));
    assertEquals(3, errors().size(), errors().toString());
    assertTrue(errors().get(0).contains("digest.interval.seconds=0"), errors().get(0));
    assertTrue(errors().get(2).contains("home.region=Cn_Bad/../x"), errors().get(2));
    assertEquals(3600, s.digest_interval_seconds());
    assertTrue(s.update(trailConfig(Map.of("digest.interval.seconds", 60, "home.region", "eu-x"))));
    assertEquals(60, s.digest_interval_seconds());
    assertEquals("eu-x", s.home_region());
  }
}
