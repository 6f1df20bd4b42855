package org.opentrail.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Everything an OpenTrail instance keeps lives under one data directory, readable by its owner
 * only:
 *
 * <pre>
 * instance.properties   account id and region, made at first start
 * store/                the event store (journal, indexes, logstores)
 * cache/                the Felix bundle cache
 * config/               Configuration Admin's saved configurations
 * etc/                  *.cfg files, applied while running
 * secrets/              one file per secret a .cfg names as $[secret:&lt;file&gt;] (owner-only)
 * deploy/               bundles (and *.cfg) dropped here are installed at once, removed when deleted
 * log/                  opentrail.log
 * run/                  the owner-only control socket of a running instance
 * </pre>
 */
final class DataDirectory {
  static final String INSTANCE = "instance.properties";
  static final String ACCOUNT = "opentrail.account.id";
  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12,16}");

  private final Path root;

  DataDirectory(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path resolve(String name) {
    return root.resolve(name);
  }

  /**
   * Creates the layout (owner-only) and the instance identity if this is the first start. An
   * existing instance.properties without a valid account id (empty, truncated, edited wrongly) is
   * an error naming the file, never replaced by a new identity; so is a missing one in a data
   * directory that shows it was started before (its events, accounts and keys belong to the account
   * the file named).
   */
  Properties prepare() throws IOException {
    createPrivate(root);
    for (String d :
        new String[] {"cache", "config", "etc", "secrets", "deploy", "log", "run", "store"}) {
      createPrivate(root.resolve(d));
    }
    Path file = root.resolve(INSTANCE);
    Properties p = new Properties();
    boolean changed = false;
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IllegalArgumentException e) { // a malformed unicode escape
        throw new DamagedFileException(file, e.getMessage() + hint(), e);
      }
      String id = p.getProperty(ACCOUNT, "").strip();
      if (!ACCOUNT_ID.matcher(id).matches()) {
        throw new DamagedFileException(
            file,
            (id.isEmpty()
                    ? "it has no " + ACCOUNT
                    : ACCOUNT + " '" + id + "' is not 12 to 16 digits")
                + hint());
      }
    } else {
      List<String> evidence = evidence();
      if (!evidence.isEmpty()) {
        throw new IOException(
            "The instance identity "
                + file
                + " is missing, but this data directory was used before ("
                + String.join(", ", evidence)
                + "); a new account id would orphan its events, accounts and keys"
                + hint());
      }
      StringBuilder id = new StringBuilder().append(1 + new SecureRandom().nextInt(9));
      SecureRandom r = new SecureRandom();
      while (id.length() < 16) {
        id.append(r.nextInt(10));
      }
      p.setProperty(ACCOUNT, id.toString());
      changed = true;
    }
    if (p.getProperty("opentrail.region", "").isBlank()) {
      p.setProperty("opentrail.region", "local");
      changed = true;
    }
    if (changed) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.store(
          out, "This OpenTrail instance: its default account and the region stamped on its events");
      DurableFiles.write(file, out.toByteArray());
    }
    return p;
  }

  /** What shows that this data directory was started before. */
  private List<String> evidence() throws IOException {
    List<String> out = new ArrayList<>();
    for (String f : new String[] {"credentials", "keys/master.key"}) {
      if (Files.exists(root.resolve(f))) {
        out.add(f + " exists");
      }
    }
    for (String d : new String[] {"auth", "store", "trails"}) {
      Path dir = root.resolve(d);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.findAny().isPresent()) {
            out.add(d + "/ is not empty");
          }
        }
      }
    }
    return out;
  }

  /** How to put the identity back. */
  private String hint() {
    StringBuilder h =
        new StringBuilder(
            "; restore "
                + INSTANCE
                + " from a backup, or write "
                + ACCOUNT
                + "=<the account id> (the account_id line of "
                + root.resolve("credentials")
                + ", or the name of a file in "
                + root.resolve("auth")
                + ") and opentrail.region=<region>");
    return h.toString();
  }

  static void createPrivate(Path dir) throws IOException {
    DurableFiles.createPrivateDirectories(dir);
  }
}
