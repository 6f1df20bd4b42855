package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The s3 sink bundle in a real Felix with the real bundles, against a real S3 server (S3Proxy on a
 * free loopback port): installed at run time with only the core features, configured by a .cfg,
 * stopped and uninstalled mid-delivery and installed again while events are recorded, and every
 * event arrives exactly once in the bucket as a reader of the bucket sees it.
 */
class S3PlatformTest {
  static final Path S3_SINK = Instance.HOME.resolve("bundles/org.opentrail.sink.s3.jar");
  static final String KEY = "AKIDPLATFORM";
  static final String SECRET = "platform-secret-0123456789-never-printed";
  static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");
  @TempDir Path dir;

  @Test
  void theS3SinkHotInstalledStoppedAndReinstalledUnderLoadDeliversEveryEventOnce()
      throws Exception {
    int port = Instance.freePort();
    String endpoint = "http://127.0.0.1:" + port;
    Properties p = new Properties();
    p.setProperty(
        "jclouds.filesystem.basedir", Files.createDirectories(dir.resolve("s3")).toString());
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", p))
            .endpoint(URI.create(endpoint))
            .awsAuthentication(AuthenticationType.AWS_V4, KEY, SECRET)
            .build();
    proxy.start();
    Instance.await(Duration.ofSeconds(10), () -> "STARTED".equals(proxy.getState()), "S3Proxy");
    try (S3Client reader =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
            .build()) {
      reader.createBucket(b -> b.bucket("platform-audit"));
      Path data = dir.resolve("data");
      Files.createDirectories(data.resolve("etc"));
      Files.writeString(
          data.resolve("etc/org.opentrail.sink.s3.cfg"),
          "endpoint = "
              + endpoint
              + "\naccessKeyId = "
              + KEY
              + "\nsecretAccessKey = "
              + SECRET
              + "\nconnectTimeoutSeconds = 2\nrequestTimeoutSeconds = 10\n");
      try (Instance ot = new Instance(data, TrailPlatformTest.NO_SINKS)) {
        ot.run("auth:grant");
        ot.record(200, "before"); // the history is being written while the sink arrives
        ot.run("start file:" + S3_SINK.toAbsolutePath()); // hot install, core features only
        Instance.await(
            Duration.ofSeconds(20),
            () -> ot.bundle("org.opentrail.sink.s3").getState() == Bundle.ACTIVE,
            "the s3 sink bundle to start");
        ot.run("trail:create s3-trail --start s3:bucket=platform-audit,prefix=ot");
        BackgroundRecording writer = BackgroundRecording.start(ot, 40, 500, "s3-", 3);
        List<String> ids = writer.ids();
        Instance.await(Duration.ofSeconds(30), () -> delivered(reader).size() > 0, "a delivery");

        Bundle sink = ot.bundle("org.opentrail.sink.s3");
        sink.stop();
        Instance.await(
            Duration.ofSeconds(10),
            () -> ot.run("trail:status s3-trail").contains("waiting for sink type s3"),
            "the s3 destination to wait");
        sink.start();
        Instance.await(Duration.ofSeconds(30), () -> ids.size() >= 8000, "more recording");
        ot.bundle("org.opentrail.sink.s3").uninstall();
        Instance.await(
            Duration.ofSeconds(10),
            () -> ot.run("trail:status s3-trail").contains("waiting for sink type s3"),
            "the s3 destination to wait again");
        try (InputStream in = Files.newInputStream(S3_SINK)) {
          ot.context().installBundle("reinstalled:s3", in).start();
        }
        writer.join(120_000);
        assertFalse(writer.running());
        assertEquals(20_000, ids.size());
        ot.awaitDelivered("s3-trail", Duration.ofSeconds(120));
        Map<String, Integer> got = delivered(reader);
        assertEquals("", Delivered.problems(ids, got), "every event exactly once");
        assertEquals(ids.size(), got.size(), "nothing but the trail's events");
        String status = ot.run("trail:status s3-trail") + ot.run("trail:list");
        assertFalse(status.contains(SECRET), status);
      }
    } finally {
      proxy.stop();
    }
  }

  /**
   * eventId -> how often it appears in the delivered objects of the bucket. S3Proxy's filesystem
   * store replaces an object by deleting and writing it, so an object listed while a batch is
   * delivered again can be gone for a moment: then the bucket is read again.
   */
  static Map<String, Integer> delivered(S3Client reader) {
    for (int attempt = 1; ; attempt++) {
      try {
        return deliveredOnce(reader);
      } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
        if (attempt == 20) {
          throw e;
        }
        try {
          Thread.sleep(250);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static Map<String, Integer> deliveredOnce(S3Client reader) {
    Map<String, Integer> counts = new HashMap<>();
    for (S3Object o :
        reader
            .listObjectsV2Paginator(
                b -> b.bucket("platform-audit").prefix("ot/AliyunLogs/Actiontrail/"))
            .contents()) {
      byte[] gz =
          reader.getObjectAsBytes(b -> b.bucket("platform-audit").key(o.key())).asByteArray();
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
        Matcher m = EVENT_ID.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        while (m.find()) {
          counts.merge(m.group(1), 1, Integer::sum);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return counts;
  }
}
