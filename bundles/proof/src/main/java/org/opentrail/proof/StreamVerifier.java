package org.opentrail.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.opentrail.api.proof.ProofFinding;
import org.opentrail.api.proof.ProofReport;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.store.ChainBreak;
import org.opentrail.api.store.ChainCheck;
import org.opentrail.api.store.ChainHead;
import org.opentrail.api.store.EventStore;
import org.opentrail.internal.digest.DigestChainVerifier;
import org.opentrail.internal.digest.DigestDocument;
import org.opentrail.internal.digest.Finding;
import org.opentrail.internal.digest.PublicKeys;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Checks one stream against its signed digests (docs/PROOF.md section 4): the digests themselves
 * (signatures, keys, links, missing ones, a truncated end), then, digest by digest, that the
 * stream's records recompute from the signed {@code startHead} to the signed {@code endHead}, and
 * that the records after the newest digest chain to what the writer holds.
 */
final class StreamVerifier {
  private final EventStore store;
  private final SigningKeys keys;
  private final String account;
  private final Path streamsDir;

  StreamVerifier(EventStore store, SigningKeys keys, String account, Path streamsDir) {
    this.store = store;
    this.keys = keys;
    this.account = account;
    this.streamsDir = streamsDir;
  }

  ProofReport verify(String stream, Instant upTo, boolean stoppedOk, Consumer<String> progress) {
    long t0 = System.nanoTime();
    List<ProofFinding> findings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    DigestChainVerifier.Result r =
        DigestChainVerifier.verify(
            digestFiles(stream),
            PublicKeys.of(keys.publicKeys(account, null, null)),
            upTo,
            stoppedOk);
    for (Finding f : r.findings()) {
      findings.add(new ProofFinding(f.kind(), f.subject(), f.detail()));
    }
    java.util.Set<String> unsigned = r.unverified();
    long events = 0;
    long bytes = 0;
    long previousEnd = -1;
    String previousHead = null;
    for (int i = 0; i < r.digests().size(); i++) {
      DigestDocument.Parsed d = r.digests().get(i);
      String where = r.paths().get(i);
      long s0 = d.number("startSequence", -1);
      long s1 = d.number("endSequence", -1);
      String startHead = d.text("startHead");
      String endHead = d.text("endHead");
      if (!stream.equals(d.text("stream"))
          || s0 < 1
          || s1 < s0 - 1
          || !isHash(startHead)
          || !isHash(endHead)) {
        findings.add(new ProofFinding(Finding.FORMAT, where, "not a digest of stream " + stream));
        continue;
      }
      if (i == 0) {
        notes.add("the digests begin at " + where + " (sequence " + s0 + ")");
      } else if (previousEnd >= 0 && s0 > previousEnd + 1) {
        findings.add(
            new ProofFinding(
                Finding.EVENTS_UNPROVEN,
                (previousEnd + 1) + "-" + (s0 - 1),
                "no digest covers them: "
                    + where
                    + " starts at sequence "
                    + s0
                    + " but the digest before it here ended at "
                    + previousEnd));
      } else if (previousHead != null && !previousHead.equals(startHead)) {
        findings.add(
            new ProofFinding(
                Finding.DIGEST_ALTERED,
                where,
                "its startHead is not the endHead of the digest before"));
      }
      previousEnd = s1;
      previousHead = endHead;
      if (s1 < s0) {
        continue; // nothing was appended in that interval
      }
      if (unsigned.contains(where)) {
        // what an unsigned digest says proves nothing: its events are unproven, not accused
        findings.add(
            new ProofFinding(
                Finding.EVENTS_UNPROVEN,
                s0 + "-" + s1,
                "the only digest covering them, " + where + ", does not verify"));
        continue;
      }
      ChainCheck c = store.checkChain(stream, new ChainHead(s0 - 1, startHead), s1, progress);
      events += c.events();
      bytes += c.bytes();
      if (breaks(c, findings, notes) || c.breaks().stream().anyMatch(b -> b.lastSequence() >= s1)) {
        continue;
      }
      if (!c.end().hash().equals(endHead)) {
        findings.add(
            new ProofFinding(
                Finding.EVENTS_ALTERED,
                s0 + "-" + s1,
                "the records recompute to "
                    + c.end().hash()
                    + " but "
                    + where
                    + " signed "
                    + endHead));
      }
    }
    ChainHead live = store.chainHead(stream);
    if (previousEnd >= 0 && live.sequence() < previousEnd) {
      findings.add(
          new ProofFinding(
              Finding.EVENTS_MISSING,
              (live.sequence() + 1) + "-" + previousEnd,
              "the digests cover up to sequence "
                  + previousEnd
                  + " but the stream ends at "
                  + live.sequence()));
    } else if (previousEnd >= 0) {
      ChainCheck tail =
          store.checkChain(
              stream, new ChainHead(previousEnd, previousHead), Long.MAX_VALUE, progress);
      events += tail.events();
      bytes += tail.bytes();
      breaks(tail, findings, notes);
      if (tail.events() > 0) {
        notes.add(
            tail.events()
                + " events after the newest digest (from sequence "
                + (previousEnd + 1)
                + ") are checked against the chain the writer holds; the next digest signs them");
      }
    } else {
      notes.add("no digest of " + stream + " yet: nothing is proven");
    }
    return new ProofReport(
        stream,
        r.digests().size(),
        events,
        bytes,
        (System.nanoTime() - t0) / 1_000_000,
        findings,
        notes);
  }

  /** Adds a chain check's breaks; true if one means the end value cannot be compared. */
  private static boolean breaks(ChainCheck c, List<ProofFinding> findings, List<String> notes) {
    boolean incomparable = false;
    for (ChainBreak b : c.breaks()) {
      String range = b.firstSequence() + "-" + b.lastSequence();
      switch (b.kind()) {
        case ALTERED -> findings.add(new ProofFinding(Finding.EVENTS_ALTERED, range, b.detail()));
        case MISSING -> findings.add(new ProofFinding(Finding.EVENTS_MISSING, range, b.detail()));
        case DAMAGED -> findings.add(new ProofFinding(Finding.EVENTS_UNPROVEN, range, b.detail()));
        case RETAINED_AWAY -> notes.add("events " + range + ": " + b.detail());
      }
      incomparable |= b.kind() != ChainBreak.Kind.RETAINED_AWAY;
    }
    return incomparable;
  }

  private static boolean isHash(String s) {
    return s != null && s.matches("[0-9a-f]{64}");
  }

  /** Every digest file of the stream, by its path relative to the stream digest directory. */
  private Map<String, byte[]> digestFiles(String stream) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    Path dir = streamsDir.resolve(stream);
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".json") && !name.endsWith(DurableFiles.TEMP_SUFFIX)) {
          files.put(streamsDir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
        }
      }
    } catch (NoSuchFileException none) {
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "The digests of " + stream + " cannot be read: " + e.getMessage(), e);
    }
    return files;
  }
}
