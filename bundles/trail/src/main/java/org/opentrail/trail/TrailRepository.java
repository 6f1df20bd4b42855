package org.opentrail.trail;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Trails, destination cursors and delivery jobs on disk, each an atomically replaced JSON file:
 * {@code <dir>/<account>/<trail>/trail.json}, {@code .../destination-<id>.json} and {@code
 * <dir>/<account>/jobs/<id>.json}; beside a cursor, its destination's digest state ({@link
 * #digestTarget}).
 */
final class TrailRepository {
  private final Path dir;

  TrailRepository(Path dir) throws IOException {
    this.dir = dir;
    DurableFiles.createPrivateDirectories(dir);
    removeDeletedLeftovers();
  }

  /**
   * What is on disk: the trails that load, and those that do not (key {@code account/name}, with
   * why, naming the file).
   */
  record Loaded(List<TrailState> trails, Map<String, String> damaged) {}

  /**
   * Loads every trail. A trail whose trail.json is damaged (empty, truncated, not JSON, not a
   * trail) or missing beside its destination files is reported in {@link Loaded#damaged()}, never
   * left out silently; the other trails load.
   */
  Loaded loadTrails() throws IOException {
    List<TrailState> out = new ArrayList<>();
    Map<String, String> damaged = new LinkedHashMap<>();
    for (Path account : list(dir)) {
      for (Path trail : list(account)) {
        String name = trail.getFileName().toString();
        if (name.equals("jobs") || name.startsWith(".") || !Files.isDirectory(trail)) {
          continue;
        }
        String key = account.getFileName() + "/" + name;
        Path file = trail.resolve("trail.json");
        try {
          if (Files.isRegularFile(file)) {
            TrailState t = trailFrom(file, read(file));
            if (!t.account().equals(account.getFileName().toString())
                || !t.spec().name().equals(name)) {
              throw new DamagedFileException(
                  file, "it holds trail " + t.spec().name() + " of account " + t.account());
            }
            out.add(t);
          } else if (!list(trail).isEmpty()) {
            throw new IOException(
                "The trail file " + file + " is missing beside its destination files");
          }
        } catch (IOException e) {
          damaged.put(key, e.getMessage());
        }
      }
    }
    return new Loaded(out, damaged);
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

  private static TrailState trailFrom(Path file, Map<String, Object> m)
      throws DamagedFileException {
    try {
      return trailFrom(m);
    } catch (RuntimeException e) {
      throw new DamagedFileException(file, "it is not a trail (" + e + ")", e);
    }
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
        java.util.Objects.requireNonNull((String) m.get("account"), "account"),
        spec,
        (Boolean) java.util.Objects.requireNonNull(m.get("logging"), "logging"),
        Instant.parse((String) m.get("created")),
        Instant.parse((String) m.get("updated")),
        m.get("startLogging") == null ? null : Instant.parse((String) m.get("startLogging")),
        m.get("stopLogging") == null ? null : Instant.parse((String) m.get("stopLogging")),
        num(m, "firstStartSequence"),
        num(m, "startSequence"),
        num(m, "stopSequence"));
  }

  /**
   * Deletes a trail's directory: first renamed aside in one step, so a crash never leaves half a
   * trail that would look damaged at the next start, then removed.
   */
  void deleteTrail(String account, String name) throws IOException {
    Path d = dir.resolve(account).resolve(name);
    if (!Files.exists(d)) {
      return;
    }
    Path aside = d.resolveSibling(".deleted-" + name + "-" + System.nanoTime());
    Files.move(d, aside, StandardCopyOption.ATOMIC_MOVE);
    DurableFiles.syncDirectory(d.getParent());
    deleteTree(aside);
  }

  /** Removes what a crash left of deleted trails. */
  private void removeDeletedLeftovers() throws IOException {
    for (Path account : list(dir)) {
      for (Path p : list(account)) {
        if (p.getFileName().toString().startsWith(".deleted-")) {
          deleteTree(p);
        }
      }
    }
  }

  /**
   * A destination's cursor, or {@code null} if it has none.
   *
   * @throws DamagedFileException if its file cannot be read as a cursor
   */
  CursorState loadCursor(String account, String trail, String destination) throws IOException {
    Path f = cursorFile(account, trail, destination);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    Map<String, Object> m = read(f);
    try {
      long cursor = ((Number) m.get("cursor")).longValue();
      CursorState c =
          new CursorState(
              cursor,
              num(m, "pendingFirst"),
              num(m, "pendingLast"),
              num(m, "delivered"),
              num(m, "lastDelivery"),
              gapsFrom(m.get("gaps")));
      if (c.cursor() < 0 || c.pendingFirst() < 0 || c.pendingLast() < c.pendingFirst()) {
        throw new IllegalArgumentException("negative or inverted sequence numbers");
      }
      return c;
    } catch (RuntimeException e) {
      throw new DamagedFileException(f, "it is not a destination cursor (" + e + ")", e);
    }
  }

  /**
   * The lowest history sequence that the readable cursor files of a trail's directory still need
   * delivered, {@link Long#MAX_VALUE} if none can be read (for a trail whose trail.json is damaged:
   * its undelivered events are kept until it is restored or deleted).
   */
  long oldestNeededByCursorFiles(String account, String trail) throws IOException {
    long min = Long.MAX_VALUE;
    for (Path f : list(dir.resolve(account).resolve(trail))) {
      String name = f.getFileName().toString();
      if (name.startsWith("destination-") && name.endsWith(".json")) {
        String id = name.substring("destination-".length(), name.length() - ".json".length());
        try {
          CursorState c = loadCursor(account, trail, id);
          if (c != null) {
            min = Math.min(min, c.hasPending() ? c.pendingFirst() : c.cursor() + 1);
          }
        } catch (IOException e) {
          // damaged too: nothing to learn from it
        }
      }
    }
    return min;
  }

  /** The file of a destination's cursor. */
  Path cursorFile(String account, String trail, String destination) {
    return dir.resolve(account).resolve(trail).resolve("destination-" + destination + ".json");
  }

  /**
   * Keeps a damaged file for inspection under a name no loader reads ({@code <name>.damaged-<ms>})
   * before a good one replaces it.
   */
  Path setAside(Path file) throws IOException {
    Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + System.currentTimeMillis());
    Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
    return aside;
  }

  /** Gaps as saved; a cursor file from before gaps existed has none. */
  @SuppressWarnings("unchecked")
  private static List<Gap> gapsFrom(Object o) {
    List<Gap> out = new ArrayList<>();
    if (o instanceof List<?> l) {
      for (Object g : l) {
        Map<String, Object> m = (Map<String, Object>) g;
        out.add(new Gap(num(m, "first"), num(m, "last"), (String) m.get("reason")));
      }
    }
    return out;
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
    if (!c.gaps().isEmpty()) {
      m.put(
          "gaps",
          c.gaps().stream()
              .map(g -> Map.of("first", g.first(), "last", g.last(), "reason", g.reason()))
              .toList());
    }
    DurableFiles.write(d.resolve("destination-" + destination + ".json"), EventJson.write(m));
  }

  /**
   * Where a destination's digest state lives: its chain ({@code digests-<id>.chain.json}), plan
   * ({@code digests-<id>.plan.json}) and receipts ({@code digests-<id>.receipts}), beside its
   * cursor.
   */
  DigestState.Target digestTarget(String account, String trail, String destination) {
    Path d = dir.resolve(account).resolve(trail);
    String base = "digests-" + destination;
    return new DigestState.Target(
        account,
        trail,
        destination,
        d.resolve(base + ".chain.json"),
        d.resolve(base + ".plan.json"),
        d.resolve(base + ".receipts"));
  }

  /**
   * Deletes a destination's cursor and its digest state (it was removed, or its sink type changed:
   * a new destination starts a new digest chain).
   */
  void deleteCursor(String account, String trail, String destination) throws IOException {
    Files.deleteIfExists(
        dir.resolve(account).resolve(trail).resolve("destination-" + destination + ".json"));
    DigestState.Target d = digestTarget(account, trail, destination);
    Files.deleteIfExists(d.chainFile());
    Files.deleteIfExists(d.planFile());
    Files.deleteIfExists(d.receiptsFile());
  }

  /** The delivery jobs on disk, and those whose file is damaged (by id, with why). */
  record LoadedJobs(List<BackfillJobs.JobState> jobs, Map<Long, String> damaged) {}

  LoadedJobs loadJobs() throws IOException {
    List<BackfillJobs.JobState> out = new ArrayList<>();
    Map<Long, String> damaged = new LinkedHashMap<>();
    for (Path account : list(dir)) {
      Path jobs = account.resolve("jobs");
      for (Path f : list(jobs)) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".json")) {
          continue;
        }
        try {
          out.add(jobFrom(f, read(f)));
        } catch (IOException e) {
          long id;
          try {
            id = Long.parseLong(name.substring(0, name.length() - ".json".length()));
          } catch (NumberFormatException n) {
            id = -1;
          }
          damaged.put(id, e.getMessage());
        }
      }
    }
    return new LoadedJobs(out, damaged);
  }

  private static BackfillJobs.JobState jobFrom(Path f, Map<String, Object> m)
      throws DamagedFileException {
    try {
      DeliveryJob j =
          new DeliveryJob(
              ((Number) m.get("id")).longValue(),
              java.util.Objects.requireNonNull((String) m.get("account"), "account"),
              java.util.Objects.requireNonNull((String) m.get("trail"), "trail"),
              DeliveryJob.State.valueOf((String) m.get("state")),
              num(m, "done"),
              num(m, "total"),
              Instant.parse((String) m.get("created")),
              Instant.parse((String) m.get("updated")),
              (String) m.get("error"));
      return new BackfillJobs.JobState(j, num(m, "from"), num(m, "to"));
    } catch (RuntimeException e) {
      throw new DamagedFileException(f, "it is not a delivery job (" + e + ")", e);
    }
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

  /**
   * A JSON object from a state file.
   *
   * @throws DamagedFileException naming the file if it is empty, truncated or not a JSON object
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path f) throws IOException {
    byte[] bytes = Files.readAllBytes(f);
    if (bytes.length == 0) {
      throw new DamagedFileException(f, "it is empty");
    }
    Object o;
    try {
      o = EventJson.read(bytes);
    } catch (RuntimeException e) {
      throw new DamagedFileException(f, e.getMessage(), e);
    }
    if (!(o instanceof Map)) {
      throw new DamagedFileException(f, "it holds no JSON object");
    }
    return (Map<String, Object>) o;
  }

  private static List<Path> list(Path d) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(d)) {
      return out;
    }
    try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
      for (Path p : s) {
        if (!p.getFileName().toString().endsWith(DurableFiles.TEMP_SUFFIX)) {
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
