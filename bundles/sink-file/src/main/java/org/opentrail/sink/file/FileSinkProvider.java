package org.opentrail.sink.file;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.internal.osslayout.OssLayout;
import org.opentrail.internal.osslayout.OssNames;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sink type {@code file}: ActionTrail's OSS delivery onto the local file system. A destination
 * names a {@code bucket} (a directory under the sink's root) and optionally a key {@code prefix};
 * events land in gzip JSON files under {@code
 * <root>/<bucket>/<prefix>/AliyunLogs/Actiontrail/<region>/<YYYY>/<MM>/<DD>/}. Its sinks are {@link
 * org.opentrail.api.sink.ProvableSink}s: {@code <root>/<bucket>/<prefix>} is the destination's root
 * that delivered objects are named from, and digests go beside the logs under its {@code
 * AliyunLogs/Actiontrail-Digest/}.
 */
@Component(
    service = SinkProvider.class,
    property = SinkProvider.TYPE + "=file",
    configurationPid = FileSinkConfig.PID)
@Designate(ocd = FileSinkConfig.class)
public final class FileSinkProvider implements ResourceSinkProvider {
  private static final Logger LOG = LoggerFactory.getLogger(FileSinkProvider.class);
  static final String BUCKET = "bucket";
  static final String PREFIX = "prefix";
  private static final Set<String> KEYS = Set.of(BUCKET, PREFIX);

  static final int DEFAULT_GZIP_LEVEL = 1;

  private final Path root;
  private final OssLayout layout;
  private volatile int gzipLevel;

  /**
   * The provider with its configuration. An invalid gzip.level is logged as an ERROR and the
   * default used, so that the {@code file} sink type never disappears because of a typo in its
   * .cfg.
   */
  @Activate
  public FileSinkProvider(BundleContext context, FileSinkConfig config) {
    this.root = root(context, config).toAbsolutePath().normalize();
    this.layout = new OssLayout(context.getProperty(OssLayout.REGION_PROPERTY));
    String problem = problem(config.gzip_level());
    if (problem != null) {
      LOG.error(
          "Configuration {}: {}; the default {} is used until it is corrected",
          FileSinkConfig.PID,
          problem,
          DEFAULT_GZIP_LEVEL);
      this.gzipLevel = DEFAULT_GZIP_LEVEL;
    } else {
      this.gzipLevel = config.gzip_level();
    }
  }

  /** A provider outside OSGi (tests), home region {@value OssLayout#DEFAULT_REGION}. */
  public FileSinkProvider(Path root, int gzipLevel) {
    this(root, gzipLevel, OssLayout.DEFAULT_REGION);
  }

  /** A provider outside OSGi (tests) whose global events go to {@code homeRegion}. */
  public FileSinkProvider(Path root, int gzipLevel, String homeRegion) {
    this.layout = new OssLayout(homeRegion);
    String problem = problem(gzipLevel);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.root = root.toAbsolutePath().normalize();
    this.gzipLevel = gzipLevel;
  }

  /**
   * A changed configuration: a valid gzip.level applies to the next files written; an invalid one
   * is refused with an ERROR and the current level kept (the sink type stays). The root directory
   * changes only at the next start, so destinations never write to two roots at once.
   */
  @Modified
  void modified(BundleContext context, FileSinkConfig config) {
    String problem = problem(config.gzip_level());
    if (problem != null) {
      LOG.error(
          "Configuration {}: {}; the change is refused and gzip.level {} is kept",
          FileSinkConfig.PID,
          problem,
          gzipLevel);
      return;
    }
    gzipLevel = config.gzip_level();
    Path configured = root(context, config).toAbsolutePath().normalize();
    if (!configured.equals(root)) {
      LOG.warn(
          "Configuration {}: root changes from {} to {} only at the next start of the file sink",
          FileSinkConfig.PID,
          root,
          configured);
    }
  }

  /** The gzip level in force. */
  int gzipLevel() {
    return gzipLevel;
  }

  private static String problem(int gzipLevel) {
    return gzipLevel < 1 || gzipLevel > 9
        ? "gzip.level=" + gzipLevel + " is refused: it must be from 1 to 9"
        : null;
  }

  private static Path root(BundleContext context, FileSinkConfig config) {
    if (!config.root().isBlank()) {
      return Paths.get(config.root());
    }
    String data = context.getProperty("opentrail.data");
    return data != null ? Paths.get(data, "oss") : context.getDataFile("oss").toPath();
  }

  @Override
  public void validate(Map<String, String> config) {
    for (String k : config.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InvalidParameterException(
            k,
            "The file sink has no configuration key '"
                + k
                + "'; its keys are bucket (OssBucketName) and prefix (OssKeyPrefix).");
      }
    }
    String bucket = config.get(BUCKET);
    OssNames.checkBucket(bucket);
    directory(bucket, config.getOrDefault(PREFIX, ""));
  }

  /**
   * The directory a destination's files go under; refuses any prefix that would leave its bucket.
   */
  Path directory(String bucket, String prefix) {
    Path bucketDir = root.resolve(bucket);
    String checked = OssNames.checkPrefix(prefix);
    Path dir = checked.isEmpty() ? bucketDir : bucketDir.resolve(checked).normalize();
    if (!dir.startsWith(bucketDir)) {
      throw new InvalidParameterException(
          "OssKeyPrefix", "The parameter OssKeyPrefix must stay inside its bucket.");
    }
    return dir;
  }

  /**
   * The bucket: {@code file://<root>/<bucket>}. A bucket belongs to the account that first
   * delivered into it; another account's trail reaches it only through a role of its owner
   * (OssWriteRoleArn).
   */
  @Override
  public String resource(SinkTarget target) {
    // spelled out: Path.toUri() ends a directory with '/' only once it exists, and the resource
    // must be the same string before and after the first delivery creates the bucket
    return "file://" + root + "/" + target.config().get(BUCKET);
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of();
  }

  @Override
  public Sink open(SinkTarget target) {
    Map<String, String> c = target.config();
    return new FileSink(
        directory(c.get(BUCKET), c.getOrDefault(PREFIX, "")), layout, this::gzipLevel);
  }
}
