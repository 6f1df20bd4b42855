package org.opentrail.logservice;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  private static final byte[] SEQUENCE_KEY = SEQUENCE_TAG.getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY = new byte[0];
  private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

  private LogGroupCodec() {}

  /** A compressed body and what the response headers say about it. */
  record Encoded(byte[] body, int rawSize, String compressType) {}

  /**
   * The uncompressed LogGroupList of these events, each its own log group, written in one pass into
   * an array of the exact size (field sizes computed first, each value's UTF-8 bytes made once).
   */
  static byte[] logGroupList(String logstore, List<StoredEvent> events) {
    byte[] topic = LogShape.topic(logstore).getBytes(StandardCharsets.UTF_8);
    List<Group> groups = new ArrayList<>(events.size());
    long total = 0;
    for (StoredEvent e : events) {
      Group g = new Group(e, LogShape.contentBytes(logstore, e.event()), topic);
      groups.add(g);
      total += CodedOutputStream.computeTagSize(LOG_GROUP_LIST) + delimited(g.size);
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("a LogGroupList of " + total + " bytes");
    }
    byte[] out = new byte[(int) total];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (Group g : groups) {
        o.writeTag(LOG_GROUP_LIST, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        o.writeUInt32NoTag(g.size);
        g.write(o);
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A length prefix and what it prefixes. */
  private static int delimited(int size) {
    return CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }

  private static int pairSize(byte[] key, byte[] value) {
    return CodedOutputStream.computeByteArraySize(KEY, key)
        + CodedOutputStream.computeByteArraySize(VALUE, value);
  }

  private static void writePair(CodedOutputStream o, int field, byte[] key, byte[] value)
      throws IOException {
    o.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    o.writeUInt32NoTag(pairSize(key, value));
    o.writeByteArray(KEY, key);
    o.writeByteArray(VALUE, value);
  }

  /** One event's log group: {@code Logs} (one log), {@code Topic}, {@code Source}, a tag. */
  private static final class Group {
    final int time;
    final List<byte[]> contents;
    final byte[] topic;
    final byte[] sequence;
    final int logSize;
    final int size;

    Group(StoredEvent e, List<byte[]> contents, byte[] topic) {
      this.time = LogShape.time(e.timeMillis());
      this.contents = contents;
      this.topic = topic;
      this.sequence = Long.toString(e.sequence()).getBytes(StandardCharsets.UTF_8);
      int log = CodedOutputStream.computeUInt32Size(TIME, time);
      for (int i = 0; i < contents.size(); i += 2) {
        log +=
            CodedOutputStream.computeTagSize(CONTENTS)
                + delimited(pairSize(contents.get(i), contents.get(i + 1)));
      }
      this.logSize = log;
      this.size =
          CodedOutputStream.computeTagSize(LOGS)
              + delimited(log)
              + CodedOutputStream.computeByteArraySize(TOPIC, topic)
              + CodedOutputStream.computeByteArraySize(SOURCE, EMPTY)
              + CodedOutputStream.computeTagSize(TAGS)
              + delimited(pairSize(SEQUENCE_KEY, sequence));
    }

    void write(CodedOutputStream o) throws IOException {
      o.writeTag(LOGS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      o.writeUInt32NoTag(logSize);
      o.writeUInt32(TIME, time);
      for (int i = 0; i < contents.size(); i += 2) {
        writePair(o, CONTENTS, contents.get(i), contents.get(i + 1));
      }
      o.writeByteArray(TOPIC, topic);
      o.writeByteArray(SOURCE, EMPTY);
      writePair(o, TAGS, SEQUENCE_KEY, sequence);
    }
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
