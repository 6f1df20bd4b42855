package org.opentrail.shell;

import java.time.Instant;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.proof.DigestService;
import org.opentrail.api.proof.ProofFinding;
import org.opentrail.api.proof.ProofReport;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code proof:verify} checks the live history (or a logstore) against its signed digests and the
 * journal's hash chain, and {@code proof:digest} writes a digest of every stream now
 * (docs/PROOF.md). A failed check throws, so {@code opentrail exec} exits 1.
 */
@Component(
    service = DigestCommands.class,
    property = {
      "osgi.command.scope=proof",
      "osgi.command.function=verify",
      "osgi.command.function=digest"
    })
public final class DigestCommands {
  private final DigestService digests;
  private final EventStore store;

  @Activate
  public DigestCommands(@Reference DigestService digests, @Reference EventStore store) {
    this.digests = digests;
    this.store = store;
  }

  @Descriptor(
      "Check streams against their signed digests: every digest's signature, key and link to the"
          + " one before (missing, altered or restarted digests, an end cut off), then every"
          + " event against the hash chain values the digests signed; fails if anything does not"
          + " prove itself")
  public String verify(
      CommandSession session,
      @Descriptor("accept digests that end at a clean stop long ago (OpenTrail was stopped)")
          @Parameter(
              names = {"--stopped"},
              presentValue = "true",
              absentValue = "false")
          boolean stopped,
      @Descriptor("the time the digests should reach, ISO-8601 (default: now)")
          @Parameter(
              names = {"--to"},
              absentValue = "")
          String to,
      @Descriptor("streams to check (default: the history and every logstore)") String... streams) {
    Instant upTo = to.isEmpty() ? null : Durations.time("--to", to);
    List<String> names =
        streams.length > 0
            ? List.of(streams)
            : store.streams().stream().map(StreamInfo::name).sorted().toList();
    StringBuilder out = new StringBuilder();
    int bad = 0;
    for (String s : names) {
      ProofReport r =
          digests.verify(s, upTo, stopped, line -> session.getConsole().println(s + ": " + line));
      out.append(s)
          .append(r.clean() ? ": proven" : ": NOT PROVEN")
          .append(
              String.format(
                  " (%d %s, %d events, %.1f MB hashed",
                  r.digests(),
                  r.digests() == 1 ? "digest" : "digests",
                  r.events(),
                  r.bytes() / 1e6))
          .append(String.format(", %.1f s)%n", r.millis() / 1000.0));
      for (ProofFinding f : r.findings()) {
        out.append("  ")
            .append(f.kind())
            .append(' ')
            .append(f.subject())
            .append(": ")
            .append(f.detail())
            .append('\n');
      }
      for (String n : r.notes()) {
        out.append("  note: ").append(n).append('\n');
      }
      bad += r.clean() ? 0 : 1;
    }
    if (bad > 0) {
      throw new IllegalStateException(out.toString().stripTrailing());
    }
    return out.toString().stripTrailing();
  }

  @Descriptor(
      "Write a signed digest of every stream (the history and each logstore) now, ending the"
          + " current interval early; OpenTrail writes one every interval and at a clean stop by"
          + " itself. Trail destinations get theirs from the trail engine at each interval"
          + " boundary and at a clean stop")
  public String digest() {
    List<String> written = digests.digestNow();
    return written.isEmpty()
        ? "Nothing to write: every stream's digests already reach this second"
        : "Wrote "
            + written.size()
            + (written.size() == 1 ? " digest:\n  " : " digests:\n  ")
            + String.join("\n  ", written);
  }
}
