package org.opentrail.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

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
 * deploy/               bundles (and *.cfg) dropped here are installed at once, removed when deleted
 * log/                  opentrail.log
 * run/                  the owner-only control socket of a running instance
 * </pre>
 */
final class DataDirectory {
  static final String INSTANCE = "instance.properties";

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

  /** Creates the layout (owner-only) and the instance identity if this is the first start. */
  Properties prepare() throws IOException {
    createPrivate(root);
    for (String d : new String[] {"cache", "config", "etc", "deploy", "log", "run", "store"}) {
      createPrivate(root.resolve(d));
    }
    Path file = root.resolve(INSTANCE);
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      }
    }
    boolean changed = false;
    if (p.getProperty("opentrail.account.id", "").isBlank()) {
      StringBuilder id = new StringBuilder().append(1 + new SecureRandom().nextInt(9));
      SecureRandom r = new SecureRandom();
      while (id.length() < 16) {
        id.append(r.nextInt(10));
      }
      p.setProperty("opentrail.account.id", id.toString());
      changed = true;
    }
    if (p.getProperty("opentrail.region", "").isBlank()) {
      p.setProperty("opentrail.region", "local");
      changed = true;
    }
    if (changed) {
      Path tmp = root.resolve(INSTANCE + ".tmp");
      try (OutputStream out = Files.newOutputStream(tmp)) {
        p.store(
            out,
            "This OpenTrail instance: its default account and the region stamped on its events");
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return p;
  }

  static void createPrivate(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      try {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
    }
  }
}
