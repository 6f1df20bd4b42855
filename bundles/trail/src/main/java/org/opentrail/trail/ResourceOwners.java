package org.opentrail.trail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.opentrail.api.event.EventJson;
import org.opentrail.internal.durable.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which account owns each destination resource (a bucket, a logstore, an index, a table, a topic),
 * as a sink names it ({@link org.opentrail.api.sink.ResourceSinkProvider#resource}). A resource
 * belongs to the account that first delivered into it, for good: deleting the trail does not give
 * it away, as deleting a bucket's writer does not give the bucket away. A resource ending in {@code
 * *} is every resource starting with what precedes it (dated indices): it is refused to another
 * account when it overlaps one of that account's resources, and covers them the other way round.
 *
 * <p>File {@code resource-owners.json}: {@code {"version": 1, "owners": {"<resource>":
 * "<accountId>"}}}, written durably at each new claim. A damaged file is never overwritten: every
 * claim is refused, saying so, until it is restored.
 */
final class ResourceOwners {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceOwners.class);
  private final Path file;
  private final Map<String, String> owners = new TreeMap<>();
  private final String damaged;

  ResourceOwners(Path directory) {
    this.file = directory.resolve("resource-owners.json");
    String why = null;
    try {
      if (Files.exists(file)) {
        Object o = EventJson.read(Files.readAllBytes(file));
        if (!(o instanceof Map<?, ?> m) || !(m.get("owners") instanceof Map<?, ?> read)) {
          throw new IOException("no \"owners\" object");
        }
        read.forEach((k, v) -> owners.put(String.valueOf(k), String.valueOf(v)));
      }
    } catch (IOException | RuntimeException e) {
      why = file + " is damaged (" + e.getMessage() + "): restore it from a backup";
      LOG.error("Destination resource owners: {}; no destination may claim a resource", why);
    }
    this.damaged = why;
  }

  /** The account owning {@code resource}, or {@code null} if none has delivered into it yet. */
  synchronized String owner(String resource) {
    return owners.get(resource);
  }

  /**
   * Claims {@code resource} for {@code account} if nobody owns it.
   *
   * @return {@code null} if {@code account} owns it now, else why not (in words that never name the
   *     other account)
   */
  synchronized String claim(String resource, String account) {
    if (damaged != null) {
      return damaged;
    }
    String owner = owners.get(resource);
    if (owner != null) {
      return owner.equals(account) ? null : "belongs to another account";
    }
    for (Map.Entry<String, String> e : owners.entrySet()) {
      if (!e.getValue().equals(account) && overlap(e.getKey(), resource)) {
        return "overlaps a resource that belongs to another account";
      }
    }
    owners.put(resource, account);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", 1);
    doc.put("owners", new TreeMap<>(owners));
    try {
      DurableFiles.write(file, EventJson.write(doc));
    } catch (IOException e) {
      owners.remove(resource);
      throw new UncheckedIOException("cannot record the owner of a destination resource", e);
    }
    LOG.info("Destination resource {} now belongs to account {}", resource, account);
    return null;
  }

  /**
   * Whether two resources share a name: equal, or one ends in {@code *} (every resource starting
   * with what precedes it, e.g. an index and its dated indices) and covers the other.
   */
  static boolean overlap(String a, String b) {
    boolean pa = a.endsWith("*");
    boolean pb = b.endsWith("*");
    String sa = pa ? a.substring(0, a.length() - 1) : a;
    String sb = pb ? b.substring(0, b.length() - 1) : b;
    if (pa && pb) {
      return sa.startsWith(sb) || sb.startsWith(sa);
    }
    return pa ? sb.startsWith(sa) : pb ? sa.startsWith(sb) : a.equals(b);
  }

  /** Every resource and its owner (for the operator). */
  synchronized Map<String, String> all() {
    return Map.copyOf(owners);
  }
}
