package org.opentrail.internal.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a destination's log files against what its digests list: each listed file is there with
 * the SHA-256 and size listed (read as a stream, never whole in memory), and no file under {@code
 * AliyunLogs/Actiontrail*} is unlisted although a digest should have listed it.
 */
final class LogFileChecker {
  /** ActionTrail's names, and the file sink's: {@code Actiontrail_<region>_<time>_..._<md5>.gz}. */
  private static final Pattern NAME =
      Pattern.compile(
          "Actiontrail[A-Za-z-]*_(.+)_([0-9]{14})(?:_[0-9]+){2,3}_[0-9a-fA-F]{32}\\.gz");

  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
  private static final long PROGRESS_NANOS = 5_000_000_000L;

  /** One digest's entry for a file. */
  private record Listing(String digest, String sha256, long size) {}

  private final Path root;
  private final Consumer<String> progress;
  private final Map<String, List<Listing>> listed = new TreeMap<>();

  /** Files that only digests that do not verify list: object to the digest's path. */
  private final Map<String, String> unproven = new TreeMap<>();

  private final long started = System.nanoTime();
  private long lastProgress = started;
  private long bytesHashed;
  private int filesChecked;
  private int pending;

  LogFileChecker(Path root, Consumer<String> progress) {
    this.root = root;
    this.progress = progress;
  }

  /**
   * Notes the files a digest that does not verify lists: they are not checked against it (it proves
   * nothing and accuses nothing), and are {@link Finding#FILE_UNPROVEN} unless a valid digest lists
   * them too.
   */
  void addUnverified(String digestPath, DigestDocument.Parsed d) {
    if (d.members().get("logFiles") instanceof List<?> files) {
      for (Object o : files) {
        if (o instanceof Map<?, ?> e && e.get("object") instanceof String object) {
          unproven.putIfAbsent(object, digestPath);
        }
      }
    }
  }

  /** Adds the files {@code d} lists; a malformed entry is a {@link Finding#FORMAT}. */
  void add(String digestPath, DigestDocument.Parsed d, List<Finding> findings) {
    if (!(d.members().get("logFiles") instanceof List<?> files)) {
      findings.add(new Finding(Finding.FORMAT, digestPath, "it has no logFiles list"));
      return;
    }
    for (int i = 0; i < files.size(); i++) {
      String problem = null;
      if (!(files.get(i) instanceof Map<?, ?> e)
          || !(e.get("object") instanceof String object)
          || !(e.get("hashValue") instanceof String sha)
          || !(e.get("size") instanceof Number size)) {
        problem = "it is not an object with object, hashValue and size";
      } else if (object.isEmpty()
          || !validPath(object)
          || object.startsWith("/")
          || object.contains("\\")
          || Stream.of(object.split("/", -1)).anyMatch(s -> s.isEmpty() || s.matches("\\.\\.?"))) {
        problem = "its object '" + object + "' is not a path inside the destination";
      } else {
        listed
            .computeIfAbsent(object, k -> new ArrayList<>())
            .add(new Listing(digestPath, sha, size.longValue()));
      }
      if (problem != null) {
        findings.add(
            new Finding(Finding.FORMAT, digestPath, "logFiles entry " + i + ": " + problem));
      }
    }
  }

  /** Checks every listed file: there ({@link Finding#FILE_MISSING}), unaltered (MODIFIED). */
  void checkListed(List<Finding> findings) throws IOException {
    int total = listed.size();
    for (Map.Entry<String, List<Listing>> e : listed.entrySet()) {
      String object = e.getKey();
      Path file = root.resolve(object);
      Listing first = e.getValue().get(0);
      filesChecked++;
      if (!Files.isRegularFile(file)) {
        findings.add(
            new Finding(
                Finding.FILE_MISSING,
                object,
                "not in the destination, although "
                    + first.digest()
                    + " lists it (SHA-256 "
                    + first.sha256()
                    + ", "
                    + first.size()
                    + " bytes)"));
        continue;
      }
      long[] size = new long[1];
      String sha = sha256(file, size);
      for (Listing l : e.getValue()) {
        if (!sha.equalsIgnoreCase(l.sha256()) || size[0] != l.size()) {
          findings.add(
              new Finding(
                  Finding.FILE_MODIFIED,
                  object,
                  "SHA-256 "
                      + sha
                      + " ("
                      + size[0]
                      + " bytes), expected "
                      + l.sha256()
                      + " ("
                      + l.size()
                      + " bytes) as "
                      + l.digest()
                      + " lists it"));
          break;
        }
      }
      report(total);
    }
  }

  /**
   * Reports each file under {@code AliyunLogs/Actiontrail*} (not the digests, not a file being
   * written) that no digest lists although its time is before {@code newestEnd} ({@link
   * Finding#FILE_INSERTED}). Its time is the one in its name (ActionTrail's pattern), else its
   * modification time. A file in a time {@code explained} (no digest covers it, reported as such)
   * is counted, not reported.
   *
   * @return how many files no digest lists
   */
  int checkUnlisted(
      Instant newestEnd, Instant upTo, Predicate<Instant> explained, List<Finding> findings)
      throws IOException {
    Path logs = root.resolve("AliyunLogs");
    List<Path> dirs;
    try (Stream<Path> s = Files.list(logs)) {
      dirs =
          s.filter(Files::isDirectory)
              .filter(p -> p.getFileName().toString().startsWith("Actiontrail"))
              .filter(p -> !p.getFileName().toString().equals("Actiontrail-Digest"))
              .sorted()
              .toList();
    }
    int unlisted = 0;
    for (Path dir : dirs) {
      List<Path> files;
      try (Stream<Path> s = Files.walk(dir)) {
        // no links followed: a link is reported, never walked (it could lead to other files)
        files =
            s.filter(
                    p ->
                        Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            || Files.isSymbolicLink(p))
                .filter(p -> !isTemporary(p))
                .sorted()
                .toList();
      }
      for (Path f : files) {
        String rel = relative(f);
        if (Files.isSymbolicLink(f)) {
          findings.add(
              new Finding(
                  Finding.FILE_INSERTED,
                  rel,
                  "it is a symbolic link: a destination holds files only, and what a link leads"
                      + " to is not what the digests list"));
          continue;
        }
        if (listed.containsKey(rel)) {
          continue;
        }
        if (unproven.containsKey(rel)) {
          findings.add(
              new Finding(
                  Finding.FILE_UNPROVEN,
                  rel,
                  "only " + unproven.get(rel) + " lists it, and that digest does not verify"));
          continue;
        }
        unlisted++;
        Instant named = nameTime(f.getFileName().toString());
        Instant modified = Files.getLastModifiedTime(f).toInstant();
        Instant time = named != null ? named : modified;
        if (newestEnd != null && named == null) {
          // OpenTrail writes no other names here: whatever its time, nothing vouches for it
          findings.add(
              new Finding(
                  Finding.FILE_INSERTED,
                  rel,
                  "no digest lists it, and its name is not an ActionTrail log file's"));
          continue;
        }
        if (newestEnd != null && upTo != null && named != null && named.isAfter(upTo)) {
          findings.add(
              new Finding(
                  Finding.FILE_INSERTED,
                  rel,
                  "no digest lists it, and its name dates it "
                      + named
                      + ", after the time verified up to, "
                      + upTo));
          continue;
        }
        // delivered after the newest digest's interval closed (a batch straddling the boundary,
        // late events, a backfill): the next digest lists it
        if (newestEnd != null && (!time.isBefore(newestEnd) || !modified.isBefore(newestEnd))) {
          pending++;
          continue;
        }
        if (newestEnd == null || explained.test(time) || explained.test(modified)) {
          continue;
        }
        findings.add(
            new Finding(
                Finding.FILE_INSERTED,
                rel,
                "no digest lists it, although its time "
                    + time
                    + (named != null ? " (from its name)" : " (its modification time)")
                    + " is before the newest digest's end, "
                    + newestEnd));
      }
    }
    return unlisted;
  }

  private static boolean validPath(String object) {
    try {
      java.nio.file.Path.of(object);
      return object.chars().noneMatch(c -> c < 0x20);
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** The time in an ActionTrail log file's name, or {@code null} if it has none. */
  static Instant nameTime(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return null;
    }
    try {
      return LocalDateTime.parse(m.group(2), NAME_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  long bytesHashed() {
    return bytesHashed;
  }

  /** Listed files checked against their digest. */
  int filesChecked() {
    return filesChecked;
  }

  /** Unlisted files delivered after the newest digest: the next one lists them. */
  int pending() {
    return pending;
  }

  String relative(Path file) {
    return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
  }

  /** A file being written by OpenTrail's durable writes: {@code .<name>.<random>.tmp}. */
  static boolean isTemporary(Path p) {
    String n = p.getFileName().toString();
    return n.startsWith(".") && n.endsWith(".tmp");
  }

  private String sha256(Path file, long[] size) throws IOException {
    var md = DigestDocument.sha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        size[0] += n;
        bytesHashed += n;
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private void report(int total) {
    long now = System.nanoTime();
    if (now - lastProgress < PROGRESS_NANOS) {
      return;
    }
    lastProgress = now;
    double seconds = (now - started) / 1e9;
    progress.accept(
        String.format(
            "checked %d of %d listed log files, %.1f MB hashed (%.1f MB/s)",
            filesChecked, total, bytesHashed / 1e6, bytesHashed / 1e6 / seconds));
  }
}
