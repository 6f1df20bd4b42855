package org.opentrail.sink.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;

/** Configuration checks, resources, secrets and the errors of refused credentials. */
class OpenSearchSinkConfigTest {
  static final Server DEFAULT =
      new Server(
          Endpoint.parse("https://Search.Example.COM:9200"),
          "ops",
          "ops-secret",
          null,
          null,
          Set.of("logs.example.com:443"),
          2_000,
          30_000,
          1,
          1,
          8 << 20,
          3);
  final OpenSearchSinkProvider provider = new OpenSearchSinkProvider(DEFAULT);

  String refusal(Map<String, String> config) {
    InvalidParameterException e =
        assertThrows(InvalidParameterException.class, () -> provider.validate(config));
    return e.parameter() + ": " + e.getMessage();
  }

  @Test
  void badConfigurationNamesTheKeyAndWhatIsExpected() {
    assertTrue(refusal(Map.of("colour", "red")).startsWith("colour: "));
    assertTrue(
        refusal(Map.of("endpoint", "ftp://x"))
            .startsWith("endpoint: The endpoint 'ftp://x' is not an http"));
    assertTrue(refusal(Map.of("endpoint", "http://u:p@h:1")).startsWith("endpoint: "));
    assertTrue(refusal(Map.of("endpoint", "http://h:9200/path")).startsWith("endpoint: "));
    assertTrue(
        refusal(Map.of("endpoint", "http://10.0.0.1:9200"))
            .contains("10.0.0.1:9200 is not one this OpenTrail may deliver to"));
    for (String bad :
        List.of("Upper", "a*b", "_x", "-x", "+x", "a b", "a:b", "a,b", "a#b", "x".repeat(256))) {
      String r = refusal(Map.of("index", bad));
      assertTrue(r.startsWith("index: The index name "), bad + " -> " + r);
    }
    assertTrue(refusal(Map.of("dateSuffix", "yyyy/MM")).startsWith("dateSuffix: "));
    assertTrue(refusal(Map.of("dateSuffix", "HH")).startsWith("dateSuffix: "));
    assertTrue(refusal(Map.of("username", "u")).startsWith("password: "));
    assertTrue(refusal(Map.of("password", "p")).startsWith("username: "));
    assertTrue(
        refusal(Map.of("apiKey", "k", "username", "u", "password", "p")).startsWith("apiKey: "));
    provider.validate(Map.of("index", "audit.v1_x-y", "dateSuffix", "yyyy.MM.dd"));
    provider.validate(Map.of("endpoint", "https://LOGS.example.com", "apiKey", "k"));
  }

  @Test
  void theResourceIsTheNormalisedServerAndIndexWithoutSecrets() {
    SinkTarget t =
        new SinkTarget("123456789012", "my-trail", "d", Map.of("username", "u", "password", "pw"));
    assertEquals("opensearch://search.example.com:9200/actiontrail_my-trail", provider.resource(t));
    SinkTarget other =
        new SinkTarget(
            "210987654321",
            "x-trail",
            "d",
            Map.of("endpoint", "https://logs.EXAMPLE.com/", "index", "shared", "apiKey", "k"));
    assertEquals("opensearch://logs.example.com:443/shared", provider.resource(other));
    // dated indices are every index under <index>-, so that another account cannot name one of
    // them as its plain index (actiontrail_my-trail-2026.11.30)
    SinkTarget dated =
        new SinkTarget("123456789012", "my-trail", "d", Map.of("dateSuffix", "yyyy.MM.dd"));
    assertEquals(
        "opensearch://search.example.com:9200/actiontrail_my-trail-*", provider.resource(dated));
    assertEquals(Set.of("password", "apiKey"), provider.secretKeys());
    Destination d = Destination.of(t.config(), "my-trail", DEFAULT);
    assertFalse(d.toString().contains("pw"), d.toString());
    assertFalse(DEFAULT.toString().contains("ops-secret"));
  }

  @Test
  void theOperatorsCredentialsNeverGoToAnotherServer() {
    Destination own = Destination.of(Map.of(), "t-trail", DEFAULT);
    assertEquals("ops", own.username());
    Destination other =
        Destination.of(Map.of("endpoint", "https://logs.example.com"), "t-trail", DEFAULT);
    assertEquals(null, other.username());
    assertEquals(null, other.password());
  }

  @Test
  void refusedCredentialsAndMissingPermissionsAreClearErrorsWithoutTheSecret() throws Exception {
    // a stand-in for a secured server's answers (the test OpenSearch runs without the security
    // plugin): it records what the client sends and answers as the security plugin does
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    front.createContext(
        "/",
        x -> {
          String auth = x.getRequestHeaders().getFirst("Authorization");
          authorizations.add(auth == null ? "" : auth);
          boolean known = auth != null && auth.startsWith("ApiKey ");
          byte[] body =
              (known
                      ? "{\"error\":{\"type\":\"security_exception\",\"reason\":\"no permissions for"
                          + " [indices:admin/index_template/put] and User [name=k1]\"},\"status\":403}"
                      : "Unauthorized")
                  .getBytes(StandardCharsets.UTF_8);
          x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"OpenSearch Security\"");
          x.sendResponseHeaders(known ? 403 : 401, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    front.start();
    try {
      String endpoint = "http://127.0.0.1:" + front.getAddress().getPort();
      Server s =
          new Server(
              Endpoint.parse(endpoint),
              null,
              null,
              null,
              null,
              Set.of("*"),
              2_000,
              5_000,
              1,
              0,
              8 << 20,
              0);
      OpenSearchSinkProvider p = new OpenSearchSinkProvider(s);
      Map<String, String> basic = Map.of("username", "alice", "password", "wrong-secret");
      p.validate(basic);
      try (Sink sink = p.open(new SinkTarget("123456789012", "auth-trail", "d", basic))) {
        IOException e =
            assertThrows(
                IOException.class,
                () -> sink.deliver(Events.batch(Events.mixed(1, 2, Instant.EPOCH))));
        assertTrue(
            e.getMessage().startsWith("OpenSearch at " + endpoint + " refused the credentials"),
            e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret"));
      }
      assertTrue(
          authorizations.contains(
              "Basic "
                  + java.util.Base64.getEncoder()
                      .encodeToString("alice:wrong-secret".getBytes(StandardCharsets.UTF_8))),
          authorizations.toString());
      Map<String, String> key = Map.of("apiKey", "a2V5LWlkOmtleQ==");
      try (Sink sink = p.open(new SinkTarget("123456789012", "auth-trail", "d", key))) {
        IOException e =
            assertThrows(
                IOException.class,
                () -> sink.deliver(Events.batch(Events.mixed(1, 2, Instant.EPOCH))));
        assertEquals(
            "OpenSearch at "
                + endpoint
                + " denied permission while putting index template"
                + " opentrail-actiontrail_auth-trail (403 Forbidden): the user needs the index and"
                + " template permissions of the destination's index: security_exception: no"
                + " permissions for [indices:admin/index_template/put] and User [name=k1]",
            e.getMessage());
      }
      assertTrue(authorizations.contains("ApiKey a2V5LWlkOmtleQ=="), authorizations.toString());
    } finally {
      front.stop(0);
    }
  }
}
