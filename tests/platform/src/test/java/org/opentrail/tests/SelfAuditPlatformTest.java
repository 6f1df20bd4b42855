package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform audits its own administration, in a real Felix with the real bundles: operator
 * commands, bundles dropped into and removed from deploy/, .cfg files edited in etc/ (secret values
 * redacted), and its own start and stop, an unclean one said so.
 */
class SelfAuditPlatformTest {
  @TempDir Path dir;

  static String lookup(Instance ot, String name) {
    return ot.run("event:lookup --event-name " + name + " --since 1h --json");
  }

  @Test
  void commandsBundlesConfigurationAndStartsAreRecorded() throws Exception {
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("selfaudit"));
    Files.writeString(data.resolve("selfaudit/running"), "2026-01-01T00:00:00Z"); // a crash
    try (Instance ot = Instance.withHttp(data, "selfaudit")) {
      Instance.await(
          Duration.ofSeconds(20),
          () -> lookup(ot, "StartOpenTrail").contains("\"previousStop\":\"unclean\""),
          "the start after a crash, said so");

      ot.run("auth:grant; trail:create newcomer1 file:bucket=audit-log");
      String created = lookup(ot, "trail:create"); // each command of a line is its own event
      assertTrue(created.contains("trail:create newcomer1 file:bucket=audit-log"), created);
      assertTrue(lookup(ot, "auth:grant").contains("eventId"));
      assertFalse(
          lookup(ot, "StartBundle").contains("eventId"),
          "the platform's own start is one StartOpenTrail, not a StartBundle per bundle");
      assertTrue(created.contains("\"type\":\"local-operator\""), created);
      assertTrue(created.contains("\"userName\":\"" + System.getProperty("user.name")), created);
      assertFalse(lookup(ot, "trail:list").contains("eventId"), "reads are not recorded");
      ot.attempt("trail:delete no-such-trail");
      String failed = lookup(ot, "trail:delete");
      assertTrue(failed.contains("\"errorCode\":\"Failed\""), failed);

      Files.writeString(
          data.resolve("etc/org.opentrail.example.cfg"),
          "endpoint=https://example.com\napi.password=hunter2-secret\n");
      Instance.await(
          Duration.ofSeconds(20),
          () -> lookup(ot, "UpdateConfiguration").contains("org.opentrail.example"),
          "the configuration change recorded");
      String config = lookup(ot, "UpdateConfiguration");
      assertTrue(config.contains("\"endpoint\":\"https://example.com\""), config);
      assertTrue(config.contains("\"api.password\":\"<redacted>\""), config);
      assertFalse(config.contains("hunter2"), "a secret value is never recorded");

      Path deployed = data.resolve("deploy/sample-source.jar");
      Files.copy(Instance.SAMPLE_SOURCE, deployed);
      Instance.await(
          Duration.ofSeconds(20),
          () -> lookup(ot, "StartBundle").contains("org.opentrail.source.sample"),
          "the hot deploy recorded");
      assertTrue(lookup(ot, "InstallBundle").contains("org.opentrail.source.sample"));
      Files.delete(deployed);
      Instance.await(
          Duration.ofSeconds(20),
          () -> lookup(ot, "UninstallBundle").contains("org.opentrail.source.sample"),
          "the removal recorded: evidence no longer collected");
    }
    try (Instance ot = Instance.withHttp(data, "selfaudit")) {
      Instance.await(
          Duration.ofSeconds(20),
          () -> lookup(ot, "StartOpenTrail").contains("\"previousStop\":\"clean\""),
          "the start after a clean stop");
      assertTrue(lookup(ot, "StopOpenTrail").contains("eventId"), "the clean stop recorded");
    }
  }
}
