package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentrail.api.sink.DeliveredObject;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.DestinationStatus;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.internal.digest.DigestChain;

/**
 * Destination digests with the real file sink and store: one per interval, empty ones too, listing
 * exactly the delivered files, chained, signed, continued across a restart and a crash, and delayed
 * but never skipped while the sink fails or nothing can sign.
 */
class DestinationDigestsTest extends DigestFixture {
  DestinationStatus oss() {
    return dest(TRAIL, "oss");
  }

  long eventsListed() throws IOException {
    return digests().stream()
        .flatMap(d -> d.logFiles().stream())
        .mapToLong(f -> ((Number) f.get("eventCount")).longValue())
        .sum();
  }

  boolean isFinal(Digest d) {
    return Boolean.TRUE.equals(d.doc().members().get("final"));
  }

  void awaitDigests(java.util.function.Predicate<List<Digest>> c, String what) throws Exception {
    await(
        () -> {
          try {
            return c.test(digests());
          } catch (IOException | RuntimeException e) {
            return false; // a digest being replaced
          }
        },
        what);
  }

  @Test
  void aDigestEveryIntervalEmptyOrNotListsExactlyTheDeliveredFilesAndAStopWritesAFinalOne()
      throws Exception {
    createLoggingTrail();
    record(5, "Write");
    record(2, "Write", "eu-other");
    await(() -> oss().delivered() == 7, "delivery");
    awaitDigests(ds -> eventsListed(ds) == 7, "a digest listing the files");
    awaitDigests(
        ds ->
            ds.size() >= 3
                && ds.get(ds.size() - 1).logFiles().isEmpty()
                && ds.get(ds.size() - 2).logFiles().isEmpty(),
        "digests of intervals in which nothing was delivered");
    record(3, "Write");
    await(() -> oss().delivered() == 10, "more delivery");
    awaitDigests(ds -> eventsListed(ds) == 10, "a digest listing them");
    DestinationStatus s = oss();
    assertTrue(s.detail().contains("; last digest ends "), s.detail());
    assertNull(s.lastError());
    trails.close();

    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(10, assertListedOnce(ds));
    assertEquals(3, logFiles().size(), "two batches in cn-test, one in eu-other");
    assertTrue(isFinal(ds.get(ds.size() - 1)), "the stop's digest is final");
    assertTrue(ds.subList(0, ds.size() - 1).stream().noneMatch(this::isFinal));
    for (Digest d : ds.subList(0, ds.size() - 1)) {
      assertEquals(0, d.doc().time("digestEndTime").getNano());
    }
    long empty = ds.stream().filter(d -> d.logFiles().isEmpty()).count();
    assertTrue(empty >= 2, "empty intervals have digests too: " + empty);
  }

  static long eventsListed(List<Digest> ds) {
    return ds.stream()
        .flatMap(d -> d.logFiles().stream())
        .mapToLong(f -> ((Number) f.get("eventCount")).longValue())
        .sum();
  }

  @Test
  void aRestartContinuesTheChainFromTheFinalDigest() throws Exception {
    createLoggingTrail();
    record(4, "Write");
    awaitDigests(ds -> eventsListed(ds) == 4, "a digest listing the first files");
    restart();
    Instant restarted = Instant.now();
    record(4, "Write");
    await(() -> oss().delivered() == 8, "delivery after the restart");
    awaitDigests(ds -> eventsListed(ds) == 8, "a digest listing the files after the restart");
    trails.close();

    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(8, assertListedOnce(ds));
    List<Digest> finals = ds.stream().filter(this::isFinal).toList();
    assertEquals(2, finals.size(), "one per clean stop");
    Digest stop = finals.get(0);
    assertFalse(stop.doc().time("digestEndTime").isAfter(restarted.plusSeconds(1)));
    Digest next = ds.get(ds.indexOf(stop) + 1);
    assertEquals(stop.path(), next.text("previousDigest"), "the new engine continues the chain");
    assertEquals(stop.text("digestEndTime"), next.text("digestStartTime"));
  }

  /**
   * A crash while the sink wrote a batch's files: before the engine appended their receipts, or
   * after (the cursor still names the batch as pending). The image of the disk at that moment is
   * taken, the trails are started again on it, and the batch, delivered again with the same names,
   * is listed exactly once, in the digests that continue the chain over the downtime.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aCrashAroundTheReceiptsListsTheBatchDeliveredAgainOnce(boolean receiptWritten)
      throws Exception {
    createLoggingTrail();
    record(3, "Write");
    awaitDigests(ds -> eventsListed(ds) == 3, "a digest listing the first files");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<DeliveryBatch> batch = new AtomicReference<>();
    AtomicReference<List<DeliveredObject>> written = new AtomicReference<>();
    AtomicLong at = new AtomicLong();
    fileType.afterFiles =
        (b, w) -> {
          at.set(System.currentTimeMillis());
          batch.set(b);
          written.set(w);
          inside.countDown();
          release.await();
          throw new IOException("crashed before the engine heard of the files");
        };
    record(2, "Write");
    assertTrue(inside.await(20, TimeUnit.SECONDS));
    // the disk as the crash left it: the worker is held, nothing else writes these directories
    Path image = dir.resolve("image");
    copy(dir.resolve("trails"), image.resolve("trails"));
    copy(dir.resolve("oss"), image.resolve("oss"));
    fileType.afterFiles = null;
    release.countDown();
    trails.close();
    for (String d : List.of("trails", "oss")) {
      delete(dir.resolve(d));
      copy(image.resolve(d), dir.resolve(d));
    }
    Path state = dir.resolve("trails").resolve(A).resolve(TRAIL);
    if (receiptWritten) {
      long listed =
          ((Number)
                  new DigestChain(state.resolve("digests-oss.chain.json"))
                      .last()
                      .orElseThrow()
                      .extra()
                      .get("receiptsThrough"))
              .longValue();
      new ReceiptLog(state.resolve("digests-oss.receipts"), listed)
          .append(batch.get().firstSequence(), batch.get().lastSequence(), at.get(), written.get());
    }
    List<Digest> beforeCrash = digests();
    Thread.sleep(1100); // down for more than an interval
    trails = openTrails();
    trails.bindDeliveryRole(role);
    trails.addSinkProvider("file", fileType);
    trails.bindSigningKeys(keys);
    await(() -> oss().delivered() == 5, "the batch delivered again");
    awaitDigests(ds -> eventsListed(ds) == 5, "a digest listing it");
    trails.close();

    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(5, assertListedOnce(ds), "the batch delivered again is listed once");
    assertEquals(
        written.get().stream().map(DeliveredObject::name).sorted().toList(),
        logFiles().keySet().stream()
            .filter(n -> written.get().stream().anyMatch(o -> o.name().equals(n)))
            .sorted()
            .toList(),
        "delivered again under the same names");
    Digest lastBefore = beforeCrash.get(beforeCrash.size() - 1);
    Digest firstAfter = ds.get(beforeCrash.size());
    assertEquals(lastBefore.path(), firstAfter.text("previousDigest"));
    assertTrue(
        Duration.between(
                    firstAfter.doc().time("digestStartTime"),
                    firstAfter.doc().time("digestEndTime"))
                .toSeconds()
            >= 1,
        "the first digest after the crash covers the downtime");
    assertEquals(1, ds.stream().filter(this::isFinal).count(), "a crash writes no final digest");
  }

  @Test
  void whileTheSinkFailsTheDigestWaitsAndIsThenWrittenInOrder() throws Exception {
    createLoggingTrail();
    record(2, "Write");
    awaitDigests(ds -> eventsListed(ds) == 2, "a digest listing the first files");
    fileType.down = true;
    record(3, "Write");
    await(() -> oss().detail().contains("digests late"), "the status to say digests are late");
    int during = digests().size();
    Thread.sleep(2100); // intervals pass while the sink is down
    assertEquals(during, digests().size(), "nothing written, nothing skipped ahead");
    DestinationStatus down = oss();
    assertTrue(down.lastError().contains("the disk is away"), down.lastError());
    fileType.down = false;
    await(() -> oss().delivered() == 5, "delivery once the sink is back");
    awaitDigests(ds -> eventsListed(ds) == 5, "the digests, once the sink is back");
    await(() -> !oss().detail().contains("digests late"), "digests on time again");
    trails.close();

    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(5, assertListedOnce(ds));
    assertTrue(
        ds.stream()
            .filter(d -> !isFinal(d))
            .anyMatch(
                d ->
                    Duration.between(d.doc().time("digestStartTime"), d.doc().time("digestEndTime"))
                            .toSeconds()
                        >= 2),
        "a digest written late covers the intervals the sink was down");
  }

  @Test
  void withoutSigningKeysDigestsWaitAndTheStatusSaysWhy() throws Exception {
    trails.unbindSigningKeys(keys);
    createLoggingTrail();
    record(3, "Write");
    await(() -> oss().delivered() == 3, "delivery goes on without keys");
    await(
        () -> oss().lastError() != null && oss().lastError().contains("no SigningKeys service"),
        "the status to say why digests are late");
    assertTrue(oss().detail().contains("digests late"), oss().detail());
    assertTrue(digests().isEmpty());
    trails.bindSigningKeys(keys);
    awaitDigests(ds -> eventsListed(ds) == 3, "the digests, once keys are there");
    await(() -> oss().lastError() == null, "the error to clear");
    trails.close();
    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(3, assertListedOnce(ds));
  }

  @Test
  void aStoppedTrailWritesAFinalDigestThenNoneUntilItLogsAgain() throws Exception {
    createLoggingTrail();
    record(2, "Write");
    awaitDigests(ds -> eventsListed(ds) == 2, "a digest listing the files");
    trails.stopLogging(A, TRAIL);
    awaitDigests(ds -> isFinal(ds.get(ds.size() - 1)), "the final digest of the stop");
    int stopped = digests().size();
    Thread.sleep(1500);
    assertEquals(stopped, digests().size(), "no digests while the trail does not log");
    trails.startLogging(A, TRAIL);
    record(1, "Write");
    awaitDigests(ds -> eventsListed(ds) == 3, "a digest after logging started again");
    trails.close();
    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(3, assertListedOnce(ds));
  }

  @Test
  void aFinalDigestThatFailedIsWrittenOnceWhenTheTrailsStop() throws Exception {
    createLoggingTrail();
    record(2, "Write");
    awaitDigests(ds -> eventsListed(ds) == 2, "a digest listing the files");
    fileType.down = true;
    trails.stopLogging(A, TRAIL);
    await(() -> oss().detail().contains("digests late"), "the final digest to fail");
    fileType.down = false;
    trails.close(); // the recorded final digest is written at the stop, and no second one
    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(2, assertListedOnce(ds));
    assertEquals(1, ds.stream().filter(this::isFinal).count(), "one final digest");
    assertTrue(isFinal(ds.get(ds.size() - 1)));
  }

  @Test
  void aSinkTypeLeavingGetsItsFinalDigestFirstAndTheChainGoesOnWhenItIsBack() throws Exception {
    createLoggingTrail();
    record(2, "Write");
    awaitDigests(ds -> eventsListed(ds) == 2, "a digest listing the files");
    trails.removeSinkProvider("file", fileType); // as the sink bundle stopping (before trails)
    List<Digest> gone = digests();
    assertTrue(isFinal(gone.get(gone.size() - 1)), "written before the sink type left");
    record(1, "Write");
    Thread.sleep(1100);
    assertEquals(gone.size(), digests().size(), "nothing while the sink type is gone");
    trails.addSinkProvider("file", fileType);
    awaitDigests(ds -> eventsListed(ds) == 3, "digests once it is back");
    trails.close();
    List<Digest> ds = digests();
    assertSignedAndChained(ds);
    assertEquals(3, assertListedOnce(ds));
    assertEquals(2, ds.stream().filter(this::isFinal).count(), "its leaving, and the stop");
  }

  @Test
  void aDamagedChainStateIsNeverGuessedOverAndDeliveryGoesOn() throws Exception {
    createLoggingTrail();
    record(2, "Write");
    awaitDigests(ds -> eventsListed(ds) == 2, "a digest listing the files");
    trails.close();
    Path chain = dir.resolve("trails").resolve(A).resolve(TRAIL).resolve("digests-oss.chain.json");
    Files.writeString(chain, "{\"path\":");
    int before = digests().size();
    restart();
    record(3, "Write");
    await(() -> oss().delivered() == 5, "delivery goes on");
    DestinationStatus s = oss();
    assertTrue(s.detail().contains("digests late"), s.detail());
    assertTrue(s.lastError().contains(chain.toString()), s.lastError());
    assertTrue(s.lastError().contains("damaged"), s.lastError());
    Thread.sleep(1100);
    assertEquals(before, digests().size(), "no digest starts a new chain on its own");
  }

  @Test
  void aSinkThatCannotHoldDigestsGetsPlainDeliveriesAndNoDigestState() throws Exception {
    trails.create(A, TrailSpec.of("plain-trail", new DestinationSpec("m", "mem", Map.of())));
    trails.startLogging(A, "plain-trail");
    record(4, "Write");
    await(() -> mem.delivered("m").size() == 4, "delivery");
    Thread.sleep(1100);
    trails.close();
    try (Stream<Path> s = Files.list(dir.resolve("trails").resolve(A).resolve("plain-trail"))) {
      assertEquals(
          List.of("destination-m.json", "trail.json"),
          s.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
  }

  static void delete(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
