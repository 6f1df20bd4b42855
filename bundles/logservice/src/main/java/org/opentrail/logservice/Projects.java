package org.opentrail.logservice;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrail.api.consume.LogConsumer;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.Logstores;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailService;

/**
 * Which projects an account has and which logstores they hold. Log Service's SDK names a project in
 * the Host header; OpenTrail keeps every account's logstores apart by account, so a project is a
 * name for the caller's own logstores:
 *
 * <ul>
 *   <li>every account has the project {@code <prefix><accountId>} (e.g. {@code
 *       opentrail-1234567890123456});
 *   <li>a project named in the SlsProjectArn of one of the account's trails ({@code
 *       acs:log:<region>:<accountId>:project/<name>}, as CreateTrail takes it) is the same project
 *       under the name the account chose.
 * </ul>
 *
 * Both hold the account's logstores: {@code history} (its events in the event history), every
 * {@code actiontrail_<trail>} and its {@code innertrail_<name>}. A project is looked up only among
 * the caller's own, so another account's project answers {@code ProjectNotExist} (404) exactly as a
 * name nobody has.
 */
final class Projects {
  private static final Pattern ARN_PROJECT =
      Pattern.compile(
          "acs:log:[a-z0-9-]*:([0-9]{12,16}):project/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])");

  private final EventStore store;
  private final TrailService trails;
  private final String prefix;

  Projects(EventStore store, TrailService trails, String prefix) {
    this.store = store;
    this.trails = trails;
    this.prefix = prefix;
  }

  /** The account's default project. */
  String defaultProject(String accountId) {
    return prefix + accountId;
  }

  /**
   * Every name of the account's project, the one given first: its default project and every project
   * its trails' SlsProjectArn name are one project under several names.
   *
   * @throws org.opentrail.api.OpenTrailException {@code ProjectNotExist} (404) unless the account
   *     has this project
   */
  List<String> names(String accountId, String project) {
    if (project == null) {
      throw LogErrors.projectNotExist(null);
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    names.add(defaultProject(accountId));
    for (Trail t : trails.describe(accountId, List.of())) {
      for (DestinationSpec d : t.spec().destinations()) {
        for (String key : List.of(DestinationSpec.PROJECT_ARN, "project")) {
          String arn = d.config().get(key);
          Matcher m = arn == null ? null : ARN_PROJECT.matcher(arn);
          if (m != null && m.matches() && m.group(1).equals(accountId)) {
            names.add(m.group(2));
          }
        }
      }
    }
    if (!names.remove(project)) {
      throw LogErrors.projectNotExist(project);
    }
    List<String> out = new ArrayList<>();
    out.add(project);
    out.addAll(names);
    return out;
  }

  /** The account's logstores by name: {@code history} first, then the others sorted. */
  List<String> logstores(String accountId) {
    TreeSet<String> names = new TreeSet<>();
    String trailStreams = Logstores.TRAIL_PREFIX + accountId + "_";
    String innerStreams = InnerTrail.LOGSTORE_PREFIX + accountId + "_";
    for (StreamInfo s : store.streams()) {
      String n = s.name();
      if (n.startsWith(trailStreams)) {
        names.add(Logstores.TRAIL_PREFIX + n.substring(trailStreams.length()));
      } else if (n.startsWith(innerStreams)) {
        names.add(InnerTrail.LOGSTORE_PREFIX + n.substring(innerStreams.length()));
      }
    }
    List<String> out = new ArrayList<>();
    out.add(LogConsumer.HISTORY);
    out.addAll(names);
    return out;
  }
}
