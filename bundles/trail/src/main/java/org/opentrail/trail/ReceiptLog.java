package org.opentrail.trail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * The objects a provable destination received and no digest lists yet, one JSON line per object,
 * appended and forced before the destination's cursor moves past their batch: a crash never loses a
 * delivered object from the digests. Each receipt has a number, increasing across the log's life; a
 * digest lists the receipts up to a number and {@link #dropThrough} then forgets them.
 *
 * <p>A crash in the middle of an append leaves a torn last line (no newline): it is cut off when
 * the log is opened (its batch was not acknowledged, so it is delivered again). Any other
 * unreadable line is damage and is reported, never skipped.
 */
final class ReceiptLog {
  /**
   * One received object.
   *
   * @param number its place in the log, from 1
   * @param batchFirst the first sequence of the batch it holds events of
   * @param batchLast the last sequence of that batch
   * @param receivedMillis when its batch's delivery began (epoch milliseconds)
   * @param object what the sink wrote
   */
  record Receipt(
      long number, long batchFirst, long batchLast, long receivedMillis, DeliveredObject object) {}

  private final Path file;
  private final List<Receipt> receipts = new ArrayList<>();
  private long lastNumber;

  /**
   * Opens the log at {@code file} (which need not exist), cutting off a torn last line.
   *
   * @param droppedThrough the number through which receipts are already listed in a digest (from
   *     the digest chain): such receipts still in the file are dropped
   * @throws DamagedFileException naming the file and line if a line before the last cannot be read
   */
  ReceiptLog(Path file, long droppedThrough) throws IOException {
    this.file = file;
    this.lastNumber = droppedThrough;
    if (!Files.isRegularFile(file)) {
      return;
    }
    byte[] bytes = Files.readAllBytes(file);
    int start = 0;
    int line = 1;
    while (start < bytes.length) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) { // torn by a crash mid-append: the batch was not acknowledged
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(start);
          ch.force(true);
        }
        break;
      }
      Receipt r = parse(file, line, new String(bytes, start, end - start, StandardCharsets.UTF_8));
      lastNumber = Math.max(lastNumber, r.number());
      if (r.number() > droppedThrough) {
        receipts.add(r);
      }
      start = end + 1;
      line++;
    }
  }

  /** The number of the newest receipt kept, 0 if none is. */
  long newest() {
    return receipts.isEmpty() ? 0 : receipts.get(receipts.size() - 1).number();
  }

  /** The receipts no digest lists yet, oldest first. */
  List<Receipt> receipts() {
    return List.copyOf(receipts);
  }

  /**
   * Appends the objects of one batch, forced to disk before it returns.
   *
   * @throws IOException if they could not be made durable (the batch then counts as not delivered)
   */
  void append(long batchFirst, long batchLast, long receivedMillis, List<DeliveredObject> objects)
      throws IOException {
    if (objects.isEmpty()) {
      return;
    }
    List<Receipt> added = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = lastNumber;
    for (DeliveredObject o : objects) {
      Receipt r = new Receipt(++n, batchFirst, batchLast, receivedMillis, o);
      added.add(r);
      out.write(EventJson.write(toJson(r)));
      out.write('\n');
    }
    boolean created = !Files.exists(file);
    try (FileChannel ch =
        DurableFiles.openPrivate(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    }
    if (created) {
      DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
    }
    receipts.addAll(added);
    lastNumber = n;
  }

  /**
   * Forgets the receipts through {@code number} (a digest lists them now), rewriting the file
   * atomically with the rest.
   */
  void dropThrough(long number) throws IOException {
    if (receipts.isEmpty() || receipts.get(0).number() > number) {
      return;
    }
    receipts.removeIf(r -> r.number() <= number);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Receipt r : receipts) {
      out.write(EventJson.write(toJson(r)));
      out.write('\n');
    }
    DurableFiles.write(file, out.toByteArray());
  }

  private static Map<String, Object> toJson(Receipt r) {
    DeliveredObject o = r.object();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("n", r.number());
    m.put("batchFirst", r.batchFirst());
    m.put("batchLast", r.batchLast());
    m.put("received", r.receivedMillis());
    m.put("object", o.name());
    m.put("sha256", o.sha256());
    m.put("size", o.size());
    m.put("eventCount", o.eventCount());
    m.put("oldestEventTime", o.oldestEventTime().toString());
    m.put("newestEventTime", o.newestEventTime().toString());
    return m;
  }

  private static Receipt parse(Path file, int line, String text) throws DamagedFileException {
    try {
      Map<?, ?> m = (Map<?, ?>) EventJson.read(text.getBytes(StandardCharsets.UTF_8));
      return new Receipt(
          ((Number) m.get("n")).longValue(),
          ((Number) m.get("batchFirst")).longValue(),
          ((Number) m.get("batchLast")).longValue(),
          ((Number) m.get("received")).longValue(),
          new DeliveredObject(
              (String) java.util.Objects.requireNonNull(m.get("object"), "object"),
              (String) java.util.Objects.requireNonNull(m.get("sha256"), "sha256"),
              ((Number) m.get("size")).longValue(),
              ((Number) m.get("eventCount")).intValue(),
              Instant.parse((String) m.get("oldestEventTime")),
              Instant.parse((String) m.get("newestEventTime"))));
    } catch (RuntimeException e) {
      throw new DamagedFileException(file, "line " + line + " is not a receipt (" + e + ")", e);
    }
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
