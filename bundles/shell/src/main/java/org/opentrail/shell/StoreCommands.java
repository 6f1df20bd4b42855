package org.opentrail.shell;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.RepairReport;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.api.store.VerifyReport;
import org.opentrail.api.trail.TrailService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code store:*} commands: the state of the event store. */
@Component(
    service = StoreCommands.class,
    property = {
      "osgi.command.scope=store",
      "osgi.command.function=status",
      "osgi.command.function=verify",
      "osgi.command.function=repair"
    })
public final class StoreCommands {
  private final EventStore store;
  private final IdentityService identities;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile TrailService trails;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile org.opentrail.api.proof.DigestService digests;

  @Activate
  public StoreCommands(@Reference EventStore store, @Reference IdentityService identities) {
    this.store = store;
    this.identities = identities;
  }

  @Descriptor(
      "Show every stream of the store: events, bytes, oldest and newest event, retention, indexing")
  public String status(
      @Descriptor("print JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json) {
    List<StreamInfo> streams = store.streams();
    if (json) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (StreamInfo s : streams) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("events", s.eventCount());
        m.put("journalBytes", s.journalBytes());
        m.put("indexBytes", s.indexBytes());
        m.put(
            "oldestEventTime", s.oldestEventTime() == null ? null : s.oldestEventTime().toString());
        m.put(
            "newestEventTime", s.newestEventTime() == null ? null : s.newestEventTime().toString());
        m.put("retentionDays", s.spec().retentionDays());
        m.put("writeProtected", s.spec().writeProtected());
        m.put("lastSequence", s.lastSequence());
        m.put("indexedSequence", s.indexedSequence());
        m.put("retentionHeldFrom", s.retentionHeldFrom());
        List<Map<String, Object>> damage = new ArrayList<>();
        for (DamagedRange d : store.damaged(s.name())) {
          damage.add(damageJson(d));
        }
        m.put("damaged", damage);
        list.add(m);
      }
      Map<String, Object> all = new LinkedHashMap<>();
      all.put("streams", list);
      all.put("storageAlarm", store.storageAlarm());
      return EventJson.toString(all);
    }
    Table t =
        new Table(
            40,
            "STREAM",
            "EVENTS",
            "JOURNAL",
            "INDEX",
            "OLDEST",
            "NEWEST",
            "RETENTION",
            "INDEXING",
            "HELD FROM");
    for (StreamInfo s : streams) {
      long lag = s.lastSequence() - s.indexedSequence();
      t.row(
          s.name() + (s.spec().writeProtected() ? " (read-only)" : ""),
          String.format("%,d", s.eventCount()),
          Durations.bytes(s.journalBytes()),
          Durations.bytes(s.indexBytes()),
          s.oldestEventTime(),
          s.newestEventTime(),
          s.spec().retentionDays() + " days",
          lag <= 0 ? "up to date" : String.format("%,d behind", lag),
          s.retentionHeldFrom() == 0 ? "-" : "sequence " + s.retentionHeldFrom());
    }
    StringBuilder out = new StringBuilder(t.toString().stripTrailing());
    String alarm = store.storageAlarm();
    if (alarm != null) {
      out.append("\n\nALARM ").append(alarm);
    }
    for (StreamInfo s : streams) {
      for (DamagedRange d : store.damaged(s.name())) {
        out.append("\n").append(s.name()).append(": ").append(describe(d));
      }
    }
    return out.toString();
  }

  /** One damaged range as an operator reads it. */
  static String describe(DamagedRange d) {
    return String.format(
        "%s %s (%,d events%s): %s in %s%s%s, found %s",
        d.repairedEvents() >= d.events() ? "REPAIRED" : "DAMAGED",
        d.span(),
        d.events(),
        d.repairedEvents() > 0 ? String.format(", %,d repaired", d.repairedEvents()) : "",
        d.reason(),
        d.file(),
        d.offset() >= 0 ? " at byte " + d.offset() : "",
        d.quarantine() != null ? "; bytes kept in " + d.quarantine() : "",
        d.detectedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  private static Map<String, Object> damageJson(DamagedRange d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("firstSequence", d.firstSequence());
    m.put("lastSequence", d.lastSequence());
    m.put("events", d.events());
    m.put("repairedEvents", d.repairedEvents());
    m.put("file", d.file());
    m.put("offset", d.offset());
    m.put("length", d.length());
    m.put("reason", d.reason());
    m.put("quarantine", d.quarantine());
    m.put("detectedAt", d.detectedAt().toString());
    return m;
  }

  @Descriptor(
      "Read every journal block and index partition of the store and check them (checksums,"
          + " counts), then, with the proof feature, every event against the signed digests"
          + " (as proof:verify); print damaged ranges and findings; fails when anything is"
          + " damaged or not proven")
  public String verify(
      @Descriptor("only this stream (default: every stream)")
          @Parameter(
              names = {"-s", "--stream"},
              absentValue = "")
          String stream) {
    PrintStream console = System.out;
    List<String> names =
        stream.isEmpty()
            ? store.streams().stream().map(StreamInfo::name).toList()
            : List.of(stream);
    List<String> lines = new ArrayList<>();
    boolean damaged = false;
    for (String name : names) {
      VerifyReport r = store.verify(name, console::println);
      double seconds = Math.max(r.millis(), 1) / 1000.0;
      lines.add(
          String.format(
              "%s: %,d blocks, %,d MB, %,d events checked in %.1f s (%.0f MB/s, %,.0f events/s): %s",
              name,
              r.blocks(),
              r.bytes() >> 20,
              r.events(),
              seconds,
              (r.bytes() >> 20) / seconds,
              r.events() / seconds,
              r.clean() ? "OK" : "DAMAGED"));
      for (DamagedRange d : r.damaged()) {
        lines.add("  " + describe(d));
      }
      for (String p : r.indexProblems()) {
        lines.add("  " + p);
      }
      damaged |= !r.clean();
      org.opentrail.api.proof.DigestService d = digests;
      if (d != null) {
        org.opentrail.api.proof.ProofReport p = d.verify(name, null, false, console::println);
        lines.add(
            String.format(
                "%s: %d digests, %,d events against the hash chain: %s",
                name, p.digests(), p.events(), p.clean() ? "proven" : "NOT PROVEN"));
        for (org.opentrail.api.proof.ProofFinding f : p.findings()) {
          lines.add("  " + f.kind() + " " + f.subject() + ": " + f.detail());
        }
        damaged |= !p.clean();
      }
    }
    String report = String.join("\n", lines);
    if (damaged) {
      console.println(report);
      throw new IllegalStateException(
          "The store is damaged or not proven: see above; store:repair --from"
              + " <trail>/<destination> restores damaged events a destination holds");
    }
    return report;
  }

  @Descriptor(
      "Restore events damaged in the event history from what a trail's destination holds (the"
          + " file sink's delivered files, a logstore), checked by eventId, at their original"
          + " sequences")
  public String repair(
      @Descriptor("the account of the trail (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor(
              "required: <trail>/<destination> to read back, e.g. my-trail/file (trail:status"
                  + " lists a trail's destination ids)")
          @Parameter(
              names = {"--from"},
              absentValue = "")
          String from) {
    TrailService t = trails;
    if (t == null) {
      throw new IllegalStateException("No trail service is installed: nothing to repair from.");
    }
    int slash = from.indexOf('/');
    if (slash <= 0 || slash == from.length() - 1) {
      throw new IllegalArgumentException(
          "--from <trail>/<destination> is required, e.g. --from my-trail/file (trail:status"
              + " lists a trail's destination ids)");
    }
    PrintStream console = System.out;
    RepairReport r =
        t.repairFrom(
            account.isEmpty() ? identities.defaultAccountId() : account,
            from.substring(0, slash),
            from.substring(slash + 1),
            console::println);
    StringBuilder out =
        new StringBuilder(
            String.format(
                "%,d events restored; of the events read back, %,d were readable already and %,d"
                    + " are not in a damaged range (or not known to the store)",
                r.restored(), r.alreadyReadable(), r.notDamaged()));
    long missing = 0;
    for (DamagedRange d : store.damaged(EventStore.HISTORY)) {
      out.append("\n").append(describe(d));
      missing += Math.max(0, d.events() - d.repairedEvents());
    }
    if (missing > 0) {
      console.println(out);
      throw new IllegalStateException(
          String.format(
              "%,d damaged events are still missing: no copy of them in %s. Repair from another"
                  + " destination that holds them, or acknowledge the trails' gaps (trail:gapack)",
              missing, from));
    }
    return out.toString();
  }
}
