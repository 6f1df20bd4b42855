package org.opentrail.trail;

import java.util.List;
import java.util.Set;
import org.opentrail.api.event.Event;
import org.opentrail.api.trail.TrailSpec;

/** Which events a trail delivers: its account's, of its read/write kind, categories and regions. */
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

  boolean matches(Event e) {
    if (!account.equals(e.recipientAccountId())) {
      return false;
    }
    if (!TrailSpec.ALL.equals(rw) && !rw.equals(e.eventRW())) {
      return false;
    }
    String category = e.eventCategory() == null ? "Management" : e.eventCategory();
    if (!categories.contains(category)) {
      return false;
    }
    return regions.contains(TrailSpec.ALL) || regions.contains(e.acsRegion());
  }
}
