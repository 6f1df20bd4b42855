package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every operation, called by a user without permission, by a user whom a Deny stops, with a
 * disabled key, with a wrong secret, with an old timestamp and with a reused nonce: each refused
 * with its own code, and each refusal in the history as an event with that code.
 */
class AuthorizationMatrixTest {
  @TempDir Path dir;

  static final Map<String, Map<String, String>> OPERATIONS = new LinkedHashMap<>();

  static {
    Map<String, String> trail = Map.of("Name", "matrix-trail");
    OPERATIONS.put("CreateTrail", Map.of("Name", "matrix-trail", "OssBucketName", "matrix"));
    OPERATIONS.put("UpdateTrail", Map.of("Name", "matrix-trail", "OssKeyPrefix", "x"));
    OPERATIONS.put("DeleteTrail", trail);
    OPERATIONS.put("DescribeTrails", Map.of());
    OPERATIONS.put("GetTrailStatus", trail);
    OPERATIONS.put("StartLogging", trail);
    OPERATIONS.put("StopLogging", trail);
    OPERATIONS.put("LookupEvents", Map.of());
    OPERATIONS.put("DescribeRegions", Map.of());
    OPERATIONS.put("CreateDeliveryHistoryJob", Map.of("TrailName", "matrix-trail"));
    OPERATIONS.put("GetDeliveryHistoryJob", Map.of("JobId", "1"));
    OPERATIONS.put("ListDeliveryHistoryJobs", Map.of());
    OPERATIONS.put("DeleteDeliveryHistoryJob", Map.of("JobId", "1"));
    OPERATIONS.put("PutEvents", Map.of("Events", HttpApiTest.events("MatrixEvent", 1)));
    OPERATIONS.put("ListPublicKeys", Map.of("StartTime", "2000-01-01T00:00:00Z"));
    Map<String, String> rule = Map.of("Name", "matrix-rule");
    OPERATIONS.put(
        "CreateAlertRule",
        Map.of("Name", "matrix-rule", "LogStoreName", "history", "Condition", "count > 1"));
    OPERATIONS.put("UpdateAlertRule", Map.of("Name", "matrix-rule", "Severity", "low"));
    OPERATIONS.put("DeleteAlertRule", rule);
    OPERATIONS.put("DescribeAlertRules", Map.of());
    OPERATIONS.put(
        "SilenceAlertRule", Map.of("Name", "matrix-rule", "EndTime", "2100-01-01T00:00:00Z"));
    OPERATIONS.put("EvaluateAlertRule", rule);
    OPERATIONS.put("ExportLogs", Map.of("LogStoreName", "history"));
  }

  @Test
  void everyOperationIsRefusedForEveryReasonAndEachRefusalIsRecorded() throws Exception {
    try (Instance ot = Instance.withHttp(dir.resolve("data"))) {
      ApiClient api = new ApiClient(ot.httpPort);
      ApiClient.Key root = ot.rootKey();
      ApiClient.Key nobody = user(api, root, "nobody");
      ApiClient.Key denied = user(api, root, "denied");
      ApiClient.Key reader = user(api, root, "reader");
      ApiClient.Key disabled = user(api, root, "disabled");
      policy(api, root, "allow-all", "Allow", "actiontrail:*", "*", "denied", "disabled");
      policy(
          api,
          root,
          "deny-all",
          "Deny",
          "actiontrail:*",
          "acs:actiontrail:*:" + ot.account() + ":*",
          "denied");
      policy(
          api,
          root,
          "read-only",
          "Allow",
          "[\"actiontrail:Describe*\",\"actiontrail:get*\",\"actiontrail:Lookup*\"]",
          "*",
          "reader");
      ok(
          api.call(
              root,
              "UpdateAccessKey",
              Map.of(
                  "UserName", "disabled", "UserAccessKeyId", disabled.id(), "Status", "Inactive")));

      Map<String, String> expected = new HashMap<>(); // RequestId -> code
      for (Map.Entry<String, Map<String, String>> op : OPERATIONS.entrySet()) {
        String action = op.getKey();
        Map<String, String> params = op.getValue();
        expect(
            expected,
            "Forbidden.RAM",
            403,
            api.call(nobody, action, params),
            action + " by a user without policies");
        expect(
            expected,
            "Forbidden.RAM",
            403,
            api.call(denied, action, params),
            action + " by a user with a Deny");
        expect(
            expected,
            "InvalidAccessKeyId.Inactive",
            400,
            api.call(disabled, action, params),
            action + " with a disabled key");
        expect(
            expected,
            "SignatureDoesNotMatch",
            400,
            api.call(new ApiClient.Key(root.id(), "not-the-secret"), action, params),
            action + " with a wrong secret");
        Map<String, String> old =
            ApiClient.common(
                action, ApiClient.VERSION, root, Instant.now().minus(Duration.ofMinutes(20)));
        expect(
            expected,
            "InvalidTimeStamp.Expired",
            400,
            api.post(root, old, params),
            action + " with a 20-minute-old timestamp");
        Map<String, String> once =
            ApiClient.common(action, ApiClient.VERSION, nobody, Instant.now());
        api.post(nobody, once, params);
        expect(
            expected,
            "SignatureNonceUsed",
            400,
            api.post(nobody, once, params),
            action + " with a reused nonce");
      }
      // the wildcards of the read-only policy: Describe*, get* (case-insensitive) and Lookup* only
      ok(api.call(reader, "DescribeTrails", Map.of()));
      ok(api.call(reader, "LookupEvents", Map.of()));
      ok(api.call(reader, "DescribeRegions", Map.of()));
      assertEquals(
          "TrailNotFound",
          api.call(reader, "GetTrailStatus", Map.of("Name", "matrix-trail")).code());
      expect(
          expected,
          "Forbidden.RAM",
          403,
          api.call(reader, "CreateTrail", OPERATIONS.get("CreateTrail")),
          "CreateTrail by a reader");
      expect(
          expected,
          "Forbidden.RAM",
          403,
          api.call(reader, "PutEvents", OPERATIONS.get("PutEvents")),
          "PutEvents by a reader");
      // users manage nothing in RAM without a policy for it, and nobody reaches another account
      expect(
          expected,
          "Forbidden.RAM",
          403,
          api.call(denied, "CreateUser", Map.of("UserName", "intruder")),
          "CreateUser by a user");

      ot.awaitIndexed();
      Map<String, String> recorded = recordedErrors(api, root);
      for (Map.Entry<String, String> e : expected.entrySet()) {
        assertEquals(
            e.getValue(), recorded.get(e.getKey()), "the audit event of request " + e.getKey());
      }
      assertTrue(expected.size() >= OPERATIONS.size() * 6);
    }
  }

  static ApiClient.Key user(ApiClient api, ApiClient.Key root, String name) {
    ok(api.call(root, "CreateUser", Map.of("UserName", name)));
    ApiClient.Answer key = ok(api.call(root, "CreateAccessKey", Map.of("UserName", name)));
    return new ApiClient.Key(key.field("AccessKeyId"), key.field("AccessKeySecret"));
  }

  static void policy(
      ApiClient api,
      ApiClient.Key root,
      String name,
      String effect,
      String action,
      String resource,
      String... users) {
    String actions = action.startsWith("[") ? action : "\"" + action + "\"";
    String document =
        "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\""
            + effect
            + "\",\"Action\":"
            + actions
            + ",\"Resource\":\""
            + resource
            + "\"}]}";
    ok(api.call(root, "CreatePolicy", Map.of("PolicyName", name, "PolicyDocument", document)));
    for (String u : users) {
      ok(
          api.call(
              root,
              "AttachPolicyToUser",
              Map.of("PolicyName", name, "PolicyType", "Custom", "UserName", u)));
    }
  }

  static ApiClient.Answer ok(ApiClient.Answer a) {
    assertEquals(200, a.status(), a.toString());
    return a;
  }

  static void expect(
      Map<String, String> expected, String code, int status, ApiClient.Answer a, String what) {
    assertEquals(code, a.code(), what + ": " + a);
    assertEquals(status, a.status(), what + ": " + a);
    assertNotNull(a.requestId(), what);
    expected.put(a.requestId(), code);
  }

  /** RequestId -> errorCode of every API call event in the account's history, over the API. */
  static Map<String, String> recordedErrors(ApiClient api, ApiClient.Key root) {
    Map<String, String> out = new TreeMap<>();
    String token = null;
    do {
      Map<String, String> p = new LinkedHashMap<>();
      p.put("MaxResults", "50");
      if (token != null) {
        p.put("NextToken", token);
      }
      Map<?, ?> page =
          new com.google.gson.Gson()
              .fromJson(ok(api.call(root, "LookupEvents", p)).body(), Map.class);
      for (Object e : (List<?>) page.get("Events")) {
        Map<?, ?> event = (Map<?, ?>) e;
        if (event.get("requestId") != null) { // API calls; recorded events have none
          out.put((String) event.get("requestId"), (String) event.get("errorCode"));
        }
      }
      token = (String) page.get("NextToken");
    } while (token != null && !token.isEmpty());
    return out;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
