package org.opentrail.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.internal.digest.DestinationVerifier;
import org.opentrail.internal.digest.Finding;
import org.opentrail.internal.digest.PublicKeys;

/**
 * {@code opentrail verify <directory> --keys FILE [--to ISO-TIME] [--stopped] [--json]}: verifies a
 * trail destination offline (docs/PROOF.md section 4) with the account's public keys, without
 * starting OpenTrail or reading its data directory. Prints one line per finding and a summary, or a
 * JSON report. Exit status: 0 nothing found, 1 something found, 2 wrong arguments or unreadable
 * keys or directory.
 */
final class VerifyCommand {
  static final String USAGE =
      """
      usage: opentrail verify <directory> --keys FILE [--to ISO-TIME] [--stopped] [--json]

        <directory>      the destination's root: the directory holding AliyunLogs/ (for the file
                         sink, <data>/oss/<bucket>/<prefix>)
        --keys FILE      the account's public keys, as ListPublicKeys answers them; save them with
                         opentrail exec "proof:keys --json FILE" (-a ACCOUNT for another account);
                         repeat --keys for the keys of several accounts
        --to ISO-TIME    verify up to this time (default now): digests must reach to within two
                         intervals of it
        --stopped        OpenTrail was stopped: a chain may end with its final digest
        --json           print a JSON report instead of lines

      Exit status: 0 nothing found, 1 something found, 2 wrong arguments or unreadable keys.
      """;

  private VerifyCommand() {}

  /** Runs the command; answers its exit status. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    Path directory = null;
    List<Path> keyFiles = new ArrayList<>();
    Instant upTo = Instant.now();
    boolean stopped = false;
    boolean json = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--keys", "--to" -> {
          if (i + 1 >= args.size()) {
            return usage(err, a + " needs a value");
          }
          String v = args.get(++i);
          if (a.equals("--keys")) {
            keyFiles.add(Paths.get(v));
          } else {
            try {
              upTo = OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
              return usage(
                  err, "--to needs an ISO-8601 time such as 2026-11-30T21:00:00Z, not " + v);
            }
          }
        }
        case "--stopped" -> stopped = true;
        case "--json" -> json = true;
        case "--help", "-h" -> {
          out.print(USAGE);
          return 0;
        }
        default -> {
          if (a.startsWith("-")) {
            return usage(err, "unknown option " + a);
          }
          if (directory != null) {
            return usage(err, "one directory only, not also " + a);
          }
          directory = Paths.get(a);
        }
      }
    }
    if (directory == null) {
      return usage(err, "which destination? give its directory");
    }
    if (keyFiles.isEmpty()) {
      return usage(
          err,
          "--keys FILE is needed: the public keys of the account whose trail wrote the"
              + " destination, as ListPublicKeys answers them. Save them from OpenTrail with:"
              + " opentrail exec \"proof:keys --json keys.json\" (-a ACCOUNT for another account)");
    }
    if (!Files.isDirectory(directory)) {
      return usage(err, directory + " is not a directory");
    }
    PublicKeys keys;
    try {
      keys = readKeys(keyFiles);
    } catch (IOException | IllegalArgumentException e) {
      err.println("opentrail verify: " + e.getMessage());
      return 2;
    }
    DestinationVerifier.Report report;
    try {
      report =
          DestinationVerifier.verify(
              directory, keys, upTo, stopped, m -> err.println("opentrail verify: " + m));
    } catch (IllegalArgumentException e) {
      return usage(err, e.getMessage());
    } catch (IOException e) {
      err.println("opentrail verify: cannot read the destination: " + e);
      return 2;
    }
    if (json) {
      out.println(EventJson.toPrettyString(json(directory, upTo, stopped, report)));
    } else {
      report.findings().forEach(out::println);
      for (DestinationVerifier.Chain c : report.chains()) {
        out.println(
            "Chain of account "
                + c.accountId()
                + ", trail "
                + c.trailName()
                + ", destination "
                + c.destination()
                + ": "
                + c.digests()
                + " digests from "
                + c.begins()
                + " to "
                + c.ends()
                + ", beginning with "
                + c.firstDigest());
      }
      out.println(summary(report, upTo));
    }
    return report.findings().isEmpty() ? 0 : 1;
  }

  /** The keys of every file, together. */
  private static PublicKeys readKeys(List<Path> files) throws IOException {
    List<PublicKeyInfo> all = new ArrayList<>();
    for (Path f : files) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(f);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IOException(
            "there is no keys file "
                + f
                + "; save the keys with opentrail exec \"proof:keys --json "
                + f
                + "\"",
            e);
      } catch (IOException e) {
        throw new IOException("cannot read the keys file " + f + ": " + e, e);
      }
      try {
        all.addAll(PublicKeys.read(bytes).all());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
      }
    }
    return PublicKeys.of(all);
  }

  static String summary(DestinationVerifier.Report r, Instant upTo) {
    double seconds = Math.max(r.millis(), 1) / 1000.0;
    int n = r.findings().size();
    return String.format(
        "Verified %d digests and %d log files (%.1f MB hashed, %.1f MB/s) in %.1f s, up to %s%s: %s",
        r.digestsChecked(),
        r.logFilesChecked(),
        r.bytesHashed() / 1e6,
        r.bytesHashed() / 1e6 / seconds,
        r.millis() / 1000.0,
        upTo.truncatedTo(ChronoUnit.SECONDS),
        r.pendingFiles() == 0
            ? ""
            : "; " + r.pendingFiles() + " more delivered after the newest digest wait for the next",
        n == 0 ? "nothing found, PASSED" : n + " finding(s), FAILED");
  }

  private static Map<String, Object> json(
      Path directory, Instant upTo, boolean stopped, DestinationVerifier.Report r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("directory", directory.toAbsolutePath().normalize().toString());
    m.put("upTo", upTo.toString());
    m.put("stopped", stopped);
    m.put("result", r.findings().isEmpty() ? "PASSED" : "FAILED");
    List<Object> findings = new ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("kind", f.kind());
      x.put("subject", f.subject());
      x.put("detail", f.detail());
      findings.add(x);
    }
    m.put("findings", findings);
    List<Object> chains = new ArrayList<>();
    for (DestinationVerifier.Chain c : r.chains()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("accountId", c.accountId());
      x.put("trailName", c.trailName());
      x.put("destination", c.destination());
      x.put("firstDigest", c.firstDigest());
      x.put("begins", c.begins().toString());
      x.put("ends", c.ends().toString());
      x.put("digests", (long) c.digests());
      chains.add(x);
    }
    m.put("chains", chains);
    m.put("digestsChecked", (long) r.digestsChecked());
    m.put("logFilesChecked", (long) r.logFilesChecked());
    m.put("pendingFiles", (long) r.pendingFiles());
    m.put("bytesHashed", r.bytesHashed());
    m.put("millis", r.millis());
    return m;
  }

  private static int usage(PrintStream err, String problem) {
    err.println("opentrail verify: " + problem);
    err.print(USAGE);
    return 2;
  }
}
