package org.opentrail.query;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.query.Direction;
import org.opentrail.api.query.EventQuery;
import org.opentrail.api.query.LookupAttribute;
import org.opentrail.api.query.LookupRequest;
import org.opentrail.api.query.LookupResult;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.StoreAnswer;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.trail.Logstores;
import org.opentrail.internal.durable.DamagedFileException;
import org.opentrail.internal.durable.DurableFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventQuery} with ActionTrail's LookupEvents semantics: StartTime and EndTime together or
 * neither (then the last 7 days), MaxResults 1 to 50 (default 20), BACKWARD (newest first) or
 * FORWARD, any number of lookup attributes ANDed, and NextTokens that page through a stable
 * ordering while events keep arriving.
 */
@Component(service = EventQuery.class)
public final class LookupEventsService implements EventQuery {
  private static final Pattern ACCOUNT = org.opentrail.api.auth.IdentityService.ACCOUNT_ID;
  private static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
  private static final Logger LOG = LoggerFactory.getLogger(LookupEventsService.class);

  private static final int KEY_BYTES = 32;

  /** Most unreadable matches in a row a page skips to find the next readable one. */
  private final EventStore store;

  private final NextTokenCodec tokens;

  @Activate
  public LookupEventsService(@Reference EventStore store, BundleContext context)
      throws IOException {
    this(store, tokenKey(context.getDataFile("nexttoken.key").toPath()));
  }

  /** A query service outside OSGi (tests and benchmarks). */
  public LookupEventsService(EventStore store, byte[] tokenKey) {
    this.store = store;
    this.tokens = new NextTokenCodec(tokenKey);
  }

  /**
   * The key NextTokens are signed with, made once, owner-only from its first byte and durably. A
   * key file that is not 32 bytes is refused: a new key would quietly invalidate every NextToken
   * handed out, and a short one would weaken them.
   */
  static byte[] tokenKey(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] key = new byte[KEY_BYTES];
      new SecureRandom().nextBytes(key);
      if (DurableFiles.writeNew(file, key)) {
        return key;
      }
    }
    byte[] key = Files.readAllBytes(file);
    if (key.length != KEY_BYTES) {
      throw new DamagedFileException(
          file,
          "the NextToken key must be "
              + KEY_BYTES
              + " bytes, not "
              + key.length
              + "; delete it to make a new one (NextTokens handed out before stop working)");
    }
    return key;
  }

  @Override
  public LookupResult lookup(LookupRequest request) {
    String account = request.accountId();
    if (!ACCOUNT.matcher(account).matches()) {
      throw new InvalidParameterException(
          "AccountId", "An account id is 12 to 16 digits, not '" + account + "'.");
    }
    int max =
        request.maxResults() == null ? LookupRequest.DEFAULT_MAX_RESULTS : request.maxResults();
    if (max < 1 || max > LookupRequest.MAX_MAX_RESULTS) {
      throw new InvalidParameterException(
          "MaxResults", "The parameter MaxResults must be from 1 to 50, not " + max + ".");
    }
    List<LookupAttribute> attributes = request.attributes();
    for (int i = 0; i < attributes.size(); i++) {
      String v = attributes.get(i).value();
      if (v.isEmpty() || v.length() > LookupKey.MAX_VALUE_LENGTH) {
        throw new InvalidParameterException(
            "LookupAttribute." + (i + 1) + ".Value",
            "The parameter LookupAttribute."
                + (i + 1)
                + ".Value must have 1 to "
                + LookupKey.MAX_VALUE_LENGTH
                + " characters.");
      }
    }
    Instant start = request.startTime();
    Instant end = request.endTime();
    if (start == null && end != null) {
      throw InvalidParameterException.missing("StartTime");
    }
    if (start != null && end == null) {
      throw InvalidParameterException.missing("EndTime");
    }
    if (start != null && start.isAfter(end)) {
      throw new InvalidParameterException(
          "StartTime",
          "The parameter StartTime (" + start + ") must not be after EndTime (" + end + ").");
    }
    String fingerprint = fingerprint(request);
    long from;
    long to;
    Position after = null;
    if (request.nextToken() != null) {
      NextTokenCodec.Token t = tokens.decode(fingerprint, request.nextToken());
      from = t.startMillis();
      to = t.endMillis();
      after = t.after();
    } else if (start == null) {
      to = System.currentTimeMillis();
      from = to - DEFAULT_WINDOW.toMillis();
    } else {
      from = start.toEpochMilli();
      to = end.toEpochMilli();
    }
    Page page =
        page(
            new StoreQuery(
                streamOf(account, request.stream()),
                account,
                from,
                to,
                attributes,
                request.direction(),
                after,
                1),
            max);
    List<Event> events = new ArrayList<>(page.events().size());
    for (StoredEvent e : page.events()) {
      events.add(e.event());
    }
    String next =
        page.continueAfter() != null
            ? tokens.encode(fingerprint, new NextTokenCodec.Token(from, to, page.continueAfter()))
            : null;
    return new LookupResult(
        events,
        next,
        Instant.ofEpochMilli(from),
        Instant.ofEpochMilli(to),
        page.unreadable(),
        page.rebuilding());
  }

  /**
   * A page: the readable events among the next {@code max} matches, how many of those the store
   * could not read, and the position after which the next page starts ({@code null} if none).
   */
  record Page(
      List<StoredEvent> events, int unreadable, List<String> rebuilding, Position continueAfter) {}

  /**
   * The next page of a query ({@code q}'s limit is ignored). A page holds the first {@code max}
   * matches, readable or not, so it may hold fewer than {@code max} events and still be followed by
   * another; the token continues after its last match (the store says where that is).
   */
  Page page(StoreQuery q, int max) {
    StoreAnswer a = store.search(limit(q, q.after(), max + 1));
    int hits = a.events().size() + a.unreadable();
    if (hits <= max) {
      return new Page(a.events(), a.unreadable(), a.rebuilding(), null);
    }
    if (a.unreadable() == 0) {
      List<StoredEvent> page = a.events().subList(0, max);
      return new Page(page, 0, a.rebuilding(), page.get(max - 1).position());
    }
    StoreAnswer b = store.search(limit(q, q.after(), max)); // exactly the first max matches
    return new Page(b.events(), b.unreadable(), b.rebuilding(), b.last());
  }

  private static StoreQuery limit(StoreQuery q, Position after, int limit) {
    return new StoreQuery(
        q.stream(),
        q.accountId(),
        q.fromMillis(),
        q.toMillis(),
        q.attributes(),
        q.direction(),
        after,
        limit);
  }

  /** What a NextToken must be used with again: everything but MaxResults and the token itself. */
  private static String fingerprint(LookupRequest r) {
    StringBuilder b = new StringBuilder();
    b.append(r.accountId())
        .append('\u0000')
        .append(r.stream())
        .append('\u0000')
        .append(r.direction())
        .append('\u0000');
    b.append(r.startTime()).append('\u0000').append(r.endTime());
    for (LookupAttribute a : r.attributes()) {
      b.append('\u0000').append(a.key().name()).append('\u0001').append(a.value());
    }
    return b.toString();
  }

  @Override
  public Optional<Event> get(String accountId, String eventId) {
    return get(EventStore.HISTORY, accountId, eventId);
  }

  /**
   * The store stream behind what a request names: an {@code actiontrail_<trail>} or {@code
   * innertrail_<name>} logstore is the account's own ({@link Logstores#stream}); one the account
   * has none of is {@code LogStoreNotExist} (404), naming the logstore as the user did.
   */
  private String streamOf(String account, String logstore) {
    String stream = Logstores.stream(account, logstore);
    if (!stream.equals(logstore) && store.stream(stream).isEmpty()) {
      throw new OpenTrailException(
          "LogStoreNotExist", "The logstore " + logstore + " does not exist.", 404);
    }
    return stream;
  }

  @Override
  public Optional<Event> get(String logstore, String accountId, String eventId) {
    String stream = streamOf(accountId, logstore);
    if (eventId == null || eventId.isEmpty() || eventId.length() > 128) {
      throw new InvalidParameterException("EventId", "An eventId has 1 to 128 characters.");
    }
    Optional<Event> found = store.find(stream, accountId, eventId).map(StoredEvent::event);
    if (found.isEmpty() && !store.damaged(stream).isEmpty()) {
      // recorded but unreadable is not "no such event": the index still knows it
      StoreAnswer a =
          store.search(
              new StoreQuery(
                  stream,
                  accountId,
                  0,
                  System.currentTimeMillis() + 86_400_000L,
                  List.of(new LookupAttribute(LookupKey.EVENT_ID, eventId)),
                  Direction.BACKWARD,
                  null,
                  1));
      if (a.unreadable() > 0) {
        throw new OpenTrailException(
            "EventDamaged",
            "The event "
                + eventId
                + " was recorded but its stored bytes are damaged (see store:status);"
                + " store:repair can restore it from a destination that holds it.",
            500);
      }
    }
    return found;
  }
}
