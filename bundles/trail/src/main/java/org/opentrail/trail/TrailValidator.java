package org.opentrail.trail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;

/**
 * ActionTrail's rules for trails: the name, the filter, and at least one destination whose
 * configuration its sink type accepts (a sink type not installed yet is accepted as it is: the
 * destination waits for it, and its configuration is checked when it arrives).
 */
final class TrailValidator {
  static final Pattern NAME = TrailSpec.NAME;
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Set<String> RW = Set.of(TrailSpec.ALL, "Read", "Write");
  private static final Set<String> CATEGORIES = Set.of("Management", "Data", "Insight");
  private static final int MAX_DESTINATIONS = 10;

  private TrailValidator() {}

  static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw InvalidParameterException.missing("Name");
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidParameterException(
          "Name",
          "The parameter Name must have 6 to 36 characters, start with a lowercase letter and contain only lowercase"
              + " letters, digits, '-' and '_'; '"
              + shown(name)
              + "' does not.");
    }
  }

  /**
   * The spec with each destination without an id given the one {@link #check} would give it (its
   * type, or {@code <type>-2}, ... when taken), so that it can be matched with a stored one first.
   */
  static TrailSpec withIds(TrailSpec spec) {
    Set<String> ids = new HashSet<>();
    List<DestinationSpec> out = new ArrayList<>();
    for (DestinationSpec d : spec.destinations()) {
      String id = d.id().isEmpty() ? freeId(d.type(), ids) : d.id();
      ids.add(id);
      out.add(new DestinationSpec(id, d.type(), d.config()));
    }
    return new TrailSpec(spec.name(), spec.eventRW(), spec.categories(), spec.regions(), out);
  }

  /** The spec with destination ids filled in, or an error naming what is wrong. */
  static TrailSpec check(TrailSpec spec, Function<String, SinkProvider> providers) {
    checkName(spec.name());
    if (!RW.contains(spec.eventRW())) {
      throw new InvalidParameterException(
          "EventRW",
          "The parameter EventRW must be All, Read or Write, not '" + shown(spec.eventRW()) + "'.");
    }
    for (String c : spec.categories()) {
      if (!CATEGORIES.contains(c)) {
        throw new InvalidParameterException(
            "EventCategories",
            "The parameter EventCategories takes Management, Data or Insight, not '"
                + shown(c)
                + "'.");
      }
    }
    if (!(spec.regions().equals(List.of(TrailSpec.ALL))
        || spec.regions().stream().allMatch(r -> REGION.matcher(r).matches()))) {
      throw new InvalidParameterException(
          "TrailRegion",
          "The parameter TrailRegion is All or a list of region ids, not " + spec.regions() + ".");
    }
    if (spec.destinations().isEmpty()) {
      throw new InvalidParameterException(
          "MissingParameter",
          "Destinations",
          "A trail needs at least one destination (for example OssBucketName or SlsProjectArn): the parameter Destinations is empty.");
    }
    if (spec.destinations().size() > MAX_DESTINATIONS) {
      throw new InvalidParameterException(
          "Destinations",
          "The parameter Destinations may list at most " + MAX_DESTINATIONS + " destinations.");
    }
    List<DestinationSpec> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Map<String, String> places = new java.util.HashMap<>();
    for (DestinationSpec d : spec.destinations()) {
      if (!ID.matcher(d.type()).matches()) {
        throw new InvalidParameterException(
            "DestinationType",
            "The parameter DestinationType is lowercase letters, digits, '-' and '_', not '"
                + shown(d.type())
                + "'.");
      }
      String id = d.id().isEmpty() ? freeId(d.type(), ids) : d.id();
      if (!ID.matcher(id).matches()) {
        throw new InvalidParameterException(
            "DestinationId",
            "The parameter DestinationId is 1 to 32 lowercase letters, digits, '-' and '_', starting with a letter, not '"
                + shown(id)
                + "'.");
      }
      if (!ids.add(id)) {
        throw new InvalidParameterException(
            "DestinationId",
            "The parameter DestinationId must be unique: two destinations are called '"
                + id
                + "'.");
      }
      for (Map.Entry<String, String> e : d.config().entrySet()) {
        if (e.getKey().length() > 64 || e.getValue() == null || e.getValue().length() > 1024) {
          throw new InvalidParameterException(
              "Destination." + id,
              "Destination "
                  + id
                  + ": configuration keys have at most 64 characters and values at most 1024.");
        }
      }
      // two destinations delivering to one place would overwrite each other's files and digests
      String place = d.type() + " " + new java.util.TreeMap<>(d.config());
      String same = places.putIfAbsent(place, id);
      if (same != null) {
        throw new InvalidParameterException(
            "Destination." + id,
            "Destinations "
                + same
                + " and "
                + id
                + " deliver to the same place (same type and configuration): give each its own"
                + " bucket, prefix or logstore.");
      }
      Map<String, String> sinkConfig = new java.util.HashMap<>(d.config());
      String role = sinkConfig.remove(DestinationSpec.ROLE_ARN);
      String project = sinkConfig.remove(DestinationSpec.PROJECT_ARN);
      if (project != null && DestinationAccess.projectAccount(project) == null) {
        throw new InvalidParameterException(
            "Destination." + id,
            "Destination "
                + id
                + ": projectArn is acs:<service>:<region>:<accountId>:project/<name>, not '"
                + shown(project)
                + "'.");
      }
      if (role != null && org.opentrail.api.auth.RoleTrust.accountOf(role) == null) {
        throw new InvalidParameterException(
            "Destination." + id,
            "Destination "
                + id
                + ": roleArn is a RAM role ARN, acs:ram::<accountId>:role/<roleName>, not '"
                + shown(role)
                + "'.");
      }
      SinkProvider p = providers.apply(d.type());
      if (p != null) {
        p.validate(sinkConfig);
      }
      out.add(new DestinationSpec(id, d.type(), d.config()));
    }
    return new TrailSpec(spec.name(), spec.eventRW(), spec.categories(), spec.regions(), out);
  }

  private static String freeId(String type, Set<String> taken) {
    if (!taken.contains(type)) {
      return type;
    }
    for (int i = 2; ; i++) {
      if (!taken.contains(type + "-" + i)) {
        return type + "-" + i;
      }
    }
  }

  /** A value as it may be shown in a message: at most 64 characters, control characters escaped. */
  static String shown(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < 64; i++) {
      char c = s.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return s.length() > 64 ? b + "…" : b.toString();
  }
}
