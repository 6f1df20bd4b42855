package org.opentrail.trail;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trail configuration in force, read live by the delivery engine: checked before use, replaced
 * whole by a valid change, and kept as it is, with an ERROR naming the PID, key, value and rule,
 * when a change is invalid. At activation an invalid configuration gives the defaults (with the
 * configured directory: trails are never looked for elsewhere because a number was wrong).
 */
final class TrailSettings implements TrailConfig {
  private static final Logger LOG = LoggerFactory.getLogger(TrailSettings.class);

  static final int MIN_RETRY_MILLIS = 100;
  static final int MAX_RETRY_MILLIS = 3_600_000;
  private static final java.util.regex.Pattern REGION =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private volatile TrailConfig current;

  /** Settings from the configuration at activation; defaults (and an ERROR) if it is invalid. */
  TrailSettings(TrailConfig given) {
    List<String> problems = problems(given);
    if (problems.isEmpty()) {
      current = given;
    } else {
      for (String p : problems) {
        LOG.error(
            "Configuration {}: {}; the defaults are used until it is corrected",
            TrailConfig.PID,
            p);
      }
      current = defaults(given.directory());
    }
  }

  /**
   * Applies a changed configuration if it is valid.
   *
   * @return false, with an ERROR per invalid value, if it is not (the current settings stay)
   */
  boolean update(TrailConfig next) {
    List<String> problems = problems(next);
    if (!problems.isEmpty()) {
      for (String p : problems) {
        LOG.error(
            "Configuration {}: {}; the change is refused and the current settings are kept",
            TrailConfig.PID,
            p);
      }
      return false;
    }
    if (!next.directory().equals(current.directory())) {
      LOG.warn(
          "Configuration {}: directory changes from '{}' to '{}' only at the next start of the"
              + " trail bundle; the other settings apply now",
          TrailConfig.PID,
          current.directory(),
          next.directory());
      next = withDirectory(next, current.directory());
    }
    current = next;
    LOG.info("Configuration {} applied", TrailConfig.PID);
    return true;
  }

  /** What is wrong with a configuration: one line per value, naming the key, value and rule. */
  static List<String> problems(TrailConfig c) {
    List<String> out = new ArrayList<>();
    range(out, "batch.max.events", c.batch_max_events(), 1, 100_000);
    range(out, "batch.max.bytes", c.batch_max_bytes(), 1 << 10, 1 << 28);
    range(out, "batch.linger.millis", c.batch_linger_millis(), 0, 60_000);
    range(
        out, "retry.initial.millis", c.retry_initial_millis(), MIN_RETRY_MILLIS, MAX_RETRY_MILLIS);
    range(
        out,
        "retry.max.millis",
        c.retry_max_millis(),
        Math.max(MIN_RETRY_MILLIS, c.retry_initial_millis()),
        MAX_RETRY_MILLIS);
    range(out, "retention.hold.max.days", c.retention_hold_max_days(), 1, 3650);
    range(out, "max.trails.per.account", c.max_trails_per_account(), 1, 10_000);
    range(out, "digest.interval.seconds", c.digest_interval_seconds(), 1, 86_400);
    if (!c.home_region().isEmpty() && !REGION.matcher(c.home_region()).matches()) {
      out.add(
          "home.region="
              + c.home_region()
              + " is refused: it must be empty or 1 to 64 lowercase letters, digits and '-'"
              + " starting with a letter or digit");
    }
    return out;
  }

  private static void range(List<String> out, String key, long value, long min, long max) {
    if (value < min || value > max) {
      out.add(key + "=" + value + " is refused: it must be from " + min + " to " + max);
    }
  }

  /** The defaults of every value, with the given directory. */
  static TrailConfig defaults(String directory) {
    return (TrailConfig)
        Proxy.newProxyInstance(
            TrailConfig.class.getClassLoader(),
            new Class<?>[] {TrailConfig.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "directory" -> directory;
                  case "annotationType" -> TrailConfig.class;
                  case "toString" -> "TrailConfig defaults";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> m.getDefaultValue();
                });
  }

  private static TrailConfig withDirectory(TrailConfig c, String directory) {
    return (TrailConfig)
        Proxy.newProxyInstance(
            TrailConfig.class.getClassLoader(),
            new Class<?>[] {TrailConfig.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "directory" -> directory;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> m.invoke(c, args);
                });
  }

  @Override
  public Class<? extends Annotation> annotationType() {
    return TrailConfig.class;
  }

  @Override
  public String directory() {
    return current.directory();
  }

  @Override
  public int batch_max_events() {
    return current.batch_max_events();
  }

  @Override
  public int batch_max_bytes() {
    return current.batch_max_bytes();
  }

  @Override
  public int batch_linger_millis() {
    return current.batch_linger_millis();
  }

  @Override
  public int retry_initial_millis() {
    return current.retry_initial_millis();
  }

  @Override
  public int retry_max_millis() {
    return current.retry_max_millis();
  }

  @Override
  public int retention_hold_max_days() {
    return current.retention_hold_max_days();
  }

  @Override
  public int max_trails_per_account() {
    return current.max_trails_per_account();
  }

  @Override
  public int digest_interval_seconds() {
    return current.digest_interval_seconds();
  }

  @Override
  public String home_region() {
    return current.home_region();
  }
}
