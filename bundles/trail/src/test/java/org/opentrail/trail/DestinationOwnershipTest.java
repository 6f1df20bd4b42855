package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus.State;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.auth.ActionTrailRoleTrust;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;
import org.opentrail.auth.MasterKeySealer;
import org.opentrail.sink.file.FileSinkProvider;

/**
 * Issue 10: destinations belong to accounts. A bucket is the account's that first delivered into
 * it; another account's trail reaches it only through a role of the owner that trusts ActionTrail
 * for it; revoking that role pauses delivery with nothing lost; secrets are stored sealed.
 */
class DestinationOwnershipTest extends TrailFixture {
  IdentityRegistry identities;
  String b;
  Path oss;

  @BeforeEach
  void identities() throws Exception {
    AuthPaths paths = AuthPaths.under(dir.resolve("auth"));
    identities = new IdentityRegistry(paths, A);
    b = identities.createAccount().key().accountId();
    granted.add(b);
    trails.bindRoleTrust(new ActionTrailRoleTrust(identities));
    trails.bindSecretSealer(new MasterKeySealer(paths));
    oss = dir.resolve("oss");
    trails.addSinkProvider("file", new FileSinkProvider(oss, 1));
  }

  static TrailSpec fileTrail(String name, Map<String, String> config) {
    return TrailSpec.of(name, DestinationSpec.of("file", config));
  }

  @Test
  void anotherAccountsBucketTakesItsRoleAndRevokingItLosesNothing() throws Exception {
    trails.create(A, fileTrail("shared-name", Map.of("bucket", "audit-log")));
    // B names A's bucket: refused, without telling whose it is
    OpenTrailException refused =
        assertThrows(
            OpenTrailException.class,
            () -> trails.create(b, fileTrail("shared-name", Map.of("bucket", "audit-log"))));
    assertEquals("NoPermission.DestinationResource", refused.code());
    assertEquals(403, refused.httpStatus());
    assertTrue(refused.getMessage().contains("belongs to another account"), refused.getMessage());
    assertFalse(refused.getMessage().contains(A), "never names the owner");
    // a role of A that does not trust ActionTrail for B: refused too
    String arn = "acs:ram::" + A + ":role/actiontrail-write";
    Map<String, String> viaRole = Map.of("bucket", "audit-log", "roleArn", arn);
    assertThrows(
        OpenTrailException.class, () -> trails.create(b, fileTrail("shared-name", viaRole)));
    identities.createRole(A, "actiontrail-write", trust(b), null);
    trails.create(b, fileTrail("shared-name", viaRole));
    trails.startLogging(b, "shared-name");
    List<String> ids = record(b, 30, "Write", "cn-test");
    await(() -> delivered(b) == 30, "B's events in A's bucket");
    // A revokes the role: B's destination pauses, its events wait
    identities.deleteRole(A, "actiontrail-write");
    await(() -> dest(b, "shared-name", "file").state() == State.NO_PERMISSION, "no permission");
    assertTrue(dest(b, "shared-name", "file").detail().contains(arn));
    record(b, 20, "Write", "cn-test");
    Thread.sleep(700);
    assertEquals(30, delivered(b), "nothing delivered without the role");
    assertEquals(20, dest(b, "shared-name", "file").lagEvents());
    identities.createRole(A, "actiontrail-write", trust(b), null);
    await(() -> delivered(b) == 50, "the backlog once the role is back");
    assertEquals(ids.size() + 20, delivered(b));
    // the owner's own trail delivers into its bucket without a role
    trails.startLogging(A, "shared-name");
    record(A, 5, "Write", "cn-test");
    await(() -> delivered(A) == 5, "A's own");
  }

  @Test
  void aBadRoleArnIsAClearError() {
    InvalidParameterException e =
        assertThrows(
            InvalidParameterException.class,
            () ->
                trails.create(
                    b,
                    fileTrail(
                        "bad-role", Map.of("bucket", "their-bucket", "roleArn", "arn:aws:x"))));
    assertTrue(e.getMessage().contains("acs:ram::<accountId>:role/<roleName>"), e.getMessage());
  }

  @Test
  void secretsAreSealedHiddenAndOpenedOnlyForTheSink() throws Exception {
    AtomicReference<Map<String, String>> opened = new AtomicReference<>();
    trails.addSinkProvider(
        "vault",
        new ResourceSinkProvider() {
          @Override
          public void validate(Map<String, String> config) {
            if (!"hunter2-secret".equals(config.get("secretAccessKey"))) {
              throw new InvalidParameterException("secretAccessKey", "wrong");
            }
          }

          @Override
          public Sink open(SinkTarget target) {
            opened.set(target.config());
            return new Sink() {
              @Override
              public void deliver(DeliveryBatch batch) {}

              @Override
              public void close() {}
            };
          }

          @Override
          public String resource(SinkTarget target) {
            return "vault://" + target.config().get("name");
          }

          @Override
          public java.util.Set<String> secretKeys() {
            return java.util.Set.of("secretAccessKey");
          }
        });
    Map<String, String> c =
        Map.of("name", "v1", "secretAccessKey", "hunter2-secret", "dbPassword", "pw-9876");
    trails.create(A, TrailSpec.of("sealed-trail", DestinationSpec.of("vault", c)));
    Map<String, String> shown = trails.get(A, "sealed-trail").spec().destinations().get(0).config();
    assertEquals("******", shown.get("secretAccessKey"));
    assertEquals("******", shown.get("dbPassword"), "a password by its name");
    assertEquals("v1", shown.get("name"));
    try (Stream<Path> files = Files.walk(dir.resolve("trails"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertFalse(text.contains("hunter2") || text.contains("pw-9876"), f.toString());
      }
    }
    trails.startLogging(A, "sealed-trail");
    record(3, "Write");
    await(() -> opened.get() != null, "the sink opened");
    assertEquals("hunter2-secret", opened.get().get("secretAccessKey"));
    assertEquals("pw-9876", opened.get().get("dbPassword"));
    // UpdateTrail with the hidden value keeps the stored secret
    opened.set(null);
    trails.update(A, TrailSpec.of("sealed-trail", new DestinationSpec("vault", "vault", shown)));
    record(1, "Write");
    await(() -> opened.get() != null, "opened again with the changed configuration");
    assertEquals("hunter2-secret", opened.get().get("secretAccessKey"));
    // a hidden secret never follows the destination to another place
    Map<String, String> moved = new java.util.HashMap<>(shown);
    moved.put("name", "v2-attacker");
    InvalidParameterException follow =
        assertThrows(
            InvalidParameterException.class,
            () ->
                trails.update(
                    A, TrailSpec.of("sealed-trail", new DestinationSpec("vault", "vault", moved))));
    assertTrue(follow.getMessage().contains("name changed"), follow.getMessage());
    // without naming its id, the destination is still matched with the stored one
    trails.update(A, TrailSpec.of("sealed-trail", DestinationSpec.of("vault", shown)));
    // a sealed value from elsewhere cannot stand for a secret
    String stolen = "sealed:v1:AAAA:BBBB";
    Map<String, String> forged = new java.util.HashMap<>(shown);
    forged.put("secretAccessKey", stolen);
    assertThrows(
        InvalidParameterException.class,
        () ->
            trails.update(
                A, TrailSpec.of("sealed-trail", new DestinationSpec("vault", "vault", forged))));
    assertThrows(
        InvalidParameterException.class,
        () -> trails.create(A, TrailSpec.of("hidden-trail", DestinationSpec.of("vault", shown))));
  }

  @Test
  void aHiddenSecretIsNeverSentToAnotherServerOrSinkType() throws Exception {
    AtomicReference<Map<String, String>> opened = new AtomicReference<>();
    for (String type : List.of("search", "warehouse")) {
      trails.addSinkProvider(type, secretSink(opened));
    }
    Map<String, String> c =
        Map.of("endpoint", "https://search.example.com:9200", "index", "i1", "password", "pw-1357");
    trails.create(A, TrailSpec.of("exfil-trail", new DestinationSpec("d", "search", c)));
    Map<String, String> shown = trails.get(A, "exfil-trail").spec().destinations().get(0).config();
    assertEquals("******", shown.get("password"));
    // a user who may update the trail but never saw the secret points it at its own server
    Map<String, String> moved = new java.util.HashMap<>(shown);
    moved.put("endpoint", "https://collector.attacker.example");
    InvalidParameterException e =
        assertThrows(
            InvalidParameterException.class,
            () ->
                trails.update(
                    A, TrailSpec.of("exfil-trail", new DestinationSpec("d", "search", moved))));
    assertTrue(e.getMessage().contains("give the secret again"), e.getMessage());
    // or at another sink type under the same destination id
    assertThrows(
        InvalidParameterException.class,
        () ->
            trails.update(
                A, TrailSpec.of("exfil-trail", new DestinationSpec("d", "warehouse", shown))));
    // any other change, even of the index alone, takes the secret again: which settings decide
    // where a sink sends it is the sink's business; a new secret may go anywhere
    Map<String, String> reindexed = new java.util.HashMap<>(shown);
    reindexed.put("index", "i2");
    assertThrows(
        InvalidParameterException.class,
        () ->
            trails.update(
                A, TrailSpec.of("exfil-trail", new DestinationSpec("d", "search", reindexed))));
    moved.put("password", "theirs-2468");
    trails.update(A, TrailSpec.of("exfil-trail", new DestinationSpec("d", "search", moved)));
    trails.startLogging(A, "exfil-trail");
    record(1, "Write");
    await(() -> opened.get() != null, "the sink opened");
    assertEquals("theirs-2468", opened.get().get("password"));
  }

  /** A sink type with a server ({@code endpoint}), a resource ({@code index}) and a password. */
  static ResourceSinkProvider secretSink(AtomicReference<Map<String, String>> opened) {
    return new ResourceSinkProvider() {
      @Override
      public void validate(Map<String, String> config) {}

      @Override
      public Sink open(SinkTarget target) {
        opened.set(target.config());
        return new Sink() {
          @Override
          public void deliver(DeliveryBatch batch) {}

          @Override
          public void close() {}
        };
      }

      @Override
      public String resource(SinkTarget target) {
        return target.config().get("endpoint") + "/" + target.config().get("index");
      }

      @Override
      public java.util.Set<String> secretKeys() {
        return java.util.Set.of("password");
      }
    };
  }

  static String trust(String account) {
    return "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"Service\":[\""
        + account
        + "@actiontrail.aliyuncs.com\"]}}],\"Version\":\"1\"}";
  }

  /** Events of {@code account} in the bucket's delivered files. */
  long delivered(String account) {
    Path bucket = oss.resolve("audit-log");
    if (!Files.exists(bucket)) {
      return 0;
    }
    long n = 0;
    try (Stream<Path> files = Files.walk(bucket)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".gz")).toList()) {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(f))) {
          String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          n += json.split("\"recipientAccountId\":\"" + account + "\"", -1).length - 1;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return n;
  }
}
