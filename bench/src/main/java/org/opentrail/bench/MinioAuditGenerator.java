package org.opentrail.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.opentrail.api.event.EventJson;

/**
 * MinIO audit webhook bodies as MinIO's {@code audit_webhook} target posts them: each entry encoded
 * compactly by Go's {@code json.Encoder} and ended by a newline, one entry per POST with {@code
 * batch_size=1} (its default) and {@code batch_size} entries concatenated otherwise
 * (newline-delimited JSON; see {@code bundles/source-minio}'s {@code MinioTranslator}).
 *
 * <p>Entries follow the current (2024) format of {@code /work/shared/realworld/
 * 06-minio-audit-current-format/input.json}: field order, {@code time} with nanoseconds, {@code
 * event ""}, {@code trigger incoming}, {@code api} with rx/tx and {@code timeToResponse} plus
 * {@code timeToResponseInNS}, {@code requestHeader} with a SigV4 {@code Authorization}, {@code
 * responseHeader}, {@code tags.objectLocation}, {@code accessKey}. Varied: requestID (MinIO's is
 * the time in nanoseconds in hex: here its high half, then the 8-digit {@link WebhookBody} slot;
 * {@code X-Amz-Request-Id} the same), {@code api.name} over a mix of S3 operations, bucket (30),
 * object key, access key (60, Zipf: service keys and people), remote host (200), user agent,
 * outcome (a few 403/404), sizes, and times spread over the last {@code hours} hours. Every entry
 * is a client request ({@code trigger incoming}), recorded in the history.
 */
final class MinioAuditGenerator {
  /** The S3 operations and their share in thousandths (a read-heavy object store's mix). */
  private static final Object[][] APIS = {
    {"GetObject", 300},
    {"PutObject", 170},
    {"HeadObject", 140},
    {"ListObjectsV2", 100},
    {"DeleteObject", 60},
    {"PutObjectPart", 50},
    {"GetBucketLocation", 40},
    {"HeadBucket", 30},
    {"CopyObject", 20},
    {"NewMultipartUpload", 12},
    {"CompleteMultipartUpload", 12},
    {"DeleteMultipleObjects", 10},
    {"ListBuckets", 10},
    {"GetObjectTagging", 10},
    {"PutObjectTagging", 8},
    {"ListObjectVersions", 8},
    {"GetBucketVersioning", 8},
    {"ListMultipartUploads", 6},
    {"AbortMultipartUpload", 6},
  };

  private static final String[] BUCKETS = {
    "backups",
    "logs",
    "thanos",
    "loki-chunks",
    "velero",
    "images",
    "uploads",
    "ml-datasets",
    "artifacts",
    "reports",
    "invoices",
    "exports",
    "static-assets",
    "db-dumps",
    "tempo-traces",
    "mlflow",
    "airflow-logs",
    "spark-warehouse",
    "gitlab-lfs",
    "registry",
    "media",
    "archive",
    "analytics",
    "customer-files",
    "terraform-state",
    "harbor",
    "cortex",
    "clickhouse-backups",
    "elastic-snapshots",
    "scratch",
  };

  private static final String[] AGENTS = {
    "MinIO (linux; amd64) minio-go/v7.0.70 mc/RELEASE.2024-04-30T17-44-48Z",
    "aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.2 md/GOOS#linux md/GOARCH#amd64 api/s3#1.53.1",
    "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8"
        + " md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84",
    "aws-cli/2.15.38 Python/3.11.8 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/s3.cp",
    "thanos-store/0.34.1 (linux/amd64) minio-go/v7.0.61",
    "velero/v1.13.1 (linux/amd64) aws-sdk-go/1.44.253",
    "rclone/v1.66.0",
    "aws-sdk-java/2.25.31 Linux/6.5.0 OpenJDK_64-Bit_Server_VM/17.0.10+7 Java/17.0.10",
    "loki/2.9.6 (linux/amd64) aws-sdk-go/1.44.321",
  };

  private static final String[] PEOPLE = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
  };

  private static final String[] SERVICES = {
    "svc-backup",
    "svc-loki",
    "svc-thanos",
    "svc-velero",
    "svc-gitlab",
    "svc-airflow",
    "svc-spark",
    "svc-registry",
    "svc-web",
    "svc-ml",
  };

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private record Key(String id, String agent) {}

  private final SplittableRandom random;
  private final String deploymentId;
  private final String[] hosts = {
    "minio.example.com:9000",
    "minio.example.com:9000",
    "s3.example.com",
    "minio-1.example.com:9000",
  };
  private final String[] nodeIds = new String[4];
  private final List<Key> keys = new ArrayList<>();
  private final Zipf keyZipf;
  private final Zipf bucketZipf = new Zipf(BUCKETS.length, 1.0);
  private final String[] ips = new String[200];
  private final int[] apiCumulative = new int[APIS.length];
  private final long nowNanos;
  private final long spanNanos;
  private long made;

  MinioAuditGenerator(long seed, int hours) {
    this.random = new SplittableRandom(seed);
    this.deploymentId = uuid();
    for (int i = 0; i < nodeIds.length; i++) {
      nodeIds[i] = hex(64, false);
    }
    // 40 service account keys (20 characters, as MinIO makes them) and the app users first
    for (int i = 0; i < 40; i++) {
      StringBuilder id = new StringBuilder(20);
      for (int c = 0; c < 20; c++) {
        id.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".charAt(random.nextInt(36)));
      }
      keys.add(new Key(id.toString(), AGENTS[1 + random.nextInt(AGENTS.length - 1)]));
    }
    for (int i = 0; i < SERVICES.length; i++) {
      keys.add(i * 3, new Key(SERVICES[i], AGENTS[1 + random.nextInt(AGENTS.length - 1)]));
    }
    for (String p : PEOPLE) {
      keys.add(new Key(p, random.nextBoolean() ? AGENTS[0] : AGENTS[3]));
    }
    keyZipf = new Zipf(keys.size(), 0.9);
    for (int i = 0; i < ips.length; i++) {
      ips[i] =
          i % 4 == 0
              ? "192.0.2." + (1 + random.nextInt(254))
              : "10."
                  + (1 + random.nextInt(3))
                  + "."
                  + random.nextInt(256)
                  + "."
                  + (1 + random.nextInt(254));
    }
    int sum = 0;
    for (int i = 0; i < APIS.length; i++) {
      sum += (Integer) APIS[i][1];
      apiCumulative[i] = sum;
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    this.nowNanos = now.getEpochSecond() * 1_000_000_000L;
    this.spanNanos = hours * 3_600_000_000_000L;
  }

  /** A pool of {@code count} bodies of {@code entries} entries each. */
  List<WebhookBody> pool(int count, int entries) {
    List<WebhookBody> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(body(entries, count * entries));
    }
    return out;
  }

  /** One body of {@code entries} newline-ended entries. */
  WebhookBody body(int entries, int poolEntries) {
    StringBuilder b = new StringBuilder(entries * 2000);
    for (int i = 0; i < entries; i++) {
      b.append(EventJson.toString(entry(poolEntries))).append('\n');
    }
    return WebhookBody.of(b.toString(), entries, true);
  }

  private String api() {
    int roll = random.nextInt(apiCumulative[apiCumulative.length - 1]);
    for (int i = 0; i < apiCumulative.length; i++) {
      if (roll < apiCumulative[i]) {
        return (String) APIS[i][0];
      }
    }
    return "GetObject";
  }

  private String objectKey(String bucket) {
    return switch (bucket) {
      case "logs", "airflow-logs" ->
          "app="
              + new String[] {"web", "api", "worker", "cron"}[random.nextInt(4)]
              + "/2026/11/"
              + (10 + random.nextInt(20))
              + "/"
              + hex(8, false)
              + ".log.gz";
      case "thanos", "cortex", "loki-chunks", "tempo-traces" ->
          "01HW" + hex(22, true) + "/chunks/" + String.format("%06d", 1 + random.nextInt(40));
      case "images", "media", "static-assets" ->
          "img/"
              + hex(2, false)
              + "/"
              + hex(2, false)
              + "/"
              + hex(32, false)
              + (random.nextBoolean() ? ".jpg" : ".webp");
      case "backups", "db-dumps", "clickhouse-backups", "elastic-snapshots", "velero" ->
          "daily/2026-11-"
              + (10 + random.nextInt(20))
              + "/"
              + new String[] {"pg-main", "mysql", "etcd", "redis"}[random.nextInt(4)]
              + "-"
              + hex(6, false)
              + ".tar.zst";
      default ->
          "data/"
              + new String[] {"2026", "2025"}[random.nextInt(2)]
              + "/part-"
              + String.format("%05d", random.nextInt(2000))
              + "-"
              + uuid()
              + ".parquet";
    };
  }

  private Map<String, Object> entry(int poolEntries) {
    long index = made++;
    long time =
        nowNanos
            - spanNanos
            + index * (spanNanos / Math.max(1, poolEntries))
            + random.nextLong(1_000_000_000L);
    String iso = nanos(time);
    String requestId = String.format("%08X", time >>> 32) + WebhookBody.SLOT;
    String api = api();
    Key key = keys.get(keyZipf.next(random));
    String bucket = BUCKETS[bucketZipf.next(random)];
    boolean objectOp =
        !api.startsWith("List")
                && !api.startsWith("GetBucket")
                && !api.equals("HeadBucket")
                && !api.equals("DeleteMultipleObjects")
            || api.equals("ListObjectParts");
    String object = objectOp ? objectKey(bucket) : null;
    if (api.equals("ListBuckets")) {
      bucket = null;
    }
    boolean read = api.startsWith("Get") || api.startsWith("Head") || api.startsWith("List");
    int node = random.nextInt(nodeIds.length);

    int code;
    String status;
    int roll = random.nextInt(1000);
    if (roll < 8) {
      code = 403;
      status = "Forbidden";
    } else if (roll < 48
        && (api.equals("GetObject")
            || api.equals("HeadObject")
            || api.equals("GetObjectTagging"))) {
      code = 404;
      status = "Not Found";
    } else if (api.equals("DeleteObject") || api.equals("AbortMultipartUpload")) {
      code = 204;
      status = "No Content";
    } else if (api.equals("GetObject") && random.nextInt(10) == 0) {
      code = 206;
      status = "Partial Content";
    } else {
      code = 200;
      status = "OK";
    }
    boolean ok = code < 300;
    long size = api.equals("PutObjectPart") ? 16L << 20 : 200 + random.nextLong(4L << 20);
    long rx =
        api.equals("PutObject") || api.equals("PutObjectPart")
            ? size
            : api.equals("DeleteMultipleObjects") || api.equals("CompleteMultipartUpload")
                ? 300 + random.nextInt(2000)
                : 0;
    long tx =
        !ok
            ? 250 + random.nextInt(150)
            : api.equals("GetObject")
                ? size
                : api.startsWith("List") ? 400 + random.nextInt(60_000) : read ? 0 : 250;
    long ttr =
        (api.startsWith("List") ? 3_000_000L : 300_000L)
            + random.nextLong(api.equals("GetObject") || rx > 0 ? 80_000_000L : 15_000_000L);

    Map<String, Object> e = new LinkedHashMap<>();
    e.put("version", "1");
    e.put("deploymentid", deploymentId);
    e.put("time", iso);
    e.put("event", "");
    e.put("trigger", "incoming");
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("name", api);
    if (bucket != null) {
      a.put("bucket", bucket);
    }
    if (object != null) {
      a.put("object", object);
    }
    if (api.equals("DeleteMultipleObjects")) {
      List<Map<String, Object>> objects = new ArrayList<>();
      for (int i = 1 + random.nextInt(5); i > 0; i--) {
        objects.add(Map.of("objectName", objectKey(bucket)));
      }
      a.put("objects", objects);
    }
    a.put("status", status);
    a.put("statusCode", code);
    a.put("rx", rx);
    a.put("tx", tx);
    if (api.equals("GetObject") && ok) {
      long ttfb = ttr / (2 + random.nextInt(8));
      a.put("timeToFirstByte", ttfb + "ns");
      a.put("timeToFirstByteInNS", Long.toString(ttfb));
    }
    a.put("timeToResponse", ttr + "ns");
    a.put("timeToResponseInNS", Long.toString(ttr));
    e.put("api", a);
    e.put("remotehost", ips[random.nextInt(ips.length)]);
    e.put("requestID", requestId);
    e.put("userAgent", key.agent());
    String path = "/" + (bucket == null ? "" : bucket + "/" + (object == null ? "" : object));
    e.put("requestPath", path);
    e.put("requestHost", hosts[random.nextInt(hosts.length)]);
    Map<String, Object> query = new LinkedHashMap<>();
    switch (api) {
      case "ListObjectsV2" -> {
        query.put("delimiter", "/");
        query.put("encoding-type", "url");
        query.put("list-type", "2");
        query.put("prefix", random.nextBoolean() ? "" : "data/2026/");
      }
      case "PutObjectPart" -> {
        query.put("partNumber", Integer.toString(1 + random.nextInt(60)));
        query.put("uploadId", uuid() + "x" + random.nextLong(1L << 62));
      }
      case "CompleteMultipartUpload", "AbortMultipartUpload" ->
          query.put("uploadId", uuid() + "x" + random.nextLong(1L << 62));
      case "NewMultipartUpload" -> query.put("uploads", "");
      case "DeleteMultipleObjects" -> query.put("delete", "");
      case "GetBucketLocation" -> query.put("location", "");
      case "GetBucketVersioning" -> query.put("versioning", "");
      case "GetObjectTagging", "PutObjectTagging" -> query.put("tagging", "");
      case "ListObjectVersions" -> query.put("versions", "");
      case "ListMultipartUploads" -> query.put("uploads", "");
      default -> {}
    }
    if (!query.isEmpty()) {
      e.put("requestQuery", query);
    }
    String date = AMZ_DATE.format(Instant.ofEpochSecond(time / 1_000_000_000L));
    Map<String, Object> rh = new LinkedHashMap<>();
    rh.put("Accept-Encoding", read ? "identity" : "zstd,gzip");
    rh.put(
        "Authorization",
        "AWS4-HMAC-SHA256 Credential="
            + key.id()
            + "/"
            + date.substring(0, 8)
            + "/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date"
            + (rx > 0 ? ";x-amz-decoded-content-length" : "")
            + ",Signature="
            + hex(64, false));
    rh.put("Content-Length", Long.toString(rx > 0 && api.startsWith("Put") ? rx + 173 : rx));
    if (api.startsWith("Put") || api.equals("CopyObject")) {
      rh.put("Content-Type", "application/octet-stream");
    }
    rh.put("User-Agent", key.agent());
    rh.put(
        "X-Amz-Content-Sha256",
        rx > 0
            ? "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
            : "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    if (api.equals("CopyObject")) {
      rh.put(
          "X-Amz-Copy-Source",
          "/" + BUCKETS[random.nextInt(BUCKETS.length)] + "/" + objectKey(bucket));
    }
    rh.put("X-Amz-Date", date);
    if (rx > 0 && api.startsWith("Put")) {
      rh.put("X-Amz-Decoded-Content-Length", Long.toString(rx));
    }
    e.put("requestHeader", rh);
    Map<String, Object> resp = new LinkedHashMap<>();
    resp.put("Accept-Ranges", "bytes");
    resp.put("Content-Length", Long.toString(tx));
    if (!ok || api.startsWith("List") || api.startsWith("GetBucket")) {
      resp.put("Content-Type", "application/xml");
    } else if (api.equals("GetObject") || api.equals("HeadObject")) {
      resp.put("Content-Type", object.endsWith(".jpg") ? "image/jpeg" : "binary/octet-stream");
    }
    if (ok
        && (api.equals("PutObject")
            || api.equals("GetObject")
            || api.equals("HeadObject")
            || api.equals("PutObjectPart")
            || api.equals("CopyObject"))) {
      resp.put("ETag", "\"" + hex(32, false) + "\"");
    }
    if (ok && (api.equals("GetObject") || api.equals("HeadObject"))) {
      resp.put(
          "Last-Modified",
          "Tue, 12 Nov 2026 0"
              + random.nextInt(10)
              + ":"
              + (10 + random.nextInt(50))
              + ":"
              + (10 + random.nextInt(50))
              + " GMT");
    }
    resp.put("Server", "MinIO");
    resp.put("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    resp.put("Vary", "Origin,Accept-Encoding");
    resp.put("X-Amz-Id-2", nodeIds[node]);
    resp.put("X-Amz-Request-Id", requestId);
    resp.put("X-Content-Type-Options", "nosniff");
    resp.put("X-Xss-Protection", "1; mode=block");
    e.put("responseHeader", resp);
    if (object != null && ok) {
      Map<String, Object> loc = new LinkedHashMap<>();
      loc.put("name", object);
      loc.put("poolId", 1);
      loc.put("setId", 1 + random.nextInt(4));
      int set = (int) loc.get("setId");
      List<String> drives = new ArrayList<>();
      for (int d = 1; d <= 4; d++) {
        drives.add("/mnt/data" + ((set - 1) * 4 + d));
      }
      loc.put("drives", drives);
      e.put("tags", Map.of("objectLocation", loc));
    }
    e.put("accessKey", key.id());
    return e;
  }

  private String uuid() {
    return hex(8, false)
        + "-"
        + hex(4, false)
        + "-4"
        + hex(3, false)
        + "-"
        + "89ab".charAt(random.nextInt(4))
        + hex(3, false)
        + "-"
        + hex(12, false);
  }

  private String hex(int n, boolean upper) {
    String digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(digits.charAt(random.nextInt(16)));
    }
    return b.toString();
  }

  private static String nanos(long epochNanos) {
    Instant t =
        Instant.ofEpochSecond(
            Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    String s = t.toString();
    int dot = s.indexOf('.');
    String frac = dot < 0 ? "" : s.substring(dot + 1, s.length() - 1);
    String base = dot < 0 ? s.substring(0, s.length() - 1) : s.substring(0, dot);
    return base + "." + (frac + "000000000").substring(0, 9) + "Z";
  }

  /** What the entries look like, for the run's header. */
  static String describe() {
    StringBuilder mix = new StringBuilder();
    for (Object[] a : APIS) {
      if ((Integer) a[1] >= 40) {
        mix.append(mix.length() == 0 ? "" : ", ")
            .append(a[0])
            .append(' ')
            .append((Integer) a[1] / 10)
            .append('%');
      }
    }
    return "MinIO audit entries of the 2024 format (realworld 06): "
        + mix
        + ", and "
        + (APIS.length - 7)
        + " more S3 operations; "
        + BUCKETS.length
        + " buckets, 60 access keys"
        + " (Zipf), ~1% 403, ~4% of object reads 404; all client requests (trigger incoming)";
  }
}
