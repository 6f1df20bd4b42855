package org.opentrail.trail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.RoleTrust;
import org.opentrail.api.auth.SecretSealer;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;

/**
 * Keeps accounts apart at their destinations, as ActionTrail does (issue 10):
 *
 * <ul>
 *   <li>a destination delivers into resources of its trail's account, or of the account of the role
 *       it names ({@link DestinationSpec#ROLE_ARN}), which must trust ActionTrail for the trail's
 *       account ({@link RoleTrust}); checked at CreateTrail/UpdateTrail and again whenever the sink
 *       opens, so revoking the role puts the destination in NO_PERMISSION with nothing lost;
 *   <li>each resource a sink names belongs to the first account that delivered into it ({@link
 *       ResourceOwners}); another account is refused;
 *   <li>secrets are stored sealed and opened only for the sink ({@link DestinationSecrets}).
 * </ul>
 */
final class DestinationAccess {
  private static final Pattern PROJECT =
      Pattern.compile("acs:[a-z]+:[a-z0-9-]*:([0-9]{12,16}):project/[A-Za-z0-9_-]{1,64}");

  private final ResourceOwners owners;
  private final AtomicReference<RoleTrust> trust = new AtomicReference<>();
  private final DestinationSecrets secrets = new DestinationSecrets();

  DestinationAccess(Path directory) {
    this.owners = new ResourceOwners(directory);
  }

  AtomicReference<RoleTrust> trust() {
    return trust;
  }

  AtomicReference<SecretSealer> sealer() {
    return secrets.sealer();
  }

  /** Sealing, hiding and keeping destination secrets. */
  DestinationSecrets secrets() {
    return secrets;
  }

  ResourceOwners owners() {
    return owners;
  }

  /**
   * Admits a checked spec for {@code account}: each destination's role is trusted, each resource
   * its sink names (when the sink type is installed) is the destination's owner's and is claimed,
   * and the secrets are sealed.
   *
   * @throws OpenTrailException {@code NoPermission.DestinationResource} (403) naming the
   *     destination and why
   */
  TrailSpec admit(String account, TrailSpec checked, Function<String, SinkProvider> providers) {
    List<DestinationSpec> out = new ArrayList<>();
    for (DestinationSpec d : checked.destinations()) {
      String why = refusal(account, checked.name(), d, providers.apply(d.type()));
      if (why != null) {
        throw new OpenTrailException(
            "NoPermission.DestinationResource", "Destination " + d.id() + ": " + why + ".", 403);
      }
      out.add(secrets.sealed(account, checked.name(), d, providers.apply(d.type())));
    }
    return new TrailSpec(
        checked.name(), checked.eventRW(), checked.categories(), checked.regions(), out);
  }

  /**
   * Why the destination may not deliver into its resource now, or {@code null} if it may (its role
   * is trusted and its resource is its owner's, claimed now if nobody had it).
   *
   * @param provider its sink type, or {@code null} if not installed (only the role is checked)
   */
  String refusal(String account, String trail, DestinationSpec d, SinkProvider provider) {
    String project = d.config().get(DestinationSpec.PROJECT_ARN);
    if (project != null && !owner(account, d).equals(projectAccount(project))) {
      return "the project "
          + project
          + " is not "
          + (d.config().containsKey(DestinationSpec.ROLE_ARN) ? "the role's account's" : "yours")
          + ": deliver into another account's project through a role of that account that trusts"
          + " ActionTrail (SlsWriteRoleArn, MaxComputeWriteRoleArn)";
    }
    String role = d.config().get(DestinationSpec.ROLE_ARN);
    if (role != null) {
      RoleTrust t = trust.get();
      String why =
          t == null
              ? "no role service (the auth bundle) is installed to check " + role
              : t.refusal(role, account);
      if (why != null) {
        return why;
      }
    }
    if (provider instanceof ResourceSinkProvider r) {
      String resource = r.resource(target(account, trail, d));
      if (resource != null) {
        String why = owners.claim(resource, owner(account, d));
        if (why != null) {
          return resource
              + " "
              + why
              + ": deliver into it through a role of its owner that trusts ActionTrail ("
              + DestinationSpec.ROLE_ARN
              + "; over HTTP OssWriteRoleArn, SlsWriteRoleArn or MaxComputeWriteRoleArn), or"
              + " name another";
        }
      }
    }
    return null;
  }

  /** The account of {@code acs:<service>:<region>:<accountId>:project/<name>}, or null. */
  static String projectAccount(String arn) {
    java.util.regex.Matcher m = PROJECT.matcher(arn);
    return m.matches() ? m.group(1) : null;
  }

  /** The account owning the destination's resources: its role's, else the trail's. */
  static String owner(String account, DestinationSpec d) {
    String roleAccount = RoleTrust.accountOf(d.config().get(DestinationSpec.ROLE_ARN));
    return roleAccount != null ? roleAccount : account;
  }

  /** What the sink is opened with: plain secrets, no role key, the resources' owner. */
  SinkTarget target(String account, String trail, DestinationSpec d) {
    return new SinkTarget(account, trail, d.id(), plain(account, trail, d), owner(account, d));
  }

  /** The configuration a sink sees: secrets unsealed, without {@link DestinationSpec#ROLE_ARN}. */
  Map<String, String> plain(String account, String trail, DestinationSpec d) {
    Map<String, String> c = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : d.config().entrySet()) {
      if (!e.getKey().equals(DestinationSpec.ROLE_ARN)
          && !e.getKey().equals(DestinationSpec.PROJECT_ARN)) {
        String v = e.getValue();
        c.put(
            e.getKey(),
            SecretSealer.isSealed(v) ? secrets.unseal(account, trail, d.id(), e.getKey(), v) : v);
      }
    }
    return c;
  }
}
