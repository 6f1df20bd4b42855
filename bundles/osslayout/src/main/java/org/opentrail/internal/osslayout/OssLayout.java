package org.opentrail.internal.osslayout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.store.StoredEvent;

/**
 * ActionTrail's OSS delivery layout, the one copy that the object storage sinks (file, s3) share. A
 * batch becomes gzip JSON arrays, one object per region and UTC day of eventTime and per {@value
 * #PART} events, at {@code AliyunLogs/Actiontrail/<region>/<YYYY>/<MM>/<DD>/} under the
 * destination's root (bucket and prefix), named {@code
 * Actiontrail_<region>_<YYYYMMDDHHMMSS>_<sequence>_<count>_<md5>.gz} after the object's first event
 * (its eventTime to the second and its store sequence number), its event count and the MD5 of its
 * uncompressed JSON (DESIGN.md "Delivery semantics").
 *
 * <p>Everything is derived from the events alone, so a redelivered batch gets the same names and
 * the same bytes: the gzip header holds no time (mtime 0) and the JDK's fixed OS byte. Global
 * events ({@code isGlobal: true}) go to the home region's directory, as ActionTrail does so that a
 * global event recorded in several regions is delivered once; events without a usable region go to
 * {@code unknown}.
 */
public final class OssLayout {
  /** Most events in one object. */
  public static final int PART = 2500;

  /** The directory of delivered logs, relative to the destination's root. */
  public static final String LOGS = "AliyunLogs/Actiontrail";

  /** The framework property naming the home region, and its default. */
  public static final String REGION_PROPERTY = "opentrail.region";

  public static final String DEFAULT_REGION = "local";

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  private static final Pattern SAFE_REGION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final byte[] GLOBAL_FIELD =
      ("\"" + EventFields.IS_GLOBAL + "\"").getBytes(StandardCharsets.UTF_8);

  private final String homeRegion;

  /**
   * @param homeRegion where global events go; null, blank or not a safe region name means {@value
   *     #DEFAULT_REGION}
   */
  public OssLayout(String homeRegion) {
    this.homeRegion =
        homeRegion != null && SAFE_REGION.matcher(homeRegion).matches()
            ? homeRegion
            : DEFAULT_REGION;
  }

  public String homeRegion() {
    return homeRegion;
  }

  /**
   * The objects a batch becomes, in order: by region and day in the order their first events come,
   * then by part of at most {@value #PART} events.
   */
  public List<Part> parts(List<StoredEvent> events) {
    Map<String, List<StoredEvent>> groups = new LinkedHashMap<>();
    for (StoredEvent e : events) {
      String dir = region(e.event()) + "/" + DAY.format(Instant.ofEpochMilli(e.timeMillis()));
      groups.computeIfAbsent(dir, k -> new ArrayList<>()).add(e);
    }
    List<Part> parts = new ArrayList<>();
    for (Map.Entry<String, List<StoredEvent>> g : groups.entrySet()) {
      List<StoredEvent> list = g.getValue();
      for (int i = 0; i < list.size(); i += PART) {
        parts.add(new Part(g.getKey(), list.subList(i, Math.min(list.size(), i + PART))));
      }
    }
    return parts;
  }

  /** The directory region of an event: the home region for a global event. */
  String region(Event event) {
    if (isGlobal(event)) {
      return homeRegion;
    }
    String region = event.acsRegion();
    return region != null && SAFE_REGION.matcher(region).matches() ? region : "unknown";
  }

  private static boolean isGlobal(Event event) {
    // parse the event only if its JSON can hold the field at all (delivery needs no parsing)
    return indexOf(event.toJson(), GLOBAL_FIELD) >= 0
        && Boolean.TRUE.equals(event.get(EventFields.IS_GLOBAL));
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /**
   * Encodes one part: its JSON array, gzip-compressed at {@code gzipLevel} (1 to 9), its name and
   * what a destination digest lists for it.
   */
  public static OssObject encode(Part part, int gzipLevel) throws IOException {
    List<StoredEvent> events = part.events();
    int size = events.size() + 1;
    long oldest = Long.MAX_VALUE;
    long newest = Long.MIN_VALUE;
    for (StoredEvent e : events) {
      size += e.event().jsonSize();
      oldest = Math.min(oldest, e.timeMillis());
      newest = Math.max(newest, e.timeMillis());
    }
    ByteArrayOutputStream json = new ByteArrayOutputStream(size);
    json.write('[');
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) {
        json.write(',');
      }
      json.write(events.get(i).event().toJson());
    }
    json.write(']');
    byte[] content = json.toByteArray();
    String regionDay = part.regionDay();
    StoredEvent first = events.get(0);
    String fileName =
        "Actiontrail_"
            + regionDay.substring(0, regionDay.indexOf('/'))
            + "_"
            + STAMP.format(Instant.ofEpochMilli(first.timeMillis()))
            + "_"
            + first.sequence()
            + "_"
            + events.size()
            + "_"
            + hex("MD5", content)
            + ".gz";
    ByteArrayOutputStream packed = new ByteArrayOutputStream(content.length / 4 + 64);
    try (LevelledGzip gz = new LevelledGzip(packed, gzipLevel)) {
      gz.write(content);
    }
    byte[] gzip = packed.toByteArray();
    String directory = LOGS + "/" + regionDay;
    return new OssObject(
        directory,
        fileName,
        gzip,
        new DeliveredObject(
            directory + "/" + fileName,
            hex("SHA-256", gzip),
            gzip.length,
            events.size(),
            Instant.ofEpochMilli(oldest),
            Instant.ofEpochMilli(newest)));
  }

  /**
   * The events of one delivered object (a gzip JSON array).
   *
   * @throws IOException if it is not gzip
   * @throws org.opentrail.api.event.MalformedJsonException if it is not a JSON array of events
   */
  public static List<Event> read(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return EventJson.parseEvents(in.readAllBytes());
    }
  }

  /** The lower-case hex digest of {@code content} ({@code MD5}, {@code SHA-256}). */
  public static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Events of one object.
   *
   * @param regionDay {@code <region>/<YYYY>/<MM>/<DD>}
   * @param events at least one, in sequence order
   */
  public record Part(String regionDay, List<StoredEvent> events) {}

  /**
   * One encoded object.
   *
   * @param directory {@code AliyunLogs/Actiontrail/<region>/<YYYY>/<MM>/<DD>}, relative to the
   *     destination's root
   * @param fileName its name in that directory
   * @param gzip its bytes as stored
   * @param described what a digest lists for it (name = directory + "/" + fileName)
   */
  public record OssObject(
      String directory, String fileName, byte[] gzip, DeliveredObject described) {}

  /** gzip at a chosen level. */
  private static final class LevelledGzip extends GZIPOutputStream {
    LevelledGzip(OutputStream out, int level) throws IOException {
      super(out, 64 << 10);
      def.setLevel(level);
    }
  }
}
