package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10 over the HTTP API, as two tenants would use it: trails of the same name in two accounts,
 * a bucket of one account named by the other (refused without the owner's role, accepted with it,
 * ActionTrail's OssWriteRoleArn), separate logstores with their own retention, and a secret of a
 * destination never answered or recorded.
 */
class CrossAccountPlatformTest {
  @TempDir Path dir;

  @Test
  void twoAccountsKeepTheirOwnDestinations() throws Exception {
    try (Instance ot = Instance.withHttp(dir.resolve("data"))) {
      ApiClient api = new ApiClient(ot.httpPort);
      ApiClient.Key a = ot.rootKey();
      String created = ot.run("auth:accountadd");
      Matcher m =
          Pattern.compile(
                  "Account ([0-9]+) created\\.\\s+AccessKeyId:\\s+(\\S+)\\s+AccessKeySecret:\\s+(\\S+)")
              .matcher(created);
      assertTrue(m.find(), created);
      String accountB = m.group(1);
      ApiClient.Key b = new ApiClient.Key(m.group(2), m.group(3));
      ot.run("auth:grant");
      ot.run("auth:grant -a " + accountB);

      // the same trail name in both accounts, each with its own logstore and retention
      ok(api.call(a, "CreateTrail", Map.of("Name", "shared-name", "OssBucketName", "a-bucket")));
      ok(
          api.call(
              b,
              "CreateTrail",
              Map.of(
                  "Name",
                  "shared-name",
                  "Destinations",
                  "[{\"Type\":\"logstore\",\"Config\":{\"retentionDays\":\"1\"}}]")));
      ok(
          api.call(
              a,
              "UpdateTrail",
              Map.of(
                  "Name",
                  "shared-name",
                  "Destinations",
                  "[{\"Type\":\"logstore\",\"Config\":{\"retentionDays\":\"90\"}}]")));

      // a request B's key sends that cannot be read is filed in B's history, not in A's
      ApiClient.Answer unreadable =
          api.send(
              "GET",
              "Action=DescribeTrails&Action=DescribeTrails&AccessKeyId=" + b.id(),
              null,
              null,
              Map.of());
      assertEquals(400, unreadable.status(), unreadable.body());
      String id = unreadable.requestId();
      Instance.await(
          java.time.Duration.ofSeconds(10),
          () -> api.call(b, "LookupEvents", Map.of("MaxResults", "50")).body().contains(id),
          "the unreadable call in B's history");
      assertFalse(
          api.call(a, "LookupEvents", Map.of("MaxResults", "50")).body().contains(id),
          "B's unreadable call in A's history");

      // B names A's bucket: refused, without saying whose it is
      ApiClient.Answer refused =
          api.call(b, "CreateTrail", Map.of("Name", "into-a-trail", "OssBucketName", "a-bucket"));
      assertEquals(403, refused.status(), refused.toString());
      assertEquals("NoPermission.DestinationResource", refused.field("Code"));
      assertFalse(refused.body().contains(ot.account()), refused.body());
      // with a role of A that trusts ActionTrail for B: accepted
      String trust =
          "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":"
              + "{\"Service\":[\""
              + accountB
              + "@actiontrail.aliyuncs.com\"]}}],\"Version\":\"1\"}";
      String roleArn = "acs:ram::" + ot.account() + ":role/deliver-for-b";
      Map<String, String> viaRole =
          Map.of("Name", "into-a-trail", "OssBucketName", "a-bucket", "OssWriteRoleArn", roleArn);
      assertEquals(403, api.call(b, "CreateTrail", viaRole).status(), "no such role yet");
      ok(
          api.call(
              a,
              "CreateRole",
              Map.of("RoleName", "deliver-for-b", "AssumeRolePolicyDocument", trust)));
      ok(api.call(b, "CreateTrail", viaRole));
      ApiClient.Answer described =
          ok(api.call(b, "DescribeTrails", Map.of("NameList", "into-a-trail")));
      assertTrue(described.body().contains(roleArn), described.body());

      // a destination's secret is sealed: never answered, never recorded
      String secret = "Hunter2-" + System.nanoTime();
      ApiClient.Answer withSecret =
          ok(
              api.call(
                  a,
                  "CreateTrail",
                  Map.of(
                      "Name",
                      "secret-trail",
                      "Destinations",
                      "[{\"Id\":\"vault\",\"Type\":\"not-installed\",\"Config\":{\"password\":\""
                          + secret
                          + "\"}}]")));
      assertFalse(withSecret.body().contains(secret), withSecret.body());
      String all =
          ok(api.call(a, "DescribeTrails", Map.of())).body()
              + ot.run("trail:list")
              + ot.run("event:lookup --event-name CreateTrail --max 50 --json");
      assertFalse(all.contains(secret), "the secret is nowhere to be read");
      assertTrue(all.contains("******"), "shown hidden");

      // each account's logstore is its own, with its own retention, once its trail delivers
      ok(api.call(a, "StartLogging", Map.of("Name", "shared-name")));
      ok(api.call(b, "StartLogging", Map.of("Name", "shared-name")));
      String logstoreA = "actiontrail_" + ot.account() + "_shared-name";
      String logstoreB = "actiontrail_" + accountB + "_shared-name";
      Instance.await(
          java.time.Duration.ofSeconds(30),
          () -> {
            String streams = ot.run("store:status --json");
            return retention(streams, logstoreA) == 90 && retention(streams, logstoreB) == 1;
          },
          "two logstores, 90 and 1 days");
    }
  }

  /** The retentionDays of a stream in store:status --json, or -1. */
  static long retention(String json, String stream) {
    int i = json.indexOf("\"name\":\"" + stream + "\"");
    if (i < 0) {
      return -1;
    }
    Matcher m = Pattern.compile("\"retentionDays\":([0-9]+)").matcher(json.substring(i));
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static ApiClient.Answer ok(ApiClient.Answer a) {
    assertEquals(200, a.status(), a.toString());
    return a;
  }
}
