package org.opentrail.internal.digest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.opentrail.api.event.EventJson;

/**
 * A trail destination built as the file sink and the destination digest writer build one: gzip JSON
 * arrays of ActionTrail events in ActionTrail's path layout (two regions), and one signed digest
 * per hour listing them, {@value #INTERVALS} hours, some of them empty, with the account's key
 * rotated half-way through hour {@value #ROTATE_IN}. What is random (events, files) comes from the
 * seed.
 */
final class SyntheticDestination {
  static final String ACCOUNT = "123456789012";
  static final String TRAIL = "audit-trail";
  static final String DESTINATION = "file-1";
  static final String HOME = "cn-hangzhou";
  static final long INTERVAL = 3600;
  static final Instant T0 = Instant.parse("2026-11-30T18:00:00Z"); // crosses a UTC day
  static final int INTERVALS = 12;
  static final int ROTATE_IN = 6;
  static final Set<Integer> EMPTY = Set.of(2, 3, 9);
  private static final List<String> REGIONS = List.of("cn-hangzhou", "cn-shanghai");
  private static final List<String> NAMES =
      List.of("PutObject", "DeleteBucket", "CreateUser", "AttachPolicyToUser", "StopInstance");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  final Path root;
  final long seed;
  final RotatingKeys keys = new RotatingKeys(T0.minusSeconds(86400));

  /** Per hour: the digest's path, its members besides the common ones, and the digest made. */
  final List<String> digests = new ArrayList<>();

  final List<Map<String, Object>> owns = new ArrayList<>();
  final List<DigestMaker.Made> made = new ArrayList<>();

  /** Per hour: the log files its digest lists. */
  final List<List<String>> files = new ArrayList<>();

  private final Random random;
  private long sequence = 1;

  private SyntheticDestination(Path root, long seed) {
    this.root = root;
    this.seed = seed;
    this.random = new Random(seed);
  }

  /**
   * Builds a destination under {@code root}.
   *
   * @param restartAt the hour whose digest starts a new chain under a new key (previousDigest null,
   *     as if the chain's state were lost), or -1 for none
   * @param finalLast whether the last digest is {@code final} (written at a clean stop)
   */
  static SyntheticDestination build(Path root, long seed, int restartAt, boolean finalLast)
      throws IOException {
    SyntheticDestination d = new SyntheticDestination(root, seed);
    DigestChain.Link previous = null;
    for (int i = 0; i < INTERVALS; i++) {
      Instant start = T0.plusSeconds(i * INTERVAL);
      Instant end = start.plusSeconds(INTERVAL);
      if (i == ROTATE_IN || i == restartAt) {
        d.keys.rotateAt(start.plusSeconds(INTERVAL / 2));
      }
      List<Map<String, Object>> listed = new ArrayList<>();
      List<String> paths = new ArrayList<>();
      if (!EMPTY.contains(i)) {
        for (int f = 1 + d.random.nextInt(2); f > 0; f--) {
          Map<String, Object> entry = d.logFile(start, end);
          listed.add(entry);
          paths.add((String) entry.get("object"));
        }
      }
      LinkedHashMap<String, Object> own = new LinkedHashMap<>();
      own.put("trailName", TRAIL);
      own.put("destination", DESTINATION);
      own.put("homeRegion", HOME);
      own.put("logFiles", listed);
      String path = DigestMaker.destinationPath(ACCOUNT, HOME, TRAIL, end);
      DigestMaker.Made m =
          DigestMaker.make(
              d.keys,
              ACCOUNT,
              "destination",
              path,
              start,
              end,
              INTERVAL,
              own,
              finalLast && i == INTERVALS - 1,
              i == restartAt ? null : previous,
              Map.of());
      d.write(path, m.bytes());
      d.digests.add(path);
      d.owns.add(own);
      d.made.add(m);
      d.files.add(paths);
      previous = m.link();
    }
    return d;
  }

  /** The newest digest's end: the time a fresh verification runs up to. */
  static Instant end() {
    return T0.plusSeconds(INTERVALS * INTERVAL);
  }

  /** Every log file listed, in delivery order. */
  List<String> allFiles() {
    return files.stream().flatMap(List::stream).toList();
  }

  /** Writes one log file delivered in [start, end) and answers its logFiles entry. */
  private Map<String, Object> logFile(Instant start, Instant end) throws IOException {
    String region = REGIONS.get(random.nextInt(REGIONS.size()));
    int count = 2 + random.nextInt(3);
    List<Instant> times = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      times.add(start.plusSeconds(random.nextInt((int) INTERVAL - 120)));
    }
    times.sort(null);
    List<Object> events = new ArrayList<>();
    for (Instant t : times) {
      events.add(event(region, t));
    }
    byte[] gz = gzip(EventJson.write(events));
    String name =
        "Actiontrail_"
            + region
            + "_"
            + STAMP.format(times.get(0))
            + "_"
            + sequence
            + "_"
            + count
            + "_"
            + HexFormat.of().formatHex(md5(EventJson.write(events)))
            + ".gz";
    sequence += count;
    String object =
        "AliyunLogs/Actiontrail/" + region + "/" + DAY.format(times.get(0)) + "/" + name;
    write(object, gz);
    Files.setLastModifiedTime(root.resolve(object), FileTime.from(end.minusSeconds(60)));
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("object", object);
    entry.put("hashValue", DigestDocument.sha256Hex(gz));
    entry.put("size", (long) gz.length);
    entry.put("eventCount", (long) count);
    entry.put("oldestEventTime", DigestDocument.time(times.get(0)));
    entry.put("newestEventTime", DigestDocument.time(times.get(count - 1)));
    return entry;
  }

  /** An ActionTrail event at {@code t}. */
  Map<String, Object> event(String region, Instant t) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventId", new UUID(random.nextLong(), random.nextLong()).toString());
    e.put("eventVersion", "1");
    e.put("eventTime", DigestDocument.time(t));
    e.put("eventName", NAMES.get(random.nextInt(NAMES.size())));
    e.put("eventRW", "Write");
    e.put("eventType", "ApiCall");
    e.put("eventSource", "oss.aliyuncs.com");
    e.put("serviceName", "Oss");
    e.put("acsRegion", region);
    e.put("requestId", Long.toHexString(random.nextLong()));
    e.put("sourceIpAddress", "10.0." + random.nextInt(256) + "." + random.nextInt(256));
    Map<String, Object> who = new LinkedHashMap<>();
    who.put("type", "ram-user");
    who.put("accountId", ACCOUNT);
    who.put("principalId", "2" + (100000000L + random.nextInt(900000000)));
    who.put("userName", "user-" + random.nextInt(10));
    e.put("userIdentity", who);
    e.put("recipientAccountId", ACCOUNT);
    return e;
  }

  void write(String relative, byte[] bytes) throws IOException {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] gz) {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] md5(byte[] b) {
    try {
      return MessageDigest.getInstance("MD5").digest(b);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
