package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.internal.durable.DamagedFileException;

class ReceiptLogTest {
  @TempDir Path dir;

  static DeliveredObject object(String name) {
    return new DeliveredObject(
        name,
        "ab".repeat(32),
        123,
        4,
        Instant.parse("2026-11-21T00:00:01Z"),
        Instant.parse("2026-11-21T00:00:09Z"));
  }

  static List<String> names(ReceiptLog log) {
    return log.receipts().stream().map(r -> r.object().name()).toList();
  }

  @Test
  void receiptsSurviveAReopenNumberedOnAndForgottenOnceListed() throws Exception {
    Path f = dir.resolve("r");
    ReceiptLog log = new ReceiptLog(f, 0);
    log.append(1, 10, 1000, List.of(object("a"), object("b")));
    log.append(11, 20, 2000, List.of(object("c")));
    ReceiptLog again = new ReceiptLog(f, 0);
    assertEquals(log.receipts(), again.receipts());
    assertEquals(List.of(1L, 2L, 3L), again.receipts().stream().map(r -> r.number()).toList());
    ReceiptLog.Receipt c = again.receipts().get(2);
    assertEquals(11, c.batchFirst());
    assertEquals(20, c.batchLast());
    assertEquals(2000, c.receivedMillis());
    assertEquals(object("c"), c.object());

    assertEquals(3, again.newest());
    again.dropThrough(2);
    assertEquals(List.of("c"), names(again));
    assertEquals(3, again.newest());
    again.append(21, 30, 3000, List.of(object("d")));
    assertEquals(4, again.receipts().get(1).number(), "numbers go on after a drop");
    assertEquals(List.of("c", "d"), names(new ReceiptLog(f, 0)));
    // receipts a digest lists but a crash left in the file are not listed again
    assertEquals(List.of("d"), names(new ReceiptLog(f, 3)));
    ReceiptLog empty = new ReceiptLog(dir.resolve("none"), 7);
    assertEquals(0, empty.newest(), "none kept");
    empty.append(1, 1, 1, List.of(object("e")));
    assertEquals(8, empty.receipts().get(0).number(), "numbers go on from those listed");
  }

  @Test
  void aLineTornByACrashIsCutOffAndAppendsGoOn() throws Exception {
    Path f = dir.resolve("r");
    new ReceiptLog(f, 0).append(1, 10, 1000, List.of(object("a")));
    long good = Files.size(f);
    Files.write(
        f, "{\"n\":2,\"batchFi".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    ReceiptLog log = new ReceiptLog(f, 0);
    assertEquals(List.of("a"), names(log));
    assertEquals(good, Files.size(f), "the torn line is cut off");
    log.append(11, 20, 2000, List.of(object("b")));
    assertEquals(List.of("a", "b"), names(new ReceiptLog(f, 0)));
  }

  @Test
  void aDamagedLineIsReportedNamingTheFileNeverSkipped() throws Exception {
    Path f = dir.resolve("r");
    new ReceiptLog(f, 0).append(1, 10, 1000, List.of(object("a"), object("b")));
    String text = Files.readString(f);
    Files.writeString(f, "garbage\n" + text.substring(text.indexOf('\n') + 1));
    DamagedFileException e = assertThrows(DamagedFileException.class, () -> new ReceiptLog(f, 0));
    assertEquals(f, e.file());
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
  }
}
