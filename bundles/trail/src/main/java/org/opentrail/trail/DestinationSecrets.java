package org.opentrail.trail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.SecretSealer;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;

/**
 * Secrets in destination configuration (issue 10): the values of the keys a sink type declares
 * ({@link ResourceSinkProvider#secretKeys}) and of any key named like one ({@link
 * DestinationSpec#secretKey}) are stored sealed by the {@link SecretSealer} (bound to {@code
 * <account>/<trail>/<destination>/<key>}), shown as {@link DestinationSpec#HIDDEN}, kept when that
 * comes back in an update of a destination that changed nothing else, and unsealed only to open the
 * sink.
 */
final class DestinationSecrets {
  private final AtomicReference<SecretSealer> sealer = new AtomicReference<>();

  AtomicReference<SecretSealer> sealer() {
    return sealer;
  }

  /**
   * The spec as given (destination ids filled in), with each {@link DestinationSpec#HIDDEN} secret
   * replaced by the plain value stored for the same destination and key in {@code previous}
   * (UpdateTrail keeps it) — only while the destination still goes to the same place: a hidden
   * secret never follows a changed endpoint, URL, user or any other setting to a new server.
   *
   * @throws InvalidParameterException if a hidden value has nothing stored to stand for, or the
   *     destination changed where it goes
   */
  TrailSpec withStoredSecrets(String account, TrailSpec spec, TrailSpec previous) {
    List<DestinationSpec> out = new ArrayList<>();
    for (DestinationSpec d : spec.destinations()) {
      Map<String, String> c = new LinkedHashMap<>(d.config());
      DestinationSpec was = previous == null ? null : find(previous, d.id());
      for (Map.Entry<String, String> e : d.config().entrySet()) {
        String v = e.getValue();
        if (DestinationSpec.HIDDEN.equals(v) || SecretSealer.isSealed(v)) {
          String where = "Destination." + (d.id().isEmpty() ? d.type() : d.id());
          String stored = was == null ? null : was.config().get(e.getKey());
          if (stored == null
              || !SecretSealer.isSealed(stored)
              || (!v.equals(DestinationSpec.HIDDEN) && !v.equals(stored))) {
            throw new InvalidParameterException(
                where,
                "The value of "
                    + e.getKey()
                    + " is hidden, and no stored value of this destination can stand for it: give"
                    + " the secret itself.");
          }
          String changed = changed(was, d);
          if (changed != null) {
            throw new InvalidParameterException(
                where,
                "The value of "
                    + e.getKey()
                    + " is hidden, but the destination's "
                    + changed
                    + " changed: give the secret again, so that a stored secret only ever goes"
                    + " where it was given for.");
          }
          c.put(e.getKey(), unseal(account, spec.name(), d.id(), e.getKey(), stored));
        }
      }
      out.add(new DestinationSpec(d.id(), d.type(), c));
    }
    return new TrailSpec(spec.name(), spec.eventRW(), spec.categories(), spec.regions(), out);
  }

  private static DestinationSpec find(TrailSpec spec, String id) {
    for (DestinationSpec d : spec.destinations()) {
      if (d.id().equals(id)) {
        return d;
      }
    }
    return null;
  }

  /** The first setting (other than secrets) that differs, or {@code null} if none does. */
  private static String changed(DestinationSpec was, DestinationSpec now) {
    if (!was.type().equals(now.type())) {
      return "type";
    }
    Set<String> keys = new java.util.TreeSet<>(was.config().keySet());
    keys.addAll(now.config().keySet());
    for (String k : keys) {
      String a = was.config().get(k);
      String b = now.config().get(k);
      boolean secret =
          SecretSealer.isSealed(a) || SecretSealer.isSealed(b) || DestinationSpec.HIDDEN.equals(b);
      if (!secret && !java.util.Objects.equals(a, b)) {
        return k;
      }
    }
    return null;
  }

  DestinationSpec sealed(String account, String trail, DestinationSpec d, SinkProvider provider) {
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

  String unseal(String account, String trail, String id, String key, String sealed) {
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
