package org.opentrail.trail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.trail.DeliveryJob;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Trails, destination cursors and delivery jobs on disk, each an atomically replaced JSON file:
 * {@code <dir>/<account>/<trail>/trail.json}, {@code .../destination-<id>.json} and {@code
 * <dir>/<account>/jobs/<id>.json}.
 */
final class TrailRepository {
  private final Path dir;

  TrailRepository(Path dir) throws IOException {
    this.dir = dir;
    DurableFiles.createPrivateDirectories(dir);
  }

  List<TrailState> loadTrails() throws IOException {
    List<TrailState> out = new ArrayList<>();
    for (Path account : list(dir)) {
      for (Path trail : list(account)) {
        Path file = trail.resolve("trail.json");
        if (Files.isRegularFile(file)) {
          out.add(trailFrom(read(file)));
        }
      }
    }
    return out;
  }

  void save(TrailState t) throws IOException {
    Path d = dir.resolve(t.account()).resolve(t.spec().name());
    DurableFiles.createPrivateDirectories(d);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("account", t.account());
    m.put("name", t.spec().name());
    m.put("eventRW", t.spec().eventRW());
    m.put("categories", List.copyOf(t.spec().categories()));
    m.put("regions", t.spec().regions());
    List<Object> dests = new ArrayList<>();
    for (DestinationSpec d2 : t.spec().destinations()) {
      dests.add(Map.of("id", d2.id(), "type", d2.type(), "config", d2.config()));
    }
    m.put("destinations", dests);
    m.put("logging", t.logging());
    m.put("created", t.created().toString());
    m.put("updated", t.updated().toString());
    m.put("startLogging", t.startLogging() == null ? null : t.startLogging().toString());
    m.put("stopLogging", t.stopLogging() == null ? null : t.stopLogging().toString());
    m.put("firstStartSequence", t.firstStartSequence());
    m.put("startSequence", t.startSequence());
    m.put("stopSequence", t.stopSequence());
    DurableFiles.write(d.resolve("trail.json"), EventJson.write(m));
  }

  @SuppressWarnings("unchecked")
  private static TrailState trailFrom(Map<String, Object> m) {
    List<DestinationSpec> dests = new ArrayList<>();
    for (Object o : (List<Object>) m.get("destinations")) {
      Map<String, Object> d = (Map<String, Object>) o;
      Map<String, String> config = new LinkedHashMap<>();
      ((Map<String, Object>) d.get("config")).forEach((k, v) -> config.put(k, String.valueOf(v)));
      dests.add(new DestinationSpec((String) d.get("id"), (String) d.get("type"), config));
    }
    TrailSpec spec =
        new TrailSpec(
            (String) m.get("name"),
            (String) m.get("eventRW"),
            new HashSet<>((List<String>) m.get("categories")),
            (List<String>) m.get("regions"),
            dests);
    return new TrailState(
        (String) m.get("account"),
        spec,
        (Boolean) m.get("logging"),
        Instant.parse((String) m.get("created")),
        Instant.parse((String) m.get("updated")),
        m.get("startLogging") == null ? null : Instant.parse((String) m.get("startLogging")),
        m.get("stopLogging") == null ? null : Instant.parse((String) m.get("stopLogging")),
        num(m, "firstStartSequence"),
        num(m, "startSequence"),
        num(m, "stopSequence"));
  }

  void deleteTrail(String account, String name) throws IOException {
    deleteTree(dir.resolve(account).resolve(name));
  }

  /** A destination's cursor, or {@code null} if it has none yet. */
  CursorState loadCursor(String account, String trail, String destination) throws IOException {
    Path f = dir.resolve(account).resolve(trail).resolve("destination-" + destination + ".json");
    if (!Files.isRegularFile(f)) {
      return null;
    }
    Map<String, Object> m = read(f);
    return new CursorState(
        num(m, "cursor"),
        num(m, "pendingFirst"),
        num(m, "pendingLast"),
        num(m, "delivered"),
        num(m, "lastDelivery"));
  }

  void saveCursor(String account, String trail, String destination, CursorState c)
      throws IOException {
    Path d = dir.resolve(account).resolve(trail);
    DurableFiles.createPrivateDirectories(d);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cursor", c.cursor());
    m.put("pendingFirst", c.pendingFirst());
    m.put("pendingLast", c.pendingLast());
    m.put("delivered", c.delivered());
    m.put("lastDelivery", c.lastDeliveryMillis());
    DurableFiles.write(d.resolve("destination-" + destination + ".json"), EventJson.write(m));
  }

  void deleteCursor(String account, String trail, String destination) throws IOException {
    Files.deleteIfExists(
        dir.resolve(account).resolve(trail).resolve("destination-" + destination + ".json"));
  }

  List<BackfillJobs.JobState> loadJobs() throws IOException {
    List<BackfillJobs.JobState> out = new ArrayList<>();
    for (Path account : list(dir)) {
      Path jobs = account.resolve("jobs");
      for (Path f : list(jobs)) {
        if (f.getFileName().toString().endsWith(".json")) {
          Map<String, Object> m = read(f);
          DeliveryJob j =
              new DeliveryJob(
                  num(m, "id"),
                  (String) m.get("account"),
                  (String) m.get("trail"),
                  DeliveryJob.State.valueOf((String) m.get("state")),
                  num(m, "done"),
                  num(m, "total"),
                  Instant.parse((String) m.get("created")),
                  Instant.parse((String) m.get("updated")),
                  (String) m.get("error"));
          out.add(new BackfillJobs.JobState(j, num(m, "from"), num(m, "to")));
        }
      }
    }
    return out;
  }

  /** Saves a job with the sequence range it covers. */
  void saveJob(DeliveryJob j, long from, long to) throws IOException {
    Path d = dir.resolve(j.accountId()).resolve("jobs");
    DurableFiles.createPrivateDirectories(d);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", j.id());
    m.put("account", j.accountId());
    m.put("trail", j.trailName());
    m.put("state", j.state().name());
    m.put("done", j.eventsDone());
    m.put("total", j.eventsTotal());
    m.put("created", j.createTime().toString());
    m.put("updated", j.updateTime().toString());
    m.put("error", j.error());
    m.put("from", from);
    m.put("to", to);
    DurableFiles.write(d.resolve(j.id() + ".json"), EventJson.write(m));
  }

  void deleteJob(String account, long id) throws IOException {
    Files.deleteIfExists(dir.resolve(account).resolve("jobs").resolve(id + ".json"));
  }

  private static long num(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v == null ? 0 : ((Number) v).longValue();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path f) throws IOException {
    return (Map<String, Object>) EventJson.read(Files.readAllBytes(f));
  }

  private static List<Path> list(Path d) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(d)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
      for (Path p : s) {
        if (!p.getFileName().toString().endsWith(".tmp")) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
