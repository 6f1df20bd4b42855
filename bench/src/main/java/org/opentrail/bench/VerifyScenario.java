package org.opentrail.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.opentrail.api.proof.ProofReport;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.VerifyReport;
import org.opentrail.auth.AccountSigningKeys;
import org.opentrail.auth.AuthPaths;
import org.opentrail.auth.IdentityRegistry;
import org.opentrail.proof.StreamDigests;

/**
 * {@code verify}: {@code store:verify} throughput over a loaded store (MB and events per second,
 * every block read from disk and checked, every index partition checked against Lucene's checksums
 * and the journal), then the cost of damage: one byte flipped in the active segment (scanned at
 * every open) and one in a sealed segment whose sidecar index is lost too (scanned because of
 * that), each followed by a reopen, timed until the store has settled (index caught up, scrubbed).
 * Between the two: a signed digest of the history and its check against the hash chain.
 */
final class VerifyScenario {
  private VerifyScenario() {}

  static Summary run(BenchOptions o, PrintStream out) throws Exception {
    boolean reuse = o.reuse != null;
    Path dataDir = reuse ? o.reuse.toAbsolutePath() : BenchStore.createDataDir(o.dir, "verify");
    RunHeader.print(out, "verify", o, dataDir);
    String loadNote = "reused " + dataDir;
    if (!reuse) {
      try (BenchStore loading = BenchStore.open(dataDir, o.storeConfig)) {
        loadNote =
            LookupScenario.load(
                o, loading, new ActionTrailEventGenerator(new Populations(), loading.account), out);
      }
    }
    Summary s = new Summary("verify", Summary.n(o.events) + " events, " + loadNote);
    VerifyReport clean;
    try (BenchStore store = BenchStore.open(dataDir, o.storeConfig)) {
      out.printf(Locale.ROOT, "open         %.2f s (clean)%n", store.openNanos / 1e9);
      long settle = settle(store);
      out.printf(Locale.ROOT, "settled      %.2f s after opening%n", settle / 1e9);
      clean = store.store.verify(EventStore.HISTORY, line -> out.println("  " + line));
      double sec = Math.max(1, clean.millis()) / 1000.0;
      out.printf(
          Locale.ROOT,
          "verify       %,d blocks, %,d MB, %,d events in %.1f s: %.0f MB/s, %,.0f events/s; %s%n",
          clean.blocks(),
          clean.bytes() >> 20,
          clean.events(),
          sec,
          (clean.bytes() >> 20) / sec,
          clean.events() / sec,
          clean.clean() ? "clean" : "DAMAGED " + clean.damaged() + " " + clean.indexProblems());
      s.add("verify MB/s", "%.0f", (clean.bytes() >> 20) / sec);
      s.add("verify events/s", "%,.0f", clean.events() / sec);
      proof(store, dataDir, out, s);
    }
    if (reuse) {
      out.println("damage       skipped: --reuse keeps the directory undamaged");
      s.print(out);
      return s;
    }
    Path journal = dataDir.resolve("store/streams/history/journal");
    List<Path> segments;
    try (Stream<Path> files = Files.list(journal)) {
      segments = files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
    flip(segments.get(segments.size() - 1));
    reopen(o, dataDir, out, s, "active segment");
    if (segments.size() > 1) {
      Path sealed = segments.get(segments.size() / 2 - (segments.size() > 2 ? 0 : 1));
      flip(sealed);
      Files.deleteIfExists(
          sealed.resolveSibling(sealed.getFileName().toString().replace(".log", ".idx")));
      reopen(o, dataDir, out, s, "sealed segment, sidecar lost");
    }
    IngestScenario.finish(o, dataDir, out);
    s.print(out);
    return s;
  }

  /**
   * The hash chain and the signed digests: one digest of the whole history (signed with the auth
   * bundle's real Ed25519 key), then {@code proof:verify}'s check of it, which recomputes every
   * record's SHA-256 and the chain from the digest's startHead to its endHead.
   */
  private static void proof(BenchStore store, Path dataDir, PrintStream out, Summary s)
      throws IOException {
    AuthPaths paths = AuthPaths.under(dataDir.resolve("auth"));
    IdentityRegistry ids = new IdentityRegistry(paths, BenchStore.DEFAULT_ACCOUNT);
    StreamDigests digests =
        new StreamDigests(
            store.store,
            new AccountSigningKeys(ids, paths),
            ids,
            dataDir.resolve("digests"),
            3600,
            Clock.systemUTC(),
            false);
    long t0 = System.nanoTime();
    digests.digestNow();
    out.printf(
        Locale.ROOT,
        "digest       written and signed in %.1f ms%n",
        (System.nanoTime() - t0) / 1e6);
    ProofReport r =
        digests.verify(EventStore.HISTORY, null, false, line -> out.println("  " + line));
    double sec = Math.max(1, r.millis()) / 1000.0;
    out.printf(
        Locale.ROOT,
        "proof        %,d digests, %,d events, %,d MB of records hashed in %.1f s: %.0f MB/s, %,.0f"
            + " events/s; %s%n",
        r.digests(),
        r.events(),
        r.bytes() >> 20,
        sec,
        (r.bytes() >> 20) / sec,
        r.events() / sec,
        r.clean() ? "proven" : "NOT PROVEN " + r.findings());
    s.add("proof:verify MB/s", "%.0f", (r.bytes() >> 20) / sec);
    s.add("proof:verify events/s", "%,.0f", r.events() / sec);
  }

  private static void reopen(BenchOptions o, Path dataDir, PrintStream out, Summary s, String what)
      throws Exception {
    try (BenchStore store = BenchStore.open(dataDir, o.storeConfig)) {
      long settle = settle(store);
      List<DamagedRange> damaged = store.store.damaged(EventStore.HISTORY);
      out.printf(
          Locale.ROOT,
          "damage       one byte in the %s: reopened in %.2f s, settled %.2f s later; damaged %s%n",
          what,
          store.openNanos / 1e9,
          settle / 1e9,
          damaged.stream().map(d -> d.span() + " (" + d.events() + " events)").toList());
      s.add("reopen, " + what, "%.2f s", store.openNanos / 1e9);
    }
  }

  private static long settle(BenchStore store) throws InterruptedException {
    long t0 = System.nanoTime();
    while (!store.store.settled(EventStore.HISTORY)) {
      Thread.sleep(20);
    }
    return System.nanoTime() - t0;
  }

  private static void flip(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = ch.size() / 2;
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x01));
      ch.write(one.flip(), at);
    }
  }
}
