package org.opentrail.api.trail;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a trail delivers and where.
 *
 * @param name 6 to 36 lowercase letters, digits, {@code -} and {@code _}, starting with a letter;
 *     unique in its account
 * @param eventRW {@code All} (default), {@code Read} or {@code Write}; an event without eventRW
 *     (ConsoleSignin, AliyunServiceEvent) is delivered by {@code All} and {@code Write} trails
 * @param categories the event categories delivered: {@code Management} (default), {@code Data},
 *     {@code Insight}
 * @param regions {@code All} (default) or the acsRegions delivered
 * @param destinations one or more places events go
 */
public record TrailSpec(
    String name,
    String eventRW,
    Set<String> categories,
    List<String> regions,
    List<DestinationSpec> destinations) {
  public static final String ALL = "All";

  /** What a trail name may be (ActionTrail's rule). */
  public static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{5,35}");

  public TrailSpec {
    Objects.requireNonNull(name, "name");
    eventRW = eventRW == null ? ALL : eventRW;
    categories =
        categories == null || categories.isEmpty() ? Set.of("Management") : Set.copyOf(categories);
    regions = regions == null || regions.isEmpty() ? List.of(ALL) : List.copyOf(regions);
    destinations = destinations == null ? List.of() : List.copyOf(destinations);
  }

  /** A trail delivering management events of every kind and region to the given destinations. */
  public static TrailSpec of(String name, DestinationSpec... destinations) {
    return new TrailSpec(name, ALL, null, null, List.of(destinations));
  }
}
