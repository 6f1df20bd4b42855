package org.opentrail.sink.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.util.converter.Converters;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bad configuration against a real S3 server (S3Proxy): each is a clear error that names what is
 * wrong, and no message carries a secret.
 */
class S3SinkBadConfigTest {
  static final String SECRET_IN_CFG = "operator-Secret-Must-Not-Leak-42";
  @TempDir static Path dir;
  static S3Server server;
  static S3Client reader;

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3Server(Files.createDirectories(dir.resolve("blobs")));
    reader = server.client();
    reader.createBucket(r -> r.bucket("exists"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    reader.close();
    server.close();
  }

  static S3SinkProvider provider(Map<String, Object> values) {
    Map<String, Object> m = new HashMap<>();
    m.put("endpoint", server.endpoint());
    m.put("accessKeyId", S3Server.ACCESS_KEY);
    m.put("secretAccessKey", S3Server.SECRET_KEY);
    m.put("connectTimeoutSeconds", 2);
    m.put("requestTimeoutSeconds", 5);
    m.putAll(values);
    return new S3SinkProvider(
        Converters.standardConverter().convert(m).to(S3SinkConfig.class), "local");
  }

  @Test
  void aTenantsEndpointMustBeOneTheOperatorAllows() {
    // a tenant's own keys do not make any host reachable: the metadata service, this machine's
    // ports, the internal network are not S3 servers the operator offers
    S3SinkProvider p = provider(Map.of());
    for (String inside :
        List.of(
            "http://169.254.169.254",
            "http://localhost:8181",
            "http://127.0.0.1:6379",
            "http://[::1]:9000",
            "http://10.0.0.5:9000")) {
      InvalidParameterException e =
          assertThrows(
              InvalidParameterException.class,
              () ->
                  p.validate(
                      Map.of(
                          "bucket",
                          "exists",
                          "endpoint",
                          inside,
                          "accessKeyId",
                          "AK",
                          "secretAccessKey",
                          "SK")),
              inside);
      assertEquals("endpoint", e.parameter(), inside + " -> " + e.getMessage());
      assertTrue(e.getMessage().contains("allowedEndpoints"), e.getMessage());
    }
    S3SinkProvider allowing =
        provider(Map.of("allowedEndpoints", "S3.Example.com, minio.internal:9000"));
    for (String ok : List.of("https://s3.example.com", "http://MINIO.internal:9000/")) {
      allowing.validate(
          Map.of("bucket", "exists", "endpoint", ok, "accessKeyId", "AK", "secretAccessKey", "SK"));
    }
    assertThrows(
        InvalidParameterException.class,
        () ->
            allowing.validate(
                Map.of(
                    "bucket",
                    "exists",
                    "endpoint",
                    "http://minio.internal:9001",
                    "accessKeyId",
                    "AK",
                    "secretAccessKey",
                    "SK")));
    provider(Map.of("allowedEndpoints", "*"))
        .validate(
            Map.of(
                "bucket",
                "exists",
                "endpoint",
                "http://10.0.0.5:9000",
                "accessKeyId",
                "AK",
                "secretAccessKey",
                "SK"));
  }

  /** Opening the destination fails with an IOException; answers its message. */
  static String openFails(S3SinkProvider p, Map<String, String> dest) {
    p.validate(dest);
    IOException e =
        assertThrows(
            IOException.class, () -> p.open(new SinkTarget("1234567890123456", "t", "s3", dest)));
    assertFalse(e.getMessage().contains(S3Server.SECRET_KEY), e.getMessage());
    assertFalse(e.getMessage().contains(SECRET_IN_CFG), e.getMessage());
    return e.getMessage();
  }

  @Test
  void aMissingBucketIsNamed() {
    String m = openFails(provider(Map.of()), Map.of("bucket", "no-such-bucket"));
    assertTrue(m.startsWith("NoSuchBucket: the bucket 'no-such-bucket' does not exist at "), m);
  }

  @Test
  void anUnknownAccessKeyIdIsNamed() {
    String m =
        openFails(
            provider(Map.of()),
            Map.of("bucket", "exists", "accessKeyId", "AKIDUNKNOWN", "secretAccessKey", "x"));
    assertTrue(m.startsWith("InvalidAccessKeyId: "), m);
    assertTrue(m.contains("'AKIDUNKNOWN'"), m);
  }

  @Test
  void aWrongSecretIsSaidWithoutShowingIt() {
    String m =
        openFails(provider(Map.of("secretAccessKey", SECRET_IN_CFG)), Map.of("bucket", "exists"));
    assertTrue(m.startsWith("SignatureDoesNotMatch: "), m);
    assertTrue(m.contains("access key id '" + S3Server.ACCESS_KEY + "'"), m);
  }

  @Test
  void anUnreachableEndpointIsNamed() throws Exception {
    String nobody = "http://127.0.0.1:" + S3Server.freePort();
    String m = openFails(provider(Map.of("endpoint", nobody)), Map.of("bucket", "exists"));
    assertTrue(m.startsWith("Unreachable: cannot reach the endpoint " + nobody), m);
  }

  @Test
  void deliveryIntoABucketDeletedAfterOpeningSaysSo() throws Exception {
    reader.createBucket(r -> r.bucket("short-lived"));
    S3SinkProvider p = provider(Map.of());
    try (ProvableSink sink =
        (ProvableSink)
            p.open(
                new SinkTarget("1234567890123456", "t", "s3", Map.of("bucket", "short-lived")))) {
      reader.deleteBucket(r -> r.bucket("short-lived"));
      IOException e =
          assertThrows(
              IOException.class,
              () -> sink.deliverObjects(new DeliveryBatch("1-10", 1, 10, S3SinkTest.mixed(1, 10))));
      assertTrue(
          e.getMessage().startsWith("NoSuchBucket: the bucket 'short-lived'"), e.getMessage());
    }
  }

  @Test
  void invalidConfigurationNamesTheKey() {
    S3SinkProvider p = provider(Map.of());
    Object[][] cases = {
      {Map.of(), "OssBucketName"},
      {Map.of("bucket", "Bad_Bucket"), "OssBucketName"},
      {Map.of("bucket", "ab"), "OssBucketName"},
      {Map.of("bucket", "exists", "prefix", "../up"), "OssKeyPrefix"},
      {Map.of("bucket", "exists", "prefix", "/abs"), "OssKeyPrefix"},
      {Map.of("bucket", "exists", "colour", "red"), "colour"},
      {Map.of("bucket", "exists", "pathStyle", "yes"), "pathStyle"},
      {Map.of("bucket", "exists", "region", "Not A Region"), "region"},
      {Map.of("bucket", "exists", "serverSideEncryption", "DES"), "serverSideEncryption"},
      {Map.of("bucket", "exists", "kmsKeyId", "k1"), "kmsKeyId"},
      {Map.of("bucket", "exists", "endpoint", "ftp://host"), "endpoint"},
      {Map.of("bucket", "exists", "endpoint", "http://host/path"), "endpoint"},
      {Map.of("bucket", "exists", "endpoint", "http://evil.example.com"), "accessKeyId"},
      {Map.of("bucket", "exists", "accessKeyId", "AK"), "secretAccessKey"},
      {Map.of("bucket", "exists", "endpoint", "http://u:" + SECRET_IN_CFG + "@h"), "endpoint"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      Map<String, String> dest = (Map<String, String>) c[0];
      InvalidParameterException e =
          assertThrows(InvalidParameterException.class, () -> p.validate(dest), dest.toString());
      assertEquals(c[1], e.parameter(), dest + " -> " + e.getMessage());
      assertFalse(e.getMessage().contains(SECRET_IN_CFG), e.getMessage());
    }
    S3SinkProvider noKeys = provider(Map.of("accessKeyId", "", "secretAccessKey", ""));
    assertEquals(
        "accessKeyId",
        assertThrows(
                InvalidParameterException.class, () -> noKeys.validate(Map.of("bucket", "exists")))
            .parameter());
    assertThrows(IllegalArgumentException.class, () -> provider(Map.of("gzip.level", 0)));
    assertThrows(IllegalArgumentException.class, () -> provider(Map.of("uploadThreads", 0)));
    for (String ok : List.of("AES256", "aws:kms")) {
      p.validate(Map.of("bucket", "exists", "serverSideEncryption", ok));
    }
  }

  @Test
  void serverSideEncryptionIsSentAndAServerWithoutItSaysSo() throws Exception {
    // S3Proxy's filesystem store refuses x-amz-server-side-encryption with 501 NotImplemented: so
    // the header is sent (and signed), and a server that cannot encrypt fails delivery visibly
    // instead of storing audit logs unencrypted
    S3SinkProvider p = provider(Map.of());
    Map<String, String> dest = Map.of("bucket", "exists", "serverSideEncryption", "AES256");
    try (ProvableSink sink =
        (ProvableSink) p.open(new SinkTarget("1234567890123456", "t", "s3", dest))) {
      IOException e =
          assertThrows(
              IOException.class,
              () -> sink.deliverObjects(new DeliveryBatch("1-3", 1, 3, S3SinkTest.mixed(1, 3))));
      assertTrue(e.getMessage().startsWith("NotImplemented (HTTP 501) from "), e.getMessage());
      assertTrue(
          e.getMessage().contains("Server-side encryption is not supported"), e.getMessage());
    }
    assertEquals(0, reader.listObjectsV2(r -> r.bucket("exists")).keyCount());
  }
}
