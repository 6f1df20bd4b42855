package org.opentrail.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;

/**
 * lookups answered from the tail (nothing refreshed) and from the index (after a restart) must be
 * the same and match an oracle, for accounts whose ids are prefixes of each other, the same
 * eventIds in several accounts, EventId lookups, several resource names and referenced resources,
 * and combined attributes.
 */
class TailAccountsTest {
  @TempDir Path dir;

  static final String[] ACCOUNTS = {"123456789012", "1234567890123", "12345678901234"};

  record E(String account, Event event, List<String> resources) {}

  static Event event(
      String account, String id, Instant t, String user, String rw, List<String> res) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("eventId", id);
    e.put("eventVersion", "1");
    e.put("eventTime", t.toString());
    e.put("eventName", rw.equals("Write") ? "DeleteBucket" : "GetBucket");
    e.put("eventRW", rw);
    e.put("eventType", "ApiCall");
    e.put("serviceName", "Oss");
    e.put("acsRegion", "cn-hangzhou");
    e.put("resourceType", "ACS::OSS::Bucket");
    e.put("resourceName", String.join(";", res.subList(0, Math.min(2, res.size()))));
    if (res.size() > 2) {
      e.put("referencedResources", Map.of("ACS::OSS::Object", res.subList(2, res.size())));
    }
    e.put("recipientAccountId", account);
    e.put(
        "userIdentity",
        Map.of(
            "type",
            "ram-user",
            "userName",
            user,
            "accessKeyId",
            "AK" + user,
            "accountId",
            account));
    return Event.of(e);
  }

  @Test
  void tailAndIndexAnswerAlikeAcrossAccounts() throws Exception {
    SplittableRandom r = new SplittableRandom(5);
    long now = System.currentTimeMillis();
    List<E> all = new ArrayList<>();
    List<String> sharedIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sharedIds.add("shared-" + i);
    }
    for (String a : ACCOUNTS) {
      for (int i = 0; i < 60; i++) {
        String id = i < 20 ? sharedIds.get(i) : a + "-" + i; // same eventIds in every account
        List<String> res = new ArrayList<>();
        for (int k = 0; k < 1 + r.nextInt(4); k++) {
          res.add("b" + r.nextInt(6));
        }
        res = new ArrayList<>(new java.util.LinkedHashSet<>(res));
        all.add(
            new E(
                a,
                event(
                    a,
                    id,
                    Instant.ofEpochMilli(now - 100_000 + r.nextInt(100) * 1000L),
                    "u" + r.nextInt(4),
                    r.nextBoolean() ? "Read" : "Write",
                    res),
                res));
      }
    }
    Map<String, Object> conf = Map.of("index.refresh.millis", 60_000);
    List<String> fromTail;
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(conf))) {
      for (E e : all) {
        store.append(EventStore.HISTORY, List.of(e.event()));
      }
      fromTail = answers(store, all, now);
    }
    try (EmbeddedEventStore store = new EmbeddedEventStore(dir, TestEvents.config(conf))) {
      DamageFixture.await(store);
      List<String> fromIndex = answers(store, all, now);
      assertEquals(fromIndex, fromTail);
    }
  }

  /** Every answer, compared with the oracle on the way; answers as lines. */
  static List<String> answers(EmbeddedEventStore store, List<E> all, long now) {
    List<String> out = new ArrayList<>();
    for (String a : ACCOUNTS) {
      List<List<LookupAttribute>> queries = new ArrayList<>();
      queries.add(List.of());
      for (int u = 0; u < 4; u++) {
        queries.add(List.of(new LookupAttribute(LookupKey.USER, "u" + u)));
        queries.add(
            List.of(
                new LookupAttribute(LookupKey.USER, "u" + u),
                new LookupAttribute(LookupKey.EVENT_RW, "Write")));
      }
      for (int b = 0; b < 6; b++) {
        queries.add(List.of(new LookupAttribute(LookupKey.RESOURCE_NAME, "b" + b)));
        queries.add(
            List.of(
                new LookupAttribute(LookupKey.RESOURCE_NAME, "b" + b),
                new LookupAttribute(LookupKey.EVENT_NAME, "GetBucket")));
      }
      for (String id : List.of("shared-3", "shared-17", a + "-40", ACCOUNTS[0] + "-41", "3")) {
        queries.add(List.of(new LookupAttribute(LookupKey.EVENT_ID, id)));
      }
      queries.add(List.of(new LookupAttribute(LookupKey.EVENT_ACCESS_KEY_ID, "AKu1")));
      queries.add(List.of(new LookupAttribute(LookupKey.SERVICE_NAME, "Oss")));
      for (List<LookupAttribute> q : queries) {
        for (Direction d : Direction.values()) {
          List<String> want = new ArrayList<>();
          List<E> sorted = new ArrayList<>(all);
          sorted.removeIf(e -> !e.account().equals(a) || !matches(e, q));
          // the store orders by (time, sequence); appended in list order, so list order breaks ties
          List<long[]> keys = new ArrayList<>();
          for (E e : sorted) {
            keys.add(new long[] {e.event().eventTimeMillis(), all.indexOf(e)});
          }
          List<Integer> idx = new ArrayList<>();
          for (int i = 0; i < sorted.size(); i++) {
            idx.add(i);
          }
          idx.sort(
              (x, y) -> {
                int c = Long.compare(keys.get(x)[0], keys.get(y)[0]);
                c = c != 0 ? c : Long.compare(keys.get(x)[1], keys.get(y)[1]);
                return d == Direction.BACKWARD ? -c : c;
              });
          for (int i : idx) {
            want.add(sorted.get(i).account() + "/" + sorted.get(i).event().eventId());
          }
          List<StoredEvent> got =
              store.query(
                  new StoreQuery(
                      EventStore.HISTORY, a, now - 200_000, now + 1000, q, d, null, 1000));
          List<String> gotIds =
              got.stream()
                  .map(s -> s.event().recipientAccountId() + "/" + s.event().eventId())
                  .toList();
          assertEquals(want, gotIds, a + " " + q + " " + d);
          out.add(a + " " + q + " " + d + " " + gotIds);
        }
      }
    }
    return out;
  }

  static boolean matches(E e, List<LookupAttribute> q) {
    for (LookupAttribute x : q) {
      Event ev = e.event();
      boolean ok =
          switch (x.key()) {
            case USER -> x.value().equals(ev.userName());
            case EVENT_RW -> x.value().equals(ev.eventRW());
            case EVENT_NAME -> x.value().equals(ev.eventName());
            case EVENT_ID -> x.value().equals(ev.eventId());
            case RESOURCE_NAME -> e.resources().contains(x.value());
            case EVENT_ACCESS_KEY_ID -> x.value().equals("AK" + ev.userName());
            case SERVICE_NAME -> x.value().equals("Oss");
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
