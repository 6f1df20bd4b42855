package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StorageFullException;
import org.opentrail.api.store.StoreUnavailableException;

/**
 * A real small file system (a 48 MiB tmpfs the test mounts; CI runs as root) filled up while four
 * writers record: before the disk is full the free-space floor refuses appends with {@code
 * ServiceUnavailable.StorageFull}, lookups keep working, recording resumes by itself when space is
 * freed, and with the floor off a write that really fails with ENOSPC loses nothing acknowledged
 * and does not stop recording either. Every acknowledged event is found after a restart.
 */
class FullDiskTest {
  @TempDir Path tmp;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountTmpfs() throws Exception {
    mount = tmp.resolve("small-disk");
    Files.createDirectories(mount);
    Process p =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    mounted = p.waitFor() == 0;
    assumeTrue(mounted, "a tmpfs cannot be mounted here (needs root): " + out);
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
    }
  }

  private EmbeddedEventStore open(int floorMb) throws IOException {
    return new EmbeddedEventStore(
        mount.resolve("store"),
        TestEvents.config(
            Map.of(
                "free.space.floor.megabytes", floorMb,
                "index.refresh.millis", 20,
                "journal.compression.level", 0,
                "index.ram.buffer.megabytes", 4)));
  }

  /** Writes filler until the file system has about {@code leaveMb} MiB left (or is full). */
  private Path fill(String name, long leaveMb) throws IOException {
    Path f = mount.resolve(name);
    try (FileChannel ch =
        FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer mb = ByteBuffer.allocate(1 << 20);
      while (Files.getFileStore(mount).getUsableSpace() > (leaveMb << 20) + (1 << 20)) {
        mb.clear();
        ch.write(mb);
      }
      ch.force(true);
    } catch (IOException full) {
      // ENOSPC: as full as it gets
    }
    return f;
  }

  /** Four writers recording batches of 50 until stopped; acknowledged ids and errors collected. */
  private record Load(
      ExecutorService pool,
      List<Future<?>> futures,
      AtomicBoolean running,
      Set<String> acked,
      Map<String, AtomicInteger> errors) {
    void stop() throws Exception {
      running.set(false);
      for (Future<?> f : futures) {
        f.get();
      }
      pool.shutdown();
    }
  }

  private static Load load(EventStore store) {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean running = new AtomicBoolean(true);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int writer = w;
      futures.add(
          pool.submit(
              () -> {
                int n = 0;
                while (running.get()) {
                  List<Event> batch = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    batch.add(TestEvents.event(Instant.now(), "w" + writer + "-" + n++));
                  }
                  try {
                    store.append(EventStore.HISTORY, batch);
                    batch.forEach(e -> acked.add(e.eventId()));
                  } catch (StoreUnavailableException e) {
                    errors.computeIfAbsent(e.code(), k -> new AtomicInteger()).incrementAndGet();
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException stop) {
                      return;
                    }
                  }
                }
              }));
    }
    return new Load(pool, futures, running, acked, errors);
  }

  private static void await(Duration d, java.util.function.BooleanSupplier ok, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + d.toNanos();
    while (!ok.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  @Test
  void theFloorRefusesBeforeTheDiskIsFullAndRecordingResumesWhenSpaceIsFreed() throws Exception {
    Set<String> acked;
    try (EmbeddedEventStore store = open(16)) {
      Load load = load(store);
      await(Duration.ofSeconds(30), () -> load.acked().size() > 2000, "some events recorded");
      Path filler = fill("filler", 6); // well below the 16 MiB floor
      await(
          Duration.ofSeconds(30),
          () -> load.errors().containsKey(StorageFullException.CODE),
          "appends refused with " + StorageFullException.CODE);
      assertNotNull(store.storageAlarm());
      assertTrue(store.storageAlarm().startsWith(StorageFullException.CODE), store.storageAlarm());
      Thread.sleep(200); // batches acknowledged before the floor was crossed finish answering
      int before = load.acked().size();
      Thread.sleep(300);
      assertEquals(before, load.acked().size(), "nothing is acknowledged while full");
      // lookups and the index keep working while recording is refused
      EmbeddedEventStoreTest.awaitIndexed(store, EventStore.HISTORY);
      String some = load.acked().iterator().next();
      assertTrue(store.find(EventStore.HISTORY, TestEvents.ACCOUNT, some).isPresent());

      Files.delete(filler); // space returns: recording resumes by itself, no restart
      await(Duration.ofSeconds(30), () -> load.acked().size() > before + 1000, "recording resumed");
      assertNull(store.storageAlarm());
      load.stop();
      acked = load.acked();
      assertTrue(
          load.errors().keySet().stream().allMatch(StorageFullException.CODE::equals),
          "only StorageFull errors: " + load.errors());
    }
    try (EmbeddedEventStore store = open(16)) {
      EmbeddedEventStoreTest.awaitIndexed(store, EventStore.HISTORY);
      for (String id : acked) {
        assertTrue(store.find(EventStore.HISTORY, TestEvents.ACCOUNT, id).isPresent(), id);
      }
      assertEquals(List.of(), store.damaged(EventStore.HISTORY));
    }
  }

  @Test
  void aWriteThatFailsWithNoSpaceLosesNothingAcknowledgedAndDoesNotStopRecording()
      throws Exception {
    Set<String> acked;
    try (EmbeddedEventStore store = open(0)) { // no floor: the journal meets a real ENOSPC
      Load load = load(store);
      await(Duration.ofSeconds(30), () -> load.acked().size() > 2000, "some events recorded");
      Path filler = fill("filler", 0);
      await(
          Duration.ofSeconds(30),
          () -> load.errors().containsKey(StorageFullException.CODE),
          "a failed write answered with " + StorageFullException.CODE);
      Files.delete(filler);
      int before = load.acked().size();
      await(Duration.ofSeconds(30), () -> load.acked().size() > before + 1000, "recording resumed");
      assertNull(store.storageAlarm(), "the alarm clears once writes succeed");
      load.stop();
      acked = load.acked();
    }
    try (EmbeddedEventStore store = open(0)) {
      Set<String> stored = new java.util.HashSet<>();
      for (long after = 0; ; ) {
        var page = store.read(EventStore.HISTORY, after, 5000);
        if (page.isEmpty()) {
          break;
        }
        page.forEach(e -> stored.add(e.event().eventId()));
        after = page.get(page.size() - 1).sequence();
      }
      assertTrue(stored.containsAll(acked), "every acknowledged event is in the journal");
      assertEquals(List.of(), store.damaged(EventStore.HISTORY), "a failed write is not damage");
    }
  }
}
