package org.opentrail.recorder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.store.EmbeddedEventStore;
import org.opentrail.store.StoreConfig;
import org.osgi.framework.BundleContext;
import org.osgi.util.converter.Converters;
import org.slf4j.LoggerFactory;

/** Bad recorder configuration keeps the running setting. */
class RecorderConfigTest {
  static final String ACCOUNT = "1234567890123456";
  @TempDir Path dir;
  EmbeddedEventStore store;
  final Map<String, String> properties = new HashMap<>();
  final Logger log = (Logger) LoggerFactory.getLogger(EventRecorderService.class);
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void open() throws Exception {
    store =
        new EmbeddedEventStore(
            dir.resolve("store"),
            Converters.standardConverter().convert(Map.of()).to(StoreConfig.class));
    properties.put("opentrail.account.id", ACCOUNT);
    logs.start();
    log.addAppender(logs);
  }

  @AfterEach
  void close() {
    log.detachAppender(logs);
    store.close();
  }

  private BundleContext context() {
    return (BundleContext)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "getProperty" -> properties.get((String) args[0]);
                  case "getDataFile" -> new File(dir.toFile(), (String) args[0]);
                  default -> null;
                });
  }

  private static RecorderConfig config(Map<String, Object> m) {
    return Converters.standardConverter().convert(m).to(RecorderConfig.class);
  }

  private List<String> errors() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Test
  void anInvalidSkewAtActivationGivesTheDefault() {
    EventRecorderService r =
        new EventRecorderService(store, context(), config(Map.of("max.clock.skew.minutes", -5)));
    assertEquals(EventRecorderService.DEFAULT_SKEW_MINUTES, r.maxSkewMinutes());
    assertTrue(errors().get(0).contains(RecorderConfig.PID), errors().toString());
    assertTrue(errors().get(0).contains("max.clock.skew.minutes=-5"), errors().toString());
  }

  @Test
  void anInvalidChangeKeepsTheCurrentSettings() {
    EventRecorderService r =
        new EventRecorderService(
            store, context(), config(Map.of("max.clock.skew.minutes", 30, "region", "cn-a")));
    r.modified(context(), config(Map.of("max.clock.skew.minutes", -1, "region", "cn-b")));
    assertEquals(30, r.maxSkewMinutes());
    assertEquals("cn-a", r.region());
    r.modified(context(), config(Map.of("max.clock.skew.minutes", 5, "region", "bad region!")));
    assertEquals(30, r.maxSkewMinutes());
    assertEquals("cn-a", r.region());
    assertEquals(2, errors().size(), errors().toString());
    assertTrue(errors().get(0).contains("kept"), errors().get(0));
    r.modified(context(), config(Map.of("max.clock.skew.minutes", 5, "region", "cn-b")));
    assertEquals(5, r.maxSkewMinutes());
    assertEquals("cn-b", r.region());
  }
}
