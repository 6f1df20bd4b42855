package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.auth.SignedRequest;
import org.osgi.framework.BundleContext;
import org.slf4j.LoggerFactory;

/** Bad auth configuration keeps the running limits; signed requests keep being served. */
class AuthConfigTest extends AuthFixture {
  final Logger log = (Logger) LoggerFactory.getLogger(RequestAuthenticator.class);
  final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void listen() {
    logs.start();
    log.addAppender(logs);
  }

  @AfterEach
  void stopListening() {
    log.detachAppender(logs);
  }

  private BundleContext context() {
    return (BundleContext)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class},
            (proxy, m, args) ->
                m.getName().equals("getProperty") && "opentrail.data".equals(args[0])
                    ? data.toString()
                    : null);
  }

  private List<String> errors() {
    return logs.list.stream()
        .filter(e -> e.getLevel() == Level.ERROR)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private Signer root() throws Exception {
    Properties p = new Properties();
    try (var r = java.nio.file.Files.newBufferedReader(paths.credentials())) {
      p.load(r);
    }
    return new Signer(p.getProperty("access_key_id"), p.getProperty("access_key_secret"));
  }

  @Test
  void invalidLimitsAtActivationGiveTheDefaultsAndRequestsAreServed() throws Exception {
    RequestAuthenticator auth =
        new RequestAuthenticator(
            registry,
            config(Map.of("max.clock.skew.minutes", 0, "nonce.cache.max.entries", 0)),
            context());
    assertEquals(15, auth.skewMinutes());
    assertEquals(2, errors().size(), errors().toString());
    assertTrue(errors().get(0).contains(AuthConfig.PID + ": max.clock.skew.minutes=0"));
    assertEquals(A, auth.authenticate(root().rpc(Map.of())).accountId());
  }

  @Test
  void anInvalidChangeKeepsTheCurrentLimits() throws Exception {
    RequestAuthenticator auth =
        new RequestAuthenticator(registry, config(Map.of("max.clock.skew.minutes", 10)), context());
    auth.modified(config(Map.of("max.clock.skew.minutes", 61)));
    assertEquals(10, auth.skewMinutes());
    auth.modified(config(Map.of("max.clock.skew.minutes", 20, "nonce.cache.max.entries", -3)));
    assertEquals(10, auth.skewMinutes());
    assertEquals(2, errors().size(), errors().toString());
    assertTrue(errors().get(1).contains("nonce.cache.max.entries=-3"), errors().get(1));
    assertTrue(errors().get(1).contains("kept"), errors().get(1));
    auth.modified(config(Map.of("max.clock.skew.minutes", 5)));
    assertEquals(5, auth.skewMinutes());
    assertEquals(A, auth.authenticate(root().rpc(Map.of())).accountId());
  }

  @Test
  void aLargerSkewCannotReplayRequestsWhoseNoncesWereForgotten() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2030-01-01T10:00:30Z"));
    RequestAuthenticator auth =
        new RequestAuthenticator(
            registry, config(Map.of("max.clock.skew.minutes", 5)), clock, null);
    SignedRequest old = root().nonce("once").at(clock.instant()).rpc(Map.of());
    assertEquals(A, auth.authenticate(old).accountId());
    clock.advance(Duration.ofMinutes(10)); // its nonce is forgotten, its timestamp expired
    auth.modified(config(Map.of("max.clock.skew.minutes", 30)));
    fails("InvalidTimeStamp.Expired", 400, () -> auth.authenticate(old));
    SignedRequest fresh = root().at(clock.instant().minusSeconds(60)).rpc(Map.of());
    assertEquals(A, auth.authenticate(fresh).accountId(), "requests signed since still pass");
  }
}
