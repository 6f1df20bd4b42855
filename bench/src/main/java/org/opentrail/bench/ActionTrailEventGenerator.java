package org.opentrail.bench;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;

/**
 * Makes realistic ActionTrail events (about 1.1 KB of JSON each) from the {@link Populations}: 70%
 * Read and 30% Write API calls, users, APIs, resources and IPs skewed by {@link Zipf}, 5% with an
 * errorCode. Stateless apart from the populations, so any number of threads may use one generator
 * with their own random generators.
 */
final class ActionTrailEventGenerator {
  static final double WRITE_SHARE = 0.30;
  static final double ERROR_SHARE = 0.05;

  private static final String[][] ERRORS = {
    {
      "Forbidden.RAM",
      "User not authorized to operate on the specified resource, or this API doesn't support RAM."
    },
    {
      "InvalidParameter",
      "The specified parameter is not valid. Please check the parameter and try again."
    },
    {"Throttling.User", "Request was denied due to user flow control. Please try again later."},
    {"EntityNotExist.Role", "The specified role does not exist in the account, or it was deleted."},
  };

  final Populations pop;
  private final String account;
  private final Zipf users;
  private final Zipf reads;
  private final Zipf writes;
  private final Zipf resources;
  private final Zipf ips;
  private final Zipf agents;

  ActionTrailEventGenerator(Populations pop, String account) {
    this.pop = pop;
    this.account = account;
    this.users = new Zipf(pop.users.length, 1.0);
    this.reads = new Zipf(pop.reads.size(), 0.9);
    this.writes = new Zipf(pop.writes.size(), 0.9);
    this.resources = new Zipf(Populations.RESOURCES_PER_TYPE, 0.8);
    this.ips = new Zipf(pop.ips.length, 0.7);
    this.agents = new Zipf(pop.userAgents.length, 1.0);
  }

  /** How the values are skewed, for the run header. */
  String describeSkew() {
    return String.format(
        Locale.ROOT,
        "users Zipf(%.1f) over %d (top 20 make %.0f%% of calls), event names Zipf(%.1f) over %d"
            + " (%.0f%% Write), resource names Zipf(%.1f) within each of %d types (%d names),"
            + " IPs Zipf(%.1f) over %d, %d access keys, %.0f%% errors",
        users.exponent(),
        users.size(),
        100 * users.topShare(20),
        reads.exponent(),
        pop.eventNameCount(),
        100 * WRITE_SHARE,
        resources.exponent(),
        pop.types.size(),
        pop.resourceNameCount(),
        ips.exponent(),
        ips.size(),
        pop.accessKeyCount(),
        100 * ERROR_SHARE);
  }

  Populations.User drawUser(SplittableRandom r) {
    return pop.users[users.next(r)];
  }

  Populations.EventName drawEventName(SplittableRandom r) {
    return r.nextDouble() < WRITE_SHARE
        ? pop.writes.get(writes.next(r))
        : pop.reads.get(reads.next(r));
  }

  String drawResourceName(SplittableRandom r, Populations.ResourceType type) {
    return pop.resourceNames[type.index()][resources.next(r)];
  }

  /** A resource name drawn the way events draw them (type by API popularity, then by Zipf). */
  String drawResourceName(SplittableRandom r) {
    return drawResourceName(r, drawEventName(r).type());
  }

  /** One event at {@code timeMillis}; with {@code clientId} it carries its own random eventId. */
  Event next(SplittableRandom r, long timeMillis, boolean clientId) {
    return next(r, timeMillis, clientId, null);
  }

  /** Like {@link #next(SplittableRandom, long, boolean)} with a given user name (probe markers). */
  Event next(SplittableRandom r, long timeMillis, boolean clientId, String userName) {
    Populations.EventName api = drawEventName(r);
    Populations.ResourceType type = api.type();
    Populations.Service svc = type.service();
    Populations.User user = drawUser(r);
    String resource = drawResourceName(r, type);
    String region =
        Populations.REGIONS[Math.floorMod(resource.hashCode(), Populations.REGIONS.length)];
    String requestId = uuid(r);
    boolean error = r.nextDouble() < ERROR_SHARE;

    Map<String, Object> e = new LinkedHashMap<>(32);
    if (clientId) {
      e.put(EventFields.EVENT_ID, uuid(r));
    }
    e.put(EventFields.EVENT_VERSION, "1");
    e.put(EventFields.EVENT_TIME, Instant.ofEpochMilli(timeMillis).toString());
    e.put(EventFields.EVENT_NAME, api.name());
    e.put(EventFields.EVENT_RW, api.write() ? EventFields.WRITE : EventFields.READ);
    e.put(EventFields.EVENT_TYPE, "ApiCall");
    e.put(EventFields.EVENT_CATEGORY, "Management");
    e.put(EventFields.EVENT_SOURCE, svc.endpoint());
    e.put(EventFields.SERVICE_NAME, svc.name());
    e.put(EventFields.ACS_REGION, region);
    e.put(EventFields.API_VERSION, svc.apiVersion());
    e.put(EventFields.REQUEST_ID, requestId);
    e.put(EventFields.SOURCE_IP_ADDRESS, pop.ips[ips.next(r)]);
    e.put(EventFields.USER_AGENT, pop.userAgents[agents.next(r)]);

    Map<String, Object> params = new LinkedHashMap<>(12);
    params.put("HostId", svc.endpoint());
    params.put("RegionId", region);
    params.put(type.noun() + "Id", resource);
    params.put("AcsProduct", svc.name());
    params.put("RequestId", requestId);
    if (api.write()) {
      params.put(
          "Tags", List.of(Map.of("Key", "team", "Value", "platform-" + (resource.length() % 7))));
      params.put("ClientToken", uuid(r).toLowerCase(Locale.ROOT));
    } else {
      params.put("PageSize", 50);
      params.put("PageNumber", 1 + r.nextInt(3));
    }
    e.put(EventFields.REQUEST_PARAMETERS, params);
    if (!error) {
      Map<String, Object> response = new LinkedHashMap<>(4);
      response.put("RequestId", requestId);
      if (api.write()) {
        response.put(type.noun() + "Id", resource);
      } else {
        response.put("TotalCount", r.nextInt(500));
      }
      e.put(EventFields.RESPONSE_ELEMENTS, response);
    }
    e.put(EventFields.RESOURCE_TYPE, type.name());
    e.put(EventFields.RESOURCE_NAME, resource);
    e.put(EventFields.REFERENCED_RESOURCES, Map.of(type.name(), List.of(resource)));

    Map<String, Object> identity = new LinkedHashMap<>(8);
    identity.put(EventFields.IDENTITY_TYPE, "ram-user");
    identity.put(EventFields.IDENTITY_PRINCIPAL_ID, user.principalId());
    identity.put(EventFields.IDENTITY_ACCOUNT_ID, account);
    identity.put(EventFields.IDENTITY_USER_NAME, userName != null ? userName : user.name());
    identity.put(
        EventFields.IDENTITY_ACCESS_KEY_ID, user.accessKeys()[r.nextInt(user.accessKeys().length)]);
    e.put(EventFields.USER_IDENTITY, identity);
    e.put(EventFields.IS_GLOBAL, Boolean.FALSE);
    if (error) {
      String[] err = ERRORS[r.nextInt(ERRORS.length)];
      e.put(EventFields.ERROR_CODE, err[0]);
      e.put(EventFields.ERROR_MESSAGE, err[1]);
    }
    return Event.of(e);
  }

  /** A random (version 4) UUID in upper case, like ActionTrail's ids. */
  static String uuid(SplittableRandom r) {
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString().toUpperCase(Locale.ROOT);
  }
}
