package org.opentrail.sink.s3;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.internal.osslayout.OssLayout;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sink type {@code s3}: ActionTrail's OSS delivery onto S3-compatible object storage (AWS S3,
 * MinIO, Ceph RGW, S3Proxy, OSS's S3 API ...). A destination names a {@code bucket} and optionally
 * a key {@code prefix}, and may override the operator's server ({@code endpoint}, {@code region},
 * {@code pathStyle}, credentials, {@code serverSideEncryption}); see docs/sinks/s3.md. Its resource
 * is {@code s3://<host[:port]>/<bucket>}; {@code secretAccessKey} and {@code sessionToken} are
 * secrets the trail engine stores encrypted.
 */
@Component(
    service = SinkProvider.class,
    property = SinkProvider.TYPE + "=s3",
    configurationPid = S3SinkConfig.PID)
@Designate(ocd = S3SinkConfig.class)
public final class S3SinkProvider implements ResourceSinkProvider {
  private static final Logger LOG = LoggerFactory.getLogger(S3SinkProvider.class);

  private final OssLayout layout;
  private final ExecutorService uploads;
  private volatile S3SinkConfig config;
  private volatile int gzipLevel;

  /**
   * The provider with the operator's configuration; global events go to {@code opentrail.region}.
   */
  @Activate
  public S3SinkProvider(BundleContext context, S3SinkConfig config) {
    this(config, context.getProperty(OssLayout.REGION_PROPERTY));
  }

  /**
   * A provider outside OSGi (tests, benchmarks).
   *
   * @throws IllegalArgumentException if a tuning value is out of range
   */
  public S3SinkProvider(S3SinkConfig config, String homeRegion) {
    String problem = problem(config);
    if (problem != null) {
      throw new IllegalArgumentException("Configuration " + S3SinkConfig.PID + ": " + problem);
    }
    this.layout = new OssLayout(homeRegion);
    this.config = config;
    this.gzipLevel = config.gzip_level();
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "opentrail-s3-upload-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.uploads = Executors.newFixedThreadPool(config.uploadThreads(), threads);
  }

  /**
   * A changed configuration applies to destinations opened from now on (the engine reopens a
   * destination after a failure) and the gzip level to the next objects; a bad one is refused with
   * an ERROR and the current one kept. uploadThreads changes at the next start.
   */
  @Modified
  void modified(S3SinkConfig changed) {
    String problem = problem(changed);
    if (problem != null) {
      LOG.error(
          "Configuration {}: {}; the change is refused, the current one kept",
          S3SinkConfig.PID,
          problem);
      return;
    }
    config = changed;
    gzipLevel = changed.gzip_level();
  }

  @Deactivate
  void deactivate() {
    uploads.shutdownNow();
  }

  private static String problem(S3SinkConfig c) {
    if (c.gzip_level() < 1 || c.gzip_level() > 9) {
      return "gzip.level=" + c.gzip_level() + " is refused: it must be from 1 to 9";
    }
    if (c.uploadThreads() < 1 || c.uploadThreads() > 64) {
      return "uploadThreads=" + c.uploadThreads() + " is refused: it must be from 1 to 64";
    }
    if (c.connectTimeoutSeconds() < 1 || c.requestTimeoutSeconds() < 1) {
      return "connectTimeoutSeconds and requestTimeoutSeconds must be at least 1";
    }
    return null;
  }

  @Override
  public void validate(Map<String, String> destination) {
    S3Settings.of(destination, config);
  }

  /**
   * {@code s3://<lower-case host[:non-default port]>/<bucket>}; AWS S3 is {@code
   * s3.<region>.amazonaws.com}.
   */
  @Override
  public String resource(SinkTarget target) {
    return S3Settings.of(target.config(), config).resource();
  }

  @Override
  public Set<String> secretKeys() {
    return S3Settings.SECRETS;
  }

  /**
   * Opens a destination and checks that its bucket exists and its credentials are accepted (one
   * ListObjectsV2 of at most one key under its prefix; a write-only key that may not list passes).
   *
   * @throws IOException naming the missing bucket, the refused access key id or the unreachable
   *     endpoint; the engine shows it and tries again later
   */
  @Override
  public Sink open(SinkTarget target) throws IOException {
    S3SinkConfig c = config;
    S3Settings s = S3Settings.of(target.config(), c);
    S3Client client =
        S3Clients.build(
            s,
            Duration.ofSeconds(c.connectTimeoutSeconds()),
            Duration.ofSeconds(c.requestTimeoutSeconds()));
    try {
      client.listObjectsV2(b -> b.bucket(s.bucket()).prefix(s.keyPrefix()).maxKeys(1));
    } catch (AwsServiceException e) {
      if (!"AccessDenied".equals(e.awsErrorDetails().errorCode())) {
        client.close();
        throw S3Errors.describe(e, s, "check (ListObjectsV2)");
      }
      LOG.info(
          "Trail {} destination {}: access key id {} may not list {}; delivery goes on (PutObject only)",
          target.trailName(),
          target.destinationId(),
          s.accessKeyId(),
          s.where());
    } catch (RuntimeException e) {
      client.close();
      throw S3Errors.describe(e, s, "check (ListObjectsV2)");
    }
    LOG.debug(
        "Trail {} destination {} opened on {}", target.trailName(), target.destinationId(), s);
    return new S3Sink(client, s, layout, () -> gzipLevel, uploads);
  }
}
