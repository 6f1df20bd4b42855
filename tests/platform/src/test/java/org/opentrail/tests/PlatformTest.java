package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;

/** OpenTrail's bundles in a real Felix, driven through the real Gogo shell. */
class PlatformTest {
  @TempDir Path dir;

  static String events(String user, int n) {
    return events(user, n, null);
  }

  /**
   * A batch of n events by {@code user}; with {@code idPrefix}, the client gives their eventIds.
   */
  static String events(String user, int n, String idPrefix) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "{" : ",{");
      if (idPrefix != null) {
        b.append("\"eventId\":\"").append(idPrefix).append(i).append("\",");
      }
      b.append("\"eventName\":\"PutObject\",\"eventRW\":\"Write\",\"serviceName\":\"Oss\",")
          .append("\"userIdentity\":{\"type\":\"ram-user\",\"userName\":\"")
          .append(user)
          .append("\"},")
          .append("\"resourceName\":\"bucket-")
          .append(i)
          .append("\",")
          .append("\"vendorData\":{\"n\":")
          .append(i)
          .append("}}");
    }
    return b.append("]").toString();
  }

  static List<String> ids(String text) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("(ACCEPTED|DUPLICATE) (\\S+)").matcher(text);
    while (m.find()) {
      ids.add(m.group(2));
    }
    return ids;
  }

  @Test
  void servicesAreWiredByDeclarativeServicesAndOnlyApiPackagesAreExported() throws Exception {
    try (Instance ot = new Instance(dir.resolve("data"))) {
      for (String[] s :
          new String[][] {
            {"org.opentrail.api.store.EventStore", "org.opentrail.store"},
            {"org.opentrail.api.event.EventRecorder", "org.opentrail.recorder"},
            {"org.opentrail.api.query.EventQuery", "org.opentrail.query"},
            {"org.opentrail.shell.EventCommands", "org.opentrail.shell"}
          }) {
        ServiceReference<?> ref = ot.context().getServiceReference(s[0]);
        assertNotNull(ref, s[0] + " is registered");
        assertEquals(s[1], ref.getBundle().getSymbolicName(), s[0] + " comes from its own bundle");
        assertNotNull(ref.getProperty("component.name"), s[0] + " is a DS component");
      }
      for (Bundle b : ot.context().getBundles()) {
        if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.opentrail")) {
          assertEquals(Bundle.ACTIVE, b.getState(), b.getSymbolicName() + " is active");
          BundleWiring w = b.adapt(BundleWiring.class);
          for (BundleCapability c : w.getCapabilities(BundleRevision.PACKAGE_NAMESPACE)) {
            String pkg = (String) c.getAttributes().get(BundleRevision.PACKAGE_NAMESPACE);
            assertTrue(
                b.getSymbolicName().equals("org.opentrail.api")
                    && pkg.startsWith("org.opentrail.api"),
                b.getSymbolicName() + " must not export " + pkg);
            assertNotNull(c.getAttributes().get("version"), pkg + " is versioned");
          }
        }
      }
      assertTrue(
          ot.run("help event:lookup").contains("newest first"), "commands have @Descriptor help");
    }
  }

  @Test
  void recordedEventsAreLookedUpWithinASecond() throws Exception {
    try (Instance ot = new Instance(dir.resolve("data"))) {
      Path file = dir.resolve("batch.json");
      Files.writeString(file, events("alice", 3));
      List<String> ids = ids(ot.run("event:record " + file));
      assertEquals(3, ids.size());
      long recorded = System.nanoTime();
      Instance.await(
          Duration.ofSeconds(1),
          () -> ot.run("event:lookup --user alice --json").contains(ids.get(2)),
          "the events to be looked up");
      long millis = (System.nanoTime() - recorded) / 1_000_000;
      assertTrue(millis <= 1000, "queryable " + millis + " ms after acknowledgement");
      String one = ot.run("event:lookup --event-id " + ids.get(1) + " --json");
      assertTrue(one.contains("\"recipientAccountId\":\"" + ot.account() + "\""), one);
      assertTrue(one.contains("\"vendorData\":{\"n\":1}"), "unknown fields are kept: " + one);
      assertTrue(ot.run("event:get " + ids.get(0)).contains("\"resourceName\" : \"bucket-0\""));
      assertTrue(
          ot.run("event:lookup --user alice --resource-name bucket-2 --rw Write")
              .contains(ids.get(2)));
    }
  }

  @Test
  void aRestartKeepsEventsConfigurationAndBundlesInstalledFromTheShell() throws Exception {
    Path data = dir.resolve("data");
    Path file = dir.resolve("batch.json");
    Files.writeString(file, events("bob", 50, "restart-test-"));
    List<String> ids;
    try (Instance ot = new Instance(data)) {
      ids = ids(ot.run("event:record " + file));
      ot.run("start file:" + Instance.SAMPLE_SOURCE.toAbsolutePath());
      assertEquals(Bundle.ACTIVE, ot.bundle("org.opentrail.source.sample").getState());
      Files.writeString(
          data.resolve("etc/org.opentrail.store.cfg"), "history.retention.days = 45\n");
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.run("store:status").contains("45 days"),
          "the .cfg to apply");
    }
    try (Instance ot = new Instance(data)) {
      ot.awaitIndexed();
      assertEquals(
          52,
          ot.storedEvents(),
          "50 recorded, and the sample source's start event before and after the restart");
      for (String id : ids) {
        assertTrue(ot.run("event:get " + id).contains(id));
      }
      String page = ot.run("event:lookup --user bob --max 50 --json");
      for (String id : ids) {
        assertTrue(page.contains(id), "looked up after restart: " + id);
      }
      assertTrue(ot.run("store:status").contains("45 days"), "configuration survives");
      Bundle sample = ot.bundle("org.opentrail.source.sample");
      assertNotNull(sample, "a bundle installed from the shell stays installed");
      assertEquals(Bundle.ACTIVE, sample.getState());
      String again = ot.run("event:record " + file);
      assertTrue(
          again.contains("0 accepted, 50 duplicate, 0 rejected"),
          "re-recording answers with the originals: " + again);
      assertEquals(ids, ids(again));
      assertEquals(52, ot.storedEvents(), "and stores nothing new");
    }
  }

  @Test
  void aSourceBundleDroppedIntoDeployBindsWithoutRestartAndLeavesWhenRemoved() throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = new Instance(data)) {
      assertNull(ot.bundle("org.opentrail.source.sample"));
      Path deployed = data.resolve("deploy/sample-source.jar");
      Files.copy(Instance.SAMPLE_SOURCE, deployed, StandardCopyOption.REPLACE_EXISTING);
      Instance.await(
          Duration.ofSeconds(10),
          () ->
              ot.bundle("org.opentrail.source.sample") != null
                  && ot.bundle("org.opentrail.source.sample").getState() == Bundle.ACTIVE,
          "the deployed bundle to start");
      Instance.await(
          Duration.ofSeconds(5),
          () -> ot.run("event:lookup --service SampleService").contains("SourceStarted"),
          "the source's start event, recorded through its bound EventRecorder");
      assertTrue(ot.run("sample:emit --count 10 --user carol").contains("10 events recorded"));
      Files.delete(deployed);
      Instance.await(
          Duration.ofSeconds(10),
          () -> ot.bundle("org.opentrail.source.sample") == null,
          "the bundle to be uninstalled");
      assertFalse(ot.run("help").contains("sample:emit"));
      ot.awaitIndexed();
      assertEquals(11, ot.storedEvents(), "what the source recorded stays");
    }
  }

  @Test
  void badInputGetsAClearErrorStoresNothingAndTheInstanceStaysUp() throws Exception {
    try (Instance ot = new Instance(dir.resolve("data"))) {
      Path bad = dir.resolve("bad.json");
      Files.writeString(bad, "[{\"eventName\": \"X\", ");
      assertTrue(
          ot.fails("event:record " + bad).startsWith("MalformedJson: "),
          ot.fails("event:record " + bad));
      Files.writeString(bad, "{\"eventName\": \"X\"}");
      assertTrue(ot.fails("event:record " + bad).contains("array"));
      Files.write(
          bad,
          new byte[] {'[', '{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', ']'});
      assertTrue(ot.fails("event:record " + bad).startsWith("MalformedJson: "), "invalid UTF-8");
      Files.writeString(bad, "[" + "[".repeat(100) + "]".repeat(100) + "]");
      assertTrue(ot.fails("event:record " + bad).startsWith("MalformedJson: "), "too deep");
      Files.writeString(bad, "[{\"eventName\":\"A\",\"eventName\":\"B\",\"eventRW\":\"Read\"}]");
      assertTrue(ot.fails("event:record " + bad).contains("Duplicate field"), "duplicate keys");
      Files.writeString(bad, events("many", 10_001));
      assertTrue(ot.fails("event:record " + bad).startsWith("BatchTooLarge: "));
      Files.writeString(
          bad,
          "[{\"eventName\":\"A\",\"eventRW\":\"Read\",\"serviceName\":\"S\",\"userIdentity\":{},\"requestParameters\":{\"x\":\""
              + "y".repeat(300_000)
              + "\"}}]");
      assertTrue(ot.fails("event:record " + bad).contains("1 of 1 events were rejected"));
      Files.writeString(bad, "[{\"eventRW\":\"Sometimes\"}]");
      ot.fails("event:record " + bad);
      assertEquals(0, ot.storedEvents(), "nothing stored from bad input");

      assertTrue(ot.fails("event:lookup --max 0").contains("MaxResults"));
      assertTrue(ot.fails("event:lookup --max 51").contains("MaxResults"));
      assertTrue(ot.fails("event:lookup --from yesterday").contains("StartTime"));
      assertTrue(
          ot.fails("event:lookup --from 2026-01-02T00:00:00Z --to 2026-01-01T00:00:00Z")
              .contains("StartTime"));
      assertTrue(ot.fails("event:lookup --next forged").contains("NextToken"));
      assertTrue(ot.fails("event:lookup --direction SIDEWAYS").contains("Direction"));
      assertTrue(ot.fails("event:lookup --since forever").contains("--since"));
      assertTrue(ot.fails("event:lookup --logstore nope").contains("nope"));
      assertTrue(ot.fails("event:get").length() > 0);

      Files.writeString(bad, events("after", 2));
      assertEquals(2, ids(ot.run("event:record " + bad)).size(), "still up and recording");
    }
  }
}
