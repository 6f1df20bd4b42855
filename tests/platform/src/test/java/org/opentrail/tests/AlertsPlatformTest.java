package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * alert:* in the real platform: a rule on the history created from the shell fires once into a real
 * HTTP receiver started here (signed with the secret the shell showed), de-duplicates, shows its
 * state and history, records an AlertFired event a search finds, is updated (alert:update),
 * silenced and deleted.
 */
class AlertsPlatformTest {
  static final List<String> FEATURES =
      List.of("core", "shell", "auth", "trail", "logsearch", "alerts");

  @TempDir Path dir;

  static String hmac(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aRuleCreatedFromTheShellFiresIntoAWebhookOnce() throws Exception {
    List<String[]> got = new CopyOnWriteArrayList<>();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/alerts",
        x -> {
          got.add(
              new String[] {
                new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                x.getRequestHeaders().getFirst("X-OpenTrail-Signature")
              });
          x.sendResponseHeaders(204, -1);
          x.close();
        });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    Path data = dir.resolve("data");
    Files.createDirectories(data.resolve("etc"));
    Files.writeString(
        data.resolve(
            "etc/org.opentrail.alerts.cfg"), // no scheduled run during the test: evaluations come
        // from alert:evaluate only
        "allowed.webhook.hosts = 127.0.0.1\ntick.seconds = 3600\n");
    try (Instance ot = new Instance(data, FEATURES)) {
      ot.record(30, "alerter");
      Instance.await(
          Duration.ofSeconds(30),
          () ->
              ot.run("log:query --json --since 1h history \"userIdentity.userName: alerter\"")
                  .contains("\"Count\":30,\"Progress\":\"Complete\""),
          "indexed");
      String bad =
          ot.fails(
              "alert:create --logstore history --condition \"count > 5\" --webhook"
                  + " http://10.0.0.1/x bad");
      assertTrue(bad.contains("is not allowed"), bad);
      String[] created = new String[1];
      Instance.await(
          Duration.ofSeconds(30),
          () ->
              (created[0] =
                      ot.attempt(
                                  "alert:create --logstore history --query"
                                      + " \"userIdentity.userName: alerter\" --every 1 --window 60"
                                      + " --condition \"count >= 30\" --severity critical --webhook "
                                      + url
                                      + " probe")
                              == null
                          ? "ok"
                          : null)
                  != null,
          "the webhook's host allowed by the .cfg");
      // the probe shows the .cfg has been applied; it is not evaluated
      String out = ot.run("alert:show probe");
      assertTrue(out.contains("state ok"), out);
      ot.run("alert:delete probe");
      String c =
          ot.run(
              "alert:create --logstore history --query \"userIdentity.userName: alerter\""
                  + " --every 1 --window 60 --condition \"count >= 30\" --severity critical"
                  + " --webhook "
                  + url
                  + " spike");
      Matcher m = Pattern.compile("secret .*: ([0-9a-f]{64})").matcher(c);
      assertTrue(m.find(), c);
      String secret = m.group(1);
      String first = ot.run("alert:evaluate spike");
      assertTrue(first.contains("count 30, firing, notification notified"), first);
      String second = ot.run("alert:evaluate spike");
      assertTrue(second.contains("notification deduplicated"), second);
      assertEquals(1, got.size());
      assertTrue(got.get(0)[0].contains("\"count\":30"), got.get(0)[0]);
      assertEquals(hmac(secret, got.get(0)[0]), got.get(0)[1]);
      String show = ot.run("alert:show spike");
      assertTrue(show.contains("state firing"), show);
      assertTrue(show.contains("deduplicated") && show.contains("notified"), show);
      assertTrue(!show.contains(secret) && !ot.run("alert:show --json spike").contains(secret));
      Instance.await(
          Duration.ofSeconds(30),
          () ->
              ot.run(
                      "log:query --json --since 1h history \"eventName: AlertFired and"
                          + " resourceName: spike\"")
                  .contains("\"Count\":1,"),
          "the AlertFired event in the history");
      // alert:update changes only what is given; a new condition resets the state
      String updated = ot.run("alert:update --severity low --repeat 30 spike");
      assertTrue(updated.contains("Alert rule spike updated.\nState: firing."), updated);
      String refused = ot.fails("alert:update --condition \"count >> 5\" spike");
      assertTrue(refused.contains("Condition \"count >> 5\" at character 8"), refused);
      updated = ot.run("alert:update --condition \"count >= 31\" spike");
      assertTrue(updated.contains("State: ok."), updated);
      show = ot.run("alert:show spike");
      assertTrue(show.contains("count >= 31, low, repeat 30m, webhook " + url), show);
      ot.run("alert:update --condition \"count >= 30\" spike");
      assertTrue(ot.run("alert:evaluate spike").contains("firing, notification notified"));
      assertEquals(2, got.size());
      assertEquals(hmac(secret, got.get(1)[0]), got.get(1)[1], "the secret survives updates");
      ot.run("alert:silence --for 2h spike");
      assertTrue(ot.run("alert:list").contains("firing (silenced)"));
      String other = ot.fails("alert:show -a 999999999999 spike");
      assertTrue(other.contains("AlertRuleNotExist"), other);
      ot.run("alert:delete spike");
      assertTrue(ot.run("alert:list").contains("No alert rules."));
    } finally {
      server.stop(0);
    }
  }
}
