package org.opentrail.sink.s3;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the AWS SDK v2 client of one destination: the JDK's HTTP client (the SDK's
 * url-connection-client, nothing else embedded), static credentials, AWS signature version 4 in the
 * destination's region, path-style or virtual-host addressing, and one SDK retry per request (the
 * trail engine retries a failed batch with its own backoff, so the destination shows the error
 * soon). Integrity is Content-MD5 on every PUT, which every S3-compatible server checks; the SDK's
 * newer trailing checksums are sent only where an operation requires them.
 */
final class S3Clients {
  private S3Clients() {}

  /**
   * A client for {@code s}; built with this bundle's class loader as the context class loader, so
   * that the SDK finds its own resources inside OSGi.
   *
   * @param connectTimeout to open a TCP connection
   * @param requestTimeout for one API call, its retry included
   */
  static S3Client build(S3Settings s, Duration connectTimeout, Duration requestTimeout) {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(S3Clients.class.getClassLoader());
    try {
      AwsCredentials credentials =
          s.sessionToken().isEmpty()
              ? AwsBasicCredentials.create(s.accessKeyId(), s.secretAccessKey())
              : AwsSessionCredentials.create(
                  s.accessKeyId(), s.secretAccessKey(), s.sessionToken());
      S3ClientBuilder b =
          S3Client.builder()
              .httpClient(
                  UrlConnectionHttpClient.builder()
                      .connectionTimeout(connectTimeout)
                      .socketTimeout(requestTimeout)
                      .build())
              .region(Region.of(s.region()))
              .credentialsProvider(StaticCredentialsProvider.create(credentials))
              .forcePathStyle(s.pathStyle())
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              .overrideConfiguration(
                  o -> o.apiCallTimeout(requestTimeout).retryStrategy(r -> r.maxAttempts(2)));
      if (s.endpoint() != null) {
        b.endpointOverride(URI.create(s.endpoint()));
      }
      return b.build();
    } finally {
      t.setContextClassLoader(before);
    }
  }
}
