package org.opentrail.trail;

import java.util.List;
import java.util.Set;
import org.opentrail.api.event.Event;
import org.opentrail.api.trail.TrailSpec;

/**
 * Which events a trail delivers: its account's, of its read/write kind, categories and regions. An
 * event without eventRW (ActionTrail's ConsoleSignin, AliyunServiceEvent and many others) counts as
 * a Write for a trail's filter: sign-ins and service events change who can do what, as CloudTrail
 * counts its ConsoleLogin as not read-only; a Read trail promises reads only and skips them.
 */
final class EventFilter {
  private final String account;
  private final String rw;
  private final Set<String> categories;
  private final List<String> regions;

  EventFilter(String account, TrailSpec spec) {
    this.account = account;
    this.rw = spec.eventRW();
    this.categories = spec.categories();
    this.regions = spec.regions();
  }

  /** The read/write kind a trail filter sees: eventRW, or Write when the event has none. */
  static String kind(Event e) {
    String rw = e.eventRW();
    return rw == null ? org.opentrail.api.event.EventFields.WRITE : rw;
  }

  boolean matches(Event e) {
    if (!account.equals(e.recipientAccountId())) {
      return false;
    }
    if (!TrailSpec.ALL.equals(rw) && !rw.equals(kind(e))) {
      return false;
    }
    String category = e.eventCategory() == null ? "Management" : e.eventCategory();
    if (!categories.contains(category)) {
      return false;
    }
    return regions.contains(TrailSpec.ALL) || regions.contains(e.acsRegion());
  }
}
