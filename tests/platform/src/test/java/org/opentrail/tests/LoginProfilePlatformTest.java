package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RAM's login profile operations over the real HTTP API and the console's sign-in with them, in the
 * distribution's bundles: the password policy's errors, the password never answered nor recorded,
 * another account's users out of reach, and a deleted profile no longer signing in.
 */
class LoginProfilePlatformTest {
  @TempDir Path dir;

  @Test
  void loginProfilesThroughTheApiSignInToTheConsole() throws Exception {
    try (Instance ot = Instance.withHttp(dir.resolve("data"), "console")) {
      ApiClient api = new ApiClient(ot.httpPort);
      ApiClient.Key a = ot.rootKey();
      String pw = "S3cret-Console-Pw";
      assertEquals(200, api.call(a, "CreateUser", Map.of("UserName", "carol")).status());
      ApiClient.Answer weak =
          api.call(a, "CreateLoginProfile", Map.of("UserName", "carol", "Password", "short"));
      assertEquals(400, weak.status(), weak.toString());
      assertEquals("InvalidParameter.Password", weak.code());
      assertFalse(weak.body().contains("short"), weak.body());
      ApiClient.Answer made =
          api.call(
              a,
              "CreateLoginProfile",
              Map.of("UserName", "carol", "Password", pw, "PasswordResetRequired", "false"));
      assertEquals(200, made.status(), made.toString());
      assertFalse(made.body().contains(pw), made.body());
      assertEquals(
          409,
          api.call(a, "CreateLoginProfile", Map.of("UserName", "carol", "Password", pw)).status());
      ApiClient.Answer got = api.call(a, "GetLoginProfile", Map.of("UserName", "carol"));
      assertTrue(got.body().contains("\"UserName\":\"carol\""), got.body());
      assertEquals(
          "InvalidParameter.PasswordResetRequired",
          api.call(
                  a,
                  "UpdateLoginProfile",
                  Map.of("UserName", "carol", "PasswordResetRequired", "maybe"))
              .code());

      // another account's root does not reach carol
      Matcher m =
          Pattern.compile(
                  "Account ([0-9]+) created\\.\\s+AccessKeyId:\\s+(\\S+)\\s+AccessKeySecret:\\s+(\\S+)")
              .matcher(ot.run("auth:accountadd"));
      assertTrue(m.find());
      String accountB = m.group(1);
      ApiClient.Key b = new ApiClient.Key(m.group(2), m.group(3));
      assertEquals(
          "EntityNotExist.User",
          api.call(b, "GetLoginProfile", Map.of("UserName", "carol")).code());
      assertEquals(
          "EntityNotExist.User",
          api.call(b, "DeleteLoginProfile", Map.of("UserName", "carol")).code());

      // a user of account B, signed in to the console, sees none of account A's events
      String eventOfA = ot.record(1, "secret-of-a").get(0);
      assertEquals(200, api.call(b, "CreateUser", Map.of("UserName", "dave")).status());
      assertEquals(
          200,
          api.call(
                  b,
                  "CreatePolicy",
                  Map.of(
                      "PolicyName",
                      "all",
                      "PolicyDocument",
                      "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
                          + "\"Resource\":\"*\"}]}"))
              .status());
      assertEquals(
          200,
          api.call(
                  b,
                  "AttachPolicyToUser",
                  Map.of("PolicyType", "Custom", "PolicyName", "all", "UserName", "dave"))
              .status());
      assertEquals(
          200,
          api.call(b, "CreateLoginProfile", Map.of("UserName", "dave", "Password", pw)).status());
      String base = "http://127.0.0.1:" + ot.httpPort + "/console";
      HttpResponse<String> dave = signin(base + "/signin", "dave@" + accountB, pw);
      assertEquals(303, dave.statusCode(), dave.body());
      String cookie = dave.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
      String byId = get(base + "/history?range=7d&EventId=" + eventOfA, cookie).body();
      assertFalse(byId.contains("id=\"event-"), byId);
      assertTrue(byId.contains("0 events on page 1"), byId);
      String opened = get(base + "/history?open=" + eventOfA, cookie).body();
      assertTrue(opened.contains("EventNotFound"), opened);
      assertFalse(opened.contains("secret-of-a"), opened);
      assertFalse(get(base + "/history?range=7d", cookie).body().contains("secret-of-a"));

      // the recorded call shows no password
      String recorded = ot.run("event:lookup --event-name CreateLoginProfile --json");
      assertEquals(3, count(recorded, "\"Password\":\"<redacted>\""), recorded);
      assertFalse(recorded.contains(pw), recorded);
      assertFalse(recorded.contains("\"short\""), recorded);

      String console = "http://127.0.0.1:" + ot.httpPort + "/console/signin";
      String history = base + "/history";
      String carol = cookie(signin(console, "carol@" + ot.account(), pw));
      assertEquals(403, get(history, carol).statusCode()); // signed in, without a policy
      // a changed password ends the sessions signed in with the old one
      String pw2 = "An0ther-Console-Pw";
      assertEquals(
          200,
          api.call(a, "UpdateLoginProfile", Map.of("UserName", "carol", "Password", pw2)).status());
      HttpResponse<String> ended = get(history, carol);
      assertEquals(303, ended.statusCode());
      assertEquals("/console/signin", ended.headers().firstValue("Location").orElse(""));
      carol = cookie(signin(console, "carol@" + ot.account(), pw2));
      assertEquals(403, get(history, carol).statusCode());
      assertEquals(200, api.call(a, "DeleteLoginProfile", Map.of("UserName", "carol")).status());
      assertEquals(303, get(history, carol).statusCode());
      // so does disabling the access key a session signed in with
      ApiClient.Answer key = api.call(a, "CreateAccessKey", Map.of("UserName", "carol"));
      Matcher id = Pattern.compile("\"AccessKeyId\":\"([^\"]+)\"").matcher(key.body());
      Matcher secret = Pattern.compile("\"AccessKeySecret\":\"([^\"]+)\"").matcher(key.body());
      assertTrue(id.find() && secret.find(), key.body());
      String withKey =
          cookie(
              post(
                  console,
                  "accessKeyId="
                      + id.group(1)
                      + "&accessKeySecret="
                      + java.net.URLEncoder.encode(secret.group(1), "UTF-8")));
      assertEquals(403, get(history, withKey).statusCode());
      assertEquals(
          200,
          api.call(
                  a,
                  "UpdateAccessKey",
                  Map.of("UserName", "carol", "UserAccessKeyId", id.group(1), "Status", "Inactive"))
              .status());
      assertEquals(303, get(history, withKey).statusCode());
      HttpResponse<String> refused = signin(console, "carol@" + ot.account(), pw);
      assertEquals(401, refused.statusCode());
      assertTrue(refused.body().contains("InvalidSignin"), refused.body());
      assertEquals(
          "EntityNotExist.User.LoginProfile",
          api.call(a, "GetLoginProfile", Map.of("UserName", "carol")).code());

      // the console is a bundle like any other: stopped, it is gone and the API stays
      org.osgi.framework.Bundle bundle = null;
      for (org.osgi.framework.Bundle x : ot.context().getBundles()) {
        if ("org.opentrail.console".equals(x.getSymbolicName())) {
          bundle = x;
        }
      }
      assertTrue(bundle != null, "the console bundle is installed");
      bundle.stop();
      assertEquals(404, get(console).statusCode());
      assertEquals(200, api.call(a, "GetUser", Map.of("UserName", "carol")).status());
      bundle.start();
      long end = System.nanoTime() + 20_000_000_000L;
      while (get(console).statusCode() != 200 && System.nanoTime() < end) {
        Thread.sleep(50);
      }
      assertEquals(200, get(console).statusCode());
    }
  }

  private static HttpResponse<String> get(String url, String cookie) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> signin(String url, String name, String password)
      throws Exception {
    return post(
        url,
        "name="
            + java.net.URLEncoder.encode(name, "UTF-8")
            + "&password="
            + java.net.URLEncoder.encode(password, "UTF-8"));
  }

  private static HttpResponse<String> post(String url, String form) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The session cookie of a successful sign-in. */
  private static String cookie(HttpResponse<String> signedIn) {
    assertEquals(303, signedIn.statusCode(), signedIn.body());
    return signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
