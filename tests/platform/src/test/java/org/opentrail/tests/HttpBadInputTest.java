package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More than 10,000 bad requests, hand-written and generated, sent by 8 clients at once: each gets a
 * 4xx with ActionTrail's error shape and a message, the server stays up, and nothing is stored but
 * the one audit event each call leaves.
 */
class HttpBadInputTest {
  @TempDir Path dir;

  @Test
  void everyBadRequestIsRefusedClearlyAndStoresNothing() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    try (Instance ot = Instance.withHttp(dir.resolve("data"))) {
      ApiClient api = new ApiClient(ot.httpPort);
      ApiClient.Key root = ot.rootKey();
      List<BadRequests.Case> cases = new BadRequests(seed, root, ot.account()).all(10_000);
      long storedBefore = ot.storedEvents();

      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<String>> verdicts = new ArrayList<>();
      Map<String, Integer> codes = new java.util.concurrent.ConcurrentSkipListMap<>();
      for (BadRequests.Case c : cases) {
        verdicts.add(
            clients.submit(
                () -> {
                  ApiClient.Answer a = c.send().apply(api);
                  codes.merge(a.status() + " " + a.code(), 1, Integer::sum);
                  return verdict(c, a);
                }));
      }
      List<String> failures = new ArrayList<>();
      for (Future<String> v : verdicts) {
        String failure = v.get();
        if (failure != null && failures.size() < 20) {
          failures.add(failure);
        }
      }
      clients.shutdown();
      assertTrue(failures.isEmpty(), "seed " + seed + ": " + String.join("\n", failures));
      System.out.println(
          "HttpBadInputTest seed " + seed + ", " + cases.size() + " requests: " + codes);
      // the corpus reaches every layer: parsing, routing, signatures, validation, policies, limits
      for (String layer :
          List.of(
              "400 MalformedRequest",
              "404 InvalidAction.NotFound",
              "400 SignatureDoesNotMatch",
              "400 InvalidParameter",
              "400 MalformedJson",
              "400 MalformedPolicyDocument",
              "413 RequestTooLarge",
              "415 UnsupportedMediaType",
              "405 UnsupportedHTTPMethod")) {
        assertTrue(codes.containsKey(layer), layer + " among " + codes);
      }

      // the server is up, and what it stored is exactly one audit event per call
      ApiClient.Answer ok = api.call(root, "DescribeTrails", Map.of());
      assertEquals(200, ok.status(), ok.toString());
      assertEquals(
          "{\"RequestId\":\"" + ok.requestId() + "\",\"TrailList\":[]}",
          ok.body(),
          "no trail was created");
      assertEquals(
          "[]",
          listed(api.call(root, "ListUsers", Map.of()).body(), "User"),
          "no user was created");
      assertEquals(
          "[]",
          listed(api.call(root, "ListPolicies", Map.of()).body(), "Policy"),
          "no policy was created");
      assertEquals(
          storedBefore + cases.size() + 3,
          ot.storedEvents(),
          "seed " + seed + ": one audit event per call and nothing else");
    }
  }

  /** Why an answer is wrong for a bad request, or {@code null} if it is right. */
  static String verdict(BadRequests.Case c, ApiClient.Answer a) {
    boolean shaped =
        a.code() != null
            && !a.code().isEmpty()
            && a.field("Message") != null
            && !a.field("Message").isEmpty()
            && a.requestId() != null
            && a.requestId().length() == 36;
    if (a.status() < 400 || a.status() > 499 || !shaped) {
      return c.what() + " -> " + a;
    }
    return null;
  }

  private static String listed(String body, String element) {
    int i = body.indexOf("\"" + element + "\":");
    return i < 0 ? body : body.substring(i + element.length() + 3, body.indexOf(']', i) + 1);
  }
}
