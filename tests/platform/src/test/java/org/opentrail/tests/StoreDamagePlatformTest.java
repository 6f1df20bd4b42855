package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps, with the real bundles in a real Felix: a byte flipped in the middle of the
 * active journal segment of an instance that recorded and delivered events. After a restart the
 * damage is reported exactly (store:verify fails, store:status names the range), everything else is
 * found and new events are recorded and delivered exactly once; a trail that had not delivered the
 * damaged range shows a gap; store:repair from the file destination restores every damaged event,
 * checked by eventId, and the gap is delivered.
 */
class StoreDamagePlatformTest {
  private static final Pattern DAMAGED = Pattern.compile("DAMAGED (\\d+)-(\\d+)");

  @TempDir Path dir;

  @Test
  void aFlippedByteLosesOnlyItsBlockAndARepairFromTheFileSinkRestoresIt() throws Exception {
    Path data = dir.resolve("data");
    List<String> ids;
    try (Instance ot = new Instance(data, List.of("core", "shell", "trail", "sink-file"))) {
      ot.run("auth:grant");
      ot.run("trail:create files-trail --start oss@file:bucket=dmg");
      // a second trail whose sink type is not installed: its backlog waits in the store
      ot.run("trail:create late-trail --start logstore");
      ids = new ArrayList<>(ot.record(3000, "before"));
      Instance.await(
          Duration.ofSeconds(30),
          () -> Delivered.fileSink(data.resolve("oss")).size() == 3000,
          "the file trail to deliver");
      ot.awaitIndexed();
    }
    Path journal = data.resolve("store/streams/history/journal");
    Path segment;
    try (Stream<Path> s = Files.list(journal)) {
      segment = s.filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).get();
    }
    long size = Files.size(segment);
    try (FileChannel ch =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, size / 2);
      one.put(0, (byte) (one.get(0) ^ 0x20));
      ch.write(one.flip(), size / 2);
    }

    try (Instance ot = new Instance(data, List.of("core", "shell", "trail", "sink-file"))) {
      assertEquals(size, Files.size(segment), "acknowledged bytes are never cut");
      String verify = ot.failsPrinting("store:verify");
      Matcher m = DAMAGED.matcher(verify);
      assertTrue(m.find(), verify);
      int first = Integer.parseInt(m.group(1));
      int last = Integer.parseInt(m.group(2));
      assertTrue(first > 1 && last < 3000 && last - first < 500, "one block: " + verify);
      assertTrue(ot.run("store:status").contains("DAMAGED " + first + "-" + last));
      assertEquals(3000 - (last - first + 1), ot.storedEvents());
      // everything else is found by eventId; the damaged ones are not (and no lookup goes silent)
      for (int seq : new int[] {1, first - 1, last + 1, 3000}) {
        assertTrue(ot.run("event:get " + ids.get(seq - 1)).contains(ids.get(seq - 1)), "" + seq);
      }
      String gone = ot.fails("event:get " + ids.get(first - 1));
      assertTrue(gone.contains(ids.get(first - 1)) && gone.contains("damaged"), gone);
      String lookup = ot.run("event:lookup --user before --since 7d --max 50");
      assertTrue(lookup.contains("events"), lookup);
      // new events: new sequences, delivered once
      ids.addAll(ot.record(100, "after"));
      Instance.await(
          Duration.ofSeconds(30),
          () -> Delivered.fileSink(data.resolve("oss")).size() == 3100,
          "new events delivered");
      assertEquals("", Delivered.problems(ids, Delivered.fileSink(data.resolve("oss"))));
      // the trail that had not delivered the range gets everything readable and shows the gap
      ot.run("start file:" + TrailPlatformTest.LOGSTORE_SINK.toAbsolutePath());
      Instance.await(
          Duration.ofSeconds(30),
          () -> ot.run("trail:status late-trail").contains("GAP " + first + "-" + last),
          "the gap in late-trail's status");
      assertTrue(!ot.run("trail:status late-trail").contains("up to date\n"));

      String repaired = ot.run("store:repair --from files-trail/oss");
      assertTrue(
          repaired.contains(String.format("%,d events restored", last - first + 1)), repaired);
      assertTrue(ot.run("store:verify").contains("OK"), "clean after the repair");
      for (int seq = first; seq <= last; seq++) {
        assertTrue(ot.run("event:get " + ids.get(seq - 1)).contains(ids.get(seq - 1)));
      }
      Instance.await(
          Duration.ofSeconds(30),
          () -> !ot.run("trail:status late-trail").contains("GAP "),
          "the repaired gap delivered");
      Instance.await(
          Duration.ofSeconds(30),
          () ->
              Instance.number(ot.run("store:status --json").split("_late-trail\"")[1], "events")
                  == 3100,
          "every event in late-trail's logstore");
    }
  }
}
