package org.opentrail.logservice;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import org.opentrail.api.store.StoredEvent;

/**
 * PullLogs' body: Log Service's {@code LogGroupList} protobuf (its API reference, "Data encoding":
 * {@code LogGroupList { repeated LogGroup logGroupList = 1 }}, {@code LogGroup { repeated Log Logs
 * = 1; optional string Topic = 3; optional string Source = 4; repeated LogTag LogTags = 6 }},
 * {@code Log { required uint32 Time = 1; repeated Content Contents = 2 }}, {@code Content {
 * required string Key = 1; required string Value = 2 }}), written with protobuf-java's
 * CodedOutputStream, then compressed as the client's {@code Accept-Encoding} asks: {@code lz4} (an
 * LZ4 block, what the SDK asks for) or {@code deflate} (zlib). Each event is one log group of one
 * log, so the SDK's {@code count} (log groups) counts events, as OpenTrail's cursors do.
 */
final class LogGroupCodec {
  private static final int LOG_GROUP_LIST = 1;
  private static final int LOGS = 1;
  private static final int TOPIC = 3;
  private static final int SOURCE = 4;
  private static final int TAGS = 6;
  private static final int TIME = 1;
  private static final int CONTENTS = 2;
  private static final int KEY = 1;
  private static final int VALUE = 2;

  /** The tag that carries the event's sequence number in its logstore. */
  static final String SEQUENCE_TAG = "__sequence__";

  private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

  private LogGroupCodec() {}

  /** A compressed body and what the response headers say about it. */
  record Encoded(byte[] body, int rawSize, String compressType) {}

  /** The uncompressed LogGroupList of these events, each its own log group. */
  static byte[] logGroupList(String logstore, List<StoredEvent> events) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096 + events.size() * 512);
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      String topic = LogShape.topic(logstore);
      for (StoredEvent e : events) {
        byte[] group = logGroup(logstore, topic, e);
        out.writeByteArray(LOG_GROUP_LIST, group);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] logGroup(String logstore, String topic, StoredEvent e) throws IOException {
    ByteArrayOutputStream logBytes = new ByteArrayOutputStream(1024);
    CodedOutputStream log = CodedOutputStream.newInstance(logBytes);
    log.writeUInt32(TIME, LogShape.time(e.timeMillis()));
    for (Map.Entry<String, String> c : LogShape.contents(logstore, e.event()).entrySet()) {
      log.writeByteArray(CONTENTS, pair(c.getKey(), c.getValue()));
    }
    log.flush();
    ByteArrayOutputStream groupBytes = new ByteArrayOutputStream(logBytes.size() + 64);
    CodedOutputStream group = CodedOutputStream.newInstance(groupBytes);
    group.writeByteArray(LOGS, logBytes.toByteArray());
    group.writeString(TOPIC, topic);
    group.writeString(SOURCE, "");
    group.writeByteArray(TAGS, pair(SEQUENCE_TAG, Long.toString(e.sequence())));
    group.flush();
    return groupBytes.toByteArray();
  }

  private static byte[] pair(String key, String value) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(key.length() + value.length() + 8);
    CodedOutputStream out = CodedOutputStream.newInstance(b);
    out.writeString(KEY, key);
    out.writeString(VALUE, value);
    out.flush();
    return b.toByteArray();
  }

  /**
   * Compresses {@code raw} as {@code acceptEncoding} asks: {@code deflate} if it names deflate and
   * not lz4, else lz4.
   */
  static Encoded compress(byte[] raw, String acceptEncoding) {
    String accept = acceptEncoding == null ? "" : acceptEncoding.toLowerCase(Locale.ROOT);
    if (accept.contains("deflate") && !accept.contains("lz4")) {
      Deflater d = new Deflater(Deflater.BEST_SPEED);
      try {
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
          out.write(buf, 0, d.deflate(buf));
        }
        return new Encoded(out.toByteArray(), raw.length, "deflate");
      } finally {
        d.end();
      }
    }
    return new Encoded(LZ4.compress(raw), raw.length, "lz4");
  }
}
