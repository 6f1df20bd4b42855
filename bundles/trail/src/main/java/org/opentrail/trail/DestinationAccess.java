package org.opentrail.trail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
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
 *   <li>secrets ({@link ResourceSinkProvider#secretKeys}, and any key whose name says password,
 *       secret, token, API key or credential) are stored sealed ({@link SecretSealer}), shown as
 *       {@link DestinationSpec#HIDDEN}, and unsealed only to open the sink.
 * </ul>
 */
final class DestinationAccess {
  private static final Pattern PROJECT =
      Pattern.compile("acs:[a-z]+:[a-z0-9-]*:([0-9]{12,16}):project/[A-Za-z0-9_-]{1,64}");

  private final ResourceOwners owners;
  private final AtomicReference<RoleTrust> trust = new AtomicReference<>();
  private final AtomicReference<SecretSealer> sealer = new AtomicReference<>();

  DestinationAccess(Path directory) {
    this.owners = new ResourceOwners(directory);
  }

  AtomicReference<RoleTrust> trust() {
    return trust;
  }

  AtomicReference<SecretSealer> sealer() {
    return sealer;
  }

  ResourceOwners owners() {
    return owners;
  }

  /**
   * The spec as given, with each {@link DestinationSpec#HIDDEN} secret replaced by the plain value
   * stored for the same destination and key in {@code previous} (UpdateTrail keeps it), as long as
   * the destination keeps its sink type and server ({@link #SERVER_KEY}): a secret is never sent
   * somewhere else by someone who did not give it.
   */
  TrailSpec withStoredSecrets(String account, TrailSpec spec, TrailSpec previous) {
    List<DestinationSpec> out = new ArrayList<>();
    for (DestinationSpec d : spec.destinations()) {
      Map<String, String> c = new LinkedHashMap<>(d.config());
      for (Map.Entry<String, String> e : d.config().entrySet()) {
        String v = e.getValue();
        if (DestinationSpec.HIDDEN.equals(v) || SecretSealer.isSealed(v)) {
          DestinationSpec was = previous == null ? null : stored(previous, d.id());
          String stored = was == null ? null : was.config().get(e.getKey());
          if (stored == null || (!v.equals(DestinationSpec.HIDDEN) && !v.equals(stored))) {
            throw new InvalidParameterException(
                "Destination." + (d.id().isEmpty() ? d.type() : d.id()),
                "The value of "
                    + e.getKey()
                    + " is hidden, and no stored value of this destination can stand for it: give"
                    + " the secret itself.");
          }
          if (!sameServer(d, was)) {
            throw new InvalidParameterException(
                "Destination." + (d.id().isEmpty() ? d.type() : d.id()),
                "The value of "
                    + e.getKey()
                    + " is hidden, and the destination no longer goes to the sink type and server"
                    + " it was stored for: give the secret itself.");
          }
          c.put(e.getKey(), unseal(account, spec.name(), d.id(), e.getKey(), stored));
        }
      }
      out.add(new DestinationSpec(d.id(), d.type(), c));
    }
    return new TrailSpec(spec.name(), spec.eventRW(), spec.categories(), spec.regions(), out);
  }

  private static DestinationSpec stored(TrailSpec previous, String id) {
    for (DestinationSpec d : previous.destinations()) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    return null;
  }

  /**
   * Keys naming where a sink connects: {@code endpoint}, {@code url}, {@code bootstrap.servers}.
   */
  static final Pattern SERVER_KEY = Pattern.compile("(?i).*(endpoint|url|host|server|address).*");

  /** Whether {@code d} has the sink type and every {@link #SERVER_KEY} value of {@code was}. */
  private static boolean sameServer(DestinationSpec d, DestinationSpec was) {
    if (!d.type().equals(was.type())) {
      return false;
    }
    Set<String> keys = new HashSet<>(d.config().keySet());
    keys.addAll(was.config().keySet());
    for (String k : keys) {
      if (SERVER_KEY.matcher(k).matches()
          && !java.util.Objects.equals(d.config().get(k), was.config().get(k))) {
        return false;
      }
    }
    return true;
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
      out.add(sealed(account, checked.name(), d, providers.apply(d.type())));
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
              + ", e.g. OssWriteRoleArn), or name another";
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
            SecretSealer.isSealed(v) ? unseal(account, trail, d.id(), e.getKey(), v) : v);
      }
    }
    return c;
  }

  private DestinationSpec sealed(
      String account, String trail, DestinationSpec d, SinkProvider provider) {
    Set<String> secret = new HashSet<>();
    if (provider instanceof ResourceSinkProvider r) {
      secret.addAll(r.secretKeys());
    }
    Map<String, String> c = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : d.config().entrySet()) {
      String k = e.getKey();
      boolean isSecret = secret.contains(k) || DestinationSpec.secretKey(k);
      c.put(k, isSecret ? seal(account, trail, d.id(), k, e.getValue()) : e.getValue());
    }
    return new DestinationSpec(d.id(), d.type(), c);
  }

  private String seal(String account, String trail, String id, String key, String plain) {
    SecretSealer s = sealer.get();
    if (s == null) {
      throw new OpenTrailException(
          "ServiceUnavailable",
          "Destination "
              + id
              + ": "
              + key
              + " is a secret, and no secret sealer (the auth bundle) is installed to store it"
              + " encrypted; nothing was stored.",
          503);
    }
    return s.seal(context(account, trail, id, key), plain);
  }

  private String unseal(String account, String trail, String id, String key, String sealed) {
    SecretSealer s = sealer.get();
    if (s == null) {
      throw new IllegalStateException(
          "no secret sealer (the auth bundle) is installed to open the secret " + key);
    }
    return s.unseal(context(account, trail, id, key), sealed);
  }

  private static String context(String account, String trail, String id, String key) {
    return account + "/" + trail + "/" + id + "/" + key;
  }

  /** The destination as DescribeTrails shows it: sealed values hidden. */
  static DestinationSpec shown(DestinationSpec d) {
    Map<String, String> c = new LinkedHashMap<>();
    d.config().forEach((k, v) -> c.put(k, SecretSealer.isSealed(v) ? DestinationSpec.HIDDEN : v));
    return new DestinationSpec(d.id(), d.type(), c);
  }
}
