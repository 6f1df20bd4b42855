package org.opentrail.sink.s3;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy 4.1.0 from Maven Central, in this JVM, on a free loopback
 * port, over a filesystem blob store in a directory (so data outlives a stop and start), checking
 * AWS signatures (v2 or v4) against one key pair. Stop and start it again to simulate an outage.
 */
final class S3Server implements AutoCloseable {
  static final String ACCESS_KEY = "AKIDOPENTRAILTEST";
  static final String SECRET_KEY = "s3cr3t-Never-Logged-Anywhere-0123456789";

  private final Path directory;
  final int port;
  private S3Proxy proxy;

  S3Server(Path directory) throws Exception {
    this.directory = directory;
    this.port = freePort();
    start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  void start() throws Exception {
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", directory.toString());
    p.setProperty("jclouds.identity", ACCESS_KEY);
    p.setProperty("jclouds.credential", SECRET_KEY);
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", p))
            .endpoint(URI.create(endpoint()))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(10);
    }
  }

  void stop() throws Exception {
    proxy.stop();
  }

  /** A plain client of the server, as any reader of the bucket has it. */
  S3Client client() {
    return S3Client.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
