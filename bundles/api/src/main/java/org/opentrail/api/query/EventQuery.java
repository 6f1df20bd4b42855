package org.opentrail.api.query;

import java.util.Optional;
import org.opentrail.api.event.Event;
import org.osgi.annotation.versioning.ProviderType;

/** LookupEvents and fetching one event, over the event history or a logstore of one account. */
@ProviderType
public interface EventQuery {
  /**
   * One page of events matching a request, with ActionTrail's LookupEvents semantics.
   *
   * @throws org.opentrail.api.InvalidParameterException naming the parameter that is wrong
   */
  LookupResult lookup(LookupRequest request);

  /** The event with this id in the account's event history, if stored. */
  Optional<Event> get(String accountId, String eventId);

  /** The event with this id in the account's events of a stream (history or a logstore). */
  Optional<Event> get(String stream, String accountId, String eventId);
}
