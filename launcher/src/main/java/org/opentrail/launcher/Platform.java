package org.opentrail.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An OpenTrail instance: Apache Felix with the bundles of the chosen features, its cache and
 * configuration under the data directory. The bundle cache persists between starts (so bundles
 * installed from the shell stay installed); at each start the feature bundles are reconciled with
 * the distribution: installed if new, updated if their jar changed, uninstalled if no longer
 * chosen.
 */
public final class Platform implements AutoCloseable {
  /**
   * The system property that is {@code true} while the platform is up: set once every feature
   * bundle has started, cleared when it begins to stop (the self-audit bundle records bundle
   * changes only in between, and tells its own start at the platform's start from a hot install).
   */
  public static final String READY = "opentrail.ready";

  private static final String FEATURE_LOCATION_PREFIX = "opentrail:feature:";
  private static final String RECORD = "opentrail-bundles.properties";

  private final Framework framework;
  private final DataDirectory data;
  private final List<String> features;
  private final long startedNanos;

  private Platform(
      Framework framework, DataDirectory data, List<String> features, long startedNanos) {
    this.framework = framework;
    this.data = data;
    this.features = features;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts an instance and returns once its features' services are registered.
   *
   * @param home the distribution (bundles/, features/, etc/)
   * @param extra framework properties to add or override (tests use this)
   */
  public static Platform start(
      Path home,
      Path dataDir,
      List<String> features,
      Map<String, String> extra,
      Duration readyTimeout)
      throws LaunchException {
    long t0 = System.nanoTime();
    DataDirectory data = new DataDirectory(dataDir);
    Properties instance;
    try {
      instance = data.prepare();
    } catch (IOException e) {
      throw new LaunchException(
          "Cannot prepare the data directory " + data.root() + ": " + e.getMessage(), e);
    }
    List<Path> jars =
        new Features(home.resolve("features"), home.resolve("bundles")).bundles(features);
    System.setProperty("opentrail.data", data.root().toString());
    // java.util.logging (SPI Fly, Lucene) would print INFO lines on the console: warnings only
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", home.resolve("etc/logback.xml").toString());
    }
    Map<String, String> props = new HashMap<>();
    props.put(Constants.FRAMEWORK_STORAGE, data.resolve("cache").toString());
    props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "sun.misc,com.sun.management");
    props.put("felix.cache.locking", "true");
    props.put("felix.log.level", "1");
    props.put("felix.bootdelegation.implicit", "false");
    props.put("felix.fileinstall.dir", data.resolve("deploy") + "," + data.resolve("etc"));
    props.put("felix.fileinstall.poll", "250");
    props.put("felix.fileinstall.noInitialDelay", "true");
    // the operator's .cfg files are theirs: File Install never writes back into them (writing back
    // raced with a configuration being created and left a sender's file empty at start)
    props.put("felix.fileinstall.enableConfigSave", "false");
    props.put("felix.fileinstall.log.level", "2");
    props.put("felix.fileinstall.tmpdir", data.resolve("cache").resolve("fileinstall").toString());
    props.put("felix.cm.dir", data.resolve("config").toString());
    // a .cfg names a secret as $[secret:<file in data/secrets>] or $[env:VAR]: Felix's
    // interpolation
    // plugin puts the value in as the configuration reaches its component, so neither the .cfg nor
    // Configuration Admin's saved copy under config/ holds it; no configuration is handed out
    // before the plugin is there
    props.put(
        "org.apache.felix.configadmin.plugin.interpolation.secretsdir",
        data.resolve("secrets").toString());
    props.put("felix.cm.config.plugins", "org.apache.felix.configadmin.plugin.interpolation");
    props.put("ds.loglevel", "warn");
    props.put("ds.delayed.keepInstances", "true"); // a service nobody holds right now stays active
    props.put("opentrail.data", data.root().toString());
    // the HTTP API: loopback only unless the operator says otherwise (instance.properties, --http)
    props.put("org.apache.felix.http.host", "127.0.0.1");
    props.put("org.osgi.service.http.port", "8181");
    props.put("org.apache.felix.http.jetty.sendServerHeader", "false");
    for (String k : instance.stringPropertyNames()) {
      props.put(k, instance.getProperty(k));
    }
    props.putAll(extra);
    System.setProperty(READY, "false"); // until every feature bundle has started
    Framework framework = new FrameworkFactory().newFramework(props);
    Platform p = new Platform(framework, data, features, t0);
    try {
      framework.init();
      List<Bundle> bundles = p.reconcile(jars);
      framework.start();
      for (Bundle b : bundles) {
        if (!isFragment(b) && b.getState() != Bundle.ACTIVE) {
          b.start();
        }
      }
      p.awaitReady(bundles, readyTimeout);
      // from now on a bundle or configuration change is an operator's, not the start's
      System.setProperty(READY, "true");
      return p;
    } catch (BundleException | IOException | RuntimeException e) {
      p.close();
      throw new LaunchException("OpenTrail did not start: " + e.getMessage(), e);
    } catch (LaunchException e) {
      p.close();
      throw e;
    }
  }

  /** Installs, updates and uninstalls feature bundles so the cache matches the chosen jars. */
  private List<Bundle> reconcile(List<Path> jars) throws BundleException, IOException {
    BundleContext ctx = framework.getBundleContext();
    Path recordFile = data.resolve("cache").resolve(RECORD);
    Properties record = new Properties();
    if (Files.exists(recordFile)) {
      try (InputStream in = Files.newInputStream(recordFile)) {
        record.load(in);
      }
    }
    Map<String, Bundle> installed = new LinkedHashMap<>();
    for (Bundle b : ctx.getBundles()) {
      if (b.getLocation().startsWith(FEATURE_LOCATION_PREFIX)) {
        installed.put(b.getLocation(), b);
      }
    }
    List<Bundle> out = new ArrayList<>();
    Properties now = new Properties();
    for (Path jar : jars) {
      String location = FEATURE_LOCATION_PREFIX + jar.getFileName();
      String stamp = Files.getLastModifiedTime(jar).toMillis() + ":" + Files.size(jar) + ":" + jar;
      Bundle b = installed.remove(location);
      if (b == null) {
        try (InputStream in = Files.newInputStream(jar)) {
          b = ctx.installBundle(location, in);
        }
      } else if (!stamp.equals(record.getProperty(location))) {
        try (InputStream in = Files.newInputStream(jar)) {
          b.update(in);
        }
      }
      now.setProperty(location, stamp);
      out.add(b);
    }
    for (Bundle gone : installed.values()) {
      gone.uninstall();
    }
    try (OutputStream o = Files.newOutputStream(recordFile)) {
      now.store(o, "feature bundles installed by the launcher: location = modified:size:jar");
    }
    return out;
  }

  private static boolean isFragment(Bundle b) {
    BundleRevision r = b.adapt(BundleRevision.class);
    return r != null && (r.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  private void awaitReady(List<Bundle> bundles, Duration timeout) throws LaunchException {
    long deadline = System.nanoTime() + timeout.toNanos();
    BundleContext ctx = framework.getBundleContext();
    for (Readiness.Wanted w : Readiness.of(bundles, ctx)) {
      String service = w.filter();
      // track references only: getting the service would activate a delayed component just to look
      org.osgi.framework.Filter filter;
      try {
        filter = ctx.createFilter(service);
      } catch (org.osgi.framework.InvalidSyntaxException e) {
        throw new IllegalStateException(e);
      }
      ServiceTracker<Object, Object> t =
          new ServiceTracker<>(ctx, filter, null) {
            @Override
            public Object addingService(org.osgi.framework.ServiceReference<Object> reference) {
              return reference;
            }

            @Override
            public void removedService(
                org.osgi.framework.ServiceReference<Object> reference, Object service) {}
          };
      t.open(true);
      try {
        long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        if (t.waitForService(left) == null) {
          throw new LaunchException(
              "OpenTrail did not become ready: component "
                  + w.component()
                  + " registered no "
                  + service
                  + " after "
                  + timeout.toSeconds()
                  + " s.\n"
                  + Diagnostics.describe(ctx));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LaunchException("Interrupted while starting");
      } finally {
        t.close();
      }
    }
  }

  /** Milliseconds from the start of {@link #start} to ready. */
  public long startMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  public BundleContext context() {
    return framework.getBundleContext();
  }

  public Path dataDirectory() {
    return data.root();
  }

  /** Opens a Gogo session (the shell feature must be installed). */
  public GogoSession session(InputStream in, OutputStream out, OutputStream err)
      throws LaunchException {
    return GogoSession.open(context(), in, out, err);
  }

  /** Blocks until the framework has stopped (e.g. by the shell's {@code stop 0}). */
  public void waitForStop() throws InterruptedException {
    framework.waitForStop(0);
  }

  public boolean isRunning() {
    return framework.getState() == Bundle.ACTIVE || framework.getState() == Bundle.STARTING;
  }

  /** Stops the framework (every bundle stops cleanly: the store closes its files). */
  @Override
  public void close() {
    System.setProperty(READY, "false");
    try {
      if (framework.getState() != Bundle.UNINSTALLED && framework.getState() != Bundle.RESOLVED) {
        framework.stop();
      }
      framework.waitForStop(60_000);
    } catch (BundleException e) {
      System.err.println("Stopping OpenTrail failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
