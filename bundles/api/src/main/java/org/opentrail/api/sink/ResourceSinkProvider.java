package org.opentrail.api.sink;

import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A sink type whose destinations write into named resources of a server (a bucket, an index, a
 * table, a topic) or whose configuration holds secrets. The trail engine uses it to keep accounts
 * apart, as ActionTrail does:
 *
 * <ul>
 *   <li>every resource belongs to one account, the first that delivered into it; a trail of another
 *       account may deliver into it only through a role of the owner that trusts ActionTrail and
 *       lets the trail's account assume it, otherwise CreateTrail and UpdateTrail refuse it;
 *   <li>values of {@link #secretKeys()} are stored encrypted under the master key, never returned
 *       by DescribeTrails or printed, and handed to {@link #open} in plain text.
 * </ul>
 *
 * @since 1.3
 */
@ConsumerType
public interface ResourceSinkProvider extends SinkProvider {
  /**
   * The resource a destination writes into, equal for every destination that writes into the same
   * one whichever account configured it, and different otherwise: e.g. {@code
   * s3://s3.example.com/audit-bucket}, {@code opensearch://search.example.com:9200/actiontrail_t}.
   * Include the server, normalised (scheme, lower-case host, default port), and the resource's own
   * name, and no secret. A destination that writes into a family of resources names it with a
   * trailing {@code *} (e.g. dated indices {@code opensearch://host:9200/actiontrail_t-*}): it then
   * overlaps, and is refused to another account than the owner of, every resource starting with
   * what precedes the {@code *}. Null when the destination writes into nothing another destination
   * could name.
   *
   * @param target the destination (its configuration already validated, secrets in plain text)
   */
  String resource(SinkTarget target);

  /** The configuration keys whose values are secrets (passwords, secret keys, tokens). */
  Set<String> secretKeys();
}
