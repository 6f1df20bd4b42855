package org.opentrail.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventFields;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.LookupKey;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.Position;
import org.opentrail.api.store.RepairReport;
import org.opentrail.api.store.StoreAnswer;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoreUnavailableException;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.store.index.DuplicateDetector;
import org.opentrail.store.index.EventIndex;
import org.opentrail.store.index.IndexSearch;
import org.opentrail.store.index.Indexer;
import org.opentrail.store.index.SearchTail;
import org.opentrail.store.journal.Block;
import org.opentrail.store.journal.DamagedEventsException;
import org.opentrail.store.journal.DictionaryUnavailableException;
import org.opentrail.store.journal.Journal;
import org.opentrail.store.journal.JournalRecord;
import org.opentrail.store.journal.PreparedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream (the history or a logstore) of the embedded store: a journal that acknowledges, an
 * index built behind it, and retention over both.
 */
final class StreamStore implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamStore.class);
  private static final long DAY = 86_400_000L;
  private static final LookupKey[] INDEXED =
      Arrays.stream(LookupKey.values())
          .filter(k -> k != LookupKey.EVENT_ID)
          .toArray(LookupKey[]::new);

  /** Tuning shared by all streams. */
  record Settings(
      long segmentBytes,
      int blockBytes,
      int compressionLevel,
      double ramBufferMb,
      long refreshMillis,
      long commitMillis,
      long maxIndexLag,
      long freeSpaceFloorBytes,
      int dictionarySamples) {
    /** The same with another free-space floor (which applies at once, unlike the rest). */
    Settings withFreeSpaceFloor(long bytes) {
      return new Settings(
          segmentBytes,
          blockBytes,
          compressionLevel,
          ramBufferMb,
          refreshMillis,
          commitMillis,
          maxIndexLag,
          bytes,
          dictionarySamples);
    }
  }

  private volatile StreamSpec spec;
  private final Journal journal;
  private final EventIndex index;
  private final DuplicateDetector duplicates;
  private final Indexer indexer;
  private final IndexSearch search;

  StreamStore(Path dir, StreamSpec spec, Settings settings) throws IOException {
    this.spec = spec;
    this.index = new EventIndex(dir.resolve("index"), settings.ramBufferMb());
    this.duplicates = new DuplicateDetector(index);
    this.journal =
        new Journal(
            dir.resolve("journal"),
            new Journal.Config(
                settings.segmentBytes(),
                settings.blockBytes(),
                settings.compressionLevel(),
                settings.freeSpaceFloorBytes(),
                settings.dictionarySamples()),
            duplicates,
            index.checkpoint());
    this.indexer =
        new Indexer(
            journal,
            index,
            settings.refreshMillis(),
            settings.commitMillis(),
            duplicates::visibleThrough,
            spec.name());
    this.search = new IndexSearch(index);
    index.startRebuilds(journal, spec.name());
    index.retainFrom(firstKeptDay(System.currentTimeMillis()));
    rememberUnindexedTail();
    journal.backpressure(indexer::indexedSequence, settings.maxIndexLag());
    journal.start();
    indexer.start();
  }

  /** Events in the journal but not in the index's checkpoint must count for de-duplication. */
  private void rememberUnindexedTail() throws IOException {
    long from = Math.max(index.checkpoint() + 1, journal.firstSequence());
    long last = journal.lastSequence();
    if (from > last) {
      return;
    }
    long started = System.nanoTime();
    for (long s = from; s <= last; ) {
      Block b;
      try {
        b = journal.block(s);
      } catch (DamagedEventsException d) {
        s = d.resumeAt();
        continue;
      }
      if (b == null) {
        break;
      }
      for (long i = Math.max(s, b.firstSequence()); i <= b.lastSequence(); i++) {
        JournalRecord r = b.record(i);
        duplicates.remember(r, i);
      }
      s = b.lastSequence() + 1;
    }
    LOG.info(
        "Stream {}: {} events after the index checkpoint will be indexed again (read in {} ms)",
        spec.name(),
        last - from + 1,
        (System.nanoTime() - started) / 1_000_000);
  }

  StreamSpec spec() {
    return spec;
  }

  void spec(StreamSpec spec) {
    this.spec = spec;
  }

  /** Encodes complete events on the caller's thread; rejects incomplete ones. */
  static PreparedEvent prepare(Event e) {
    String id = e.eventId();
    String account = e.recipientAccountId();
    if (id == null || account == null || e.eventTime() == null) {
      throw new IllegalArgumentException(
          "The store needs eventId, recipientAccountId and eventTime on every event.");
    }
    long millis;
    try {
      millis = e.eventTimeMillis();
    } catch (DateTimeParseException ex) {
      throw new IllegalArgumentException("eventTime is not ISO-8601: " + e.eventTime(), ex);
    }
    int n = 0;
    for (LookupKey k : INDEXED) {
      n += k.valuesOf(e).size();
    }
    String[] known = {e.eventRW(), e.eventCategory(), e.acsRegion()};
    n++; // the marker: this record lists its known fields
    for (String v : known) {
      n += v == null ? 0 : 1;
    }
    byte[] keys = new byte[n];
    String[] values = new String[n];
    int i = 0;
    for (LookupKey k : INDEXED) {
      for (String v : k.valuesOf(e)) {
        keys[i] = (byte) k.ordinal();
        values[i++] = v;
      }
    }
    keys[i] = (byte) JournalRecord.KNOWN_FIELDS_MARKER;
    values[i++] = "";
    for (int k = 0;
        k < known.length;
        k++) { // kept so that readers can filter without parsing the body
      if (known[k] != null) {
        keys[i] = (byte) (JournalRecord.KNOWN_FIELDS_KEY + k);
        values[i++] = known[k];
      }
    }
    byte[] body = e.toJson();
    byte[] encoded =
        new JournalRecord(millis, account, id, keys, values, body, 0, body.length).encode();
    return new PreparedEvent(
        account,
        id,
        millis,
        EventIds.timeOf(id),
        encoded,
        SearchTail.terms(keys, values, LookupKey.values().length));
  }

  List<AppendOutcome> append(List<Event> events) {
    List<PreparedEvent> prepared = new ArrayList<>(events.size());
    for (Event e : events) {
      prepared.add(prepare(e));
    }
    return Arrays.asList(journal.append(prepared));
  }

  Optional<StoredEvent> find(String account, String eventId) throws IOException {
    Long s = duplicates.pendingSequence(PreparedEvent.key(account, eventId));
    long seq =
        s != null ? s : index.findSequenceAnywhere(account, eventId, EventIds.timeOf(eventId));
    if (seq < 0) {
      return Optional.empty();
    }
    StoredEvent e;
    try {
      e = read(seq, true);
    } catch (DamagedEventsException d) {
      return Optional.empty();
    }
    return e != null
            && e.event().recipientAccountId().equals(account)
            && e.event().eventId().equals(eventId)
        ? Optional.of(e)
        : Optional.empty();
  }

  /** The events of a lookup that can be read, and how many of its hits cannot. */
  StoreAnswer query(StoreQuery q) throws IOException {
    List<Position> positions = positions(q);
    List<StoredEvent> out = new ArrayList<>(positions.size());
    int unreadable = 0;
    for (Position p : positions) {
      try {
        StoredEvent e = read(p.sequence(), true);
        if (e != null) {
          out.add(e);
        } else if (p.sequence() <= journal.lastSequence()
            && p.sequence() >= journal.firstSequence()) {
          unreadable++;
        }
      } catch (DamagedEventsException | DictionaryUnavailableException d) {
        unreadable++;
      }
    }
    return new StoreAnswer(
        out,
        unreadable,
        index.rebuilding(q.fromMillis(), q.toMillis()),
        positions.isEmpty() ? null : positions.get(positions.size() - 1));
  }

  /**
   * The positions of a lookup's first {@code q.limit()} matches: the index's hits up to the
   * sequence its searches see, merged with the acknowledged events beyond it ({@link SearchTail}),
   * so that an event is found as soon as it is acknowledged.
   */
  private List<Position> positions(StoreQuery q) throws IOException {
    SearchTail tail = duplicates.tail();
    while (true) {
      long visible = tail.visible(); // before the searchers are taken: they see at least this
      long through = journal.lastSequence();
      List<Position> recent =
          visible < through ? checked(q, tail.matching(q, visible, through)) : List.of();
      List<Position> found = search.search(q);
      if (!recent.isEmpty() && found.stream().anyMatch(p -> p.sequence() > visible)) {
        // a searcher refreshed since: its newer hits took places that belong to the tail's
        // events (those hits are in the tail too); ask again up to where the tail starts
        found = search.search(q, visible);
      }
      if (tail.prunedThrough() > visible) {
        continue; // a refresh and a prune overlapped this lookup: some events may be in neither
      }
      if (recent.isEmpty()) {
        return found;
      }
      List<Position> all = new ArrayList<>(found.size() + recent.size());
      all.addAll(found);
      all.addAll(recent);
      all.sort(
          q.direction() == org.opentrail.api.query.Direction.BACKWARD
              ? SearchTail.NEWEST_FIRST
              : SearchTail.OLDEST_FIRST);
      return all.size() > q.limit() ? all.subList(0, q.limit()) : all;
    }
  }

  /**
   * The first {@code q.limit()} candidates (in the query's order) whose records match {@code q}
   * exactly, or cannot be read (then counted so).
   */
  private List<Position> checked(StoreQuery q, List<Position> candidates) throws IOException {
    List<Position> out = new ArrayList<>(Math.min(candidates.size(), q.limit()));
    for (int i = 0; i < candidates.size() && out.size() < q.limit(); i++) {
      Position p = candidates.get(i);
      JournalRecord r;
      try {
        r = journal.record(p.sequence());
      } catch (DamagedEventsException | DictionaryUnavailableException d) {
        out.add(p);
        continue;
      }
      if (r != null && SearchTail.matches(r, q)) {
        out.add(p);
      }
    }
    return out;
  }

  private StoredEvent read(long seq, boolean cached) throws IOException {
    if (cached) {
      JournalRecord r = journal.record(seq);
      return r == null ? null : toStored(r, seq);
    }
    Block b = journal.block(seq);
    if (b == null) {
      return null;
    }
    return toStored(b.record(seq), seq);
  }

  /** A stored event whose body is parsed only if someone asks for more than the record knows. */
  private static StoredEvent toStored(JournalRecord r, long seq) {
    Map<String, String> known = new HashMap<>(8);
    known.put(EventFields.EVENT_ID, r.eventId());
    known.put(EventFields.RECIPIENT_ACCOUNT_ID, r.account());
    for (String f : JournalRecord.KNOWN_FIELDS) {
      known.put(f, null);
    }
    boolean listed = false;
    for (int i = 0; i < r.attributeCount(); i++) {
      int key = r.attributeKey(i);
      listed |= key == JournalRecord.KNOWN_FIELDS_MARKER;
      int k = key - JournalRecord.KNOWN_FIELDS_KEY;
      if (k >= 0 && k < JournalRecord.KNOWN_FIELDS.size()) {
        known.put(JournalRecord.KNOWN_FIELDS.get(k), r.attributeValue(i));
      }
    }
    return new StoredEvent(
        seq,
        r.timeMillis(),
        listed ? EventJson.lazyCanonical(r.body(), known) : EventJson.parseCanonical(r.body()));
  }

  List<StoredEvent> read(long afterSequence, int max) throws IOException {
    List<StoredEvent> out = new ArrayList<>(Math.min(max, 1024));
    long s = Math.max(afterSequence + 1, journal.firstSequence());
    while (out.size() < max && s <= journal.lastSequence()) {
      Block b;
      try {
        b = journal.block(s);
      } catch (DamagedEventsException d) {
        s = d.resumeAt(); // reported by damaged(); readers go on after it
        continue;
      }
      if (b == null) {
        long first = journal.firstSequence();
        if (first <= s) {
          break;
        }
        s = first; // purged by retention while we read
        continue;
      }
      if (b.lastSequence() < s || b.firstSequence() > s) {
        throw new IllegalStateException(
            "journal "
                + journal
                + ": block "
                + b.firstSequence()
                + ".."
                + b.lastSequence()
                + " was read for event "
                + s);
      }
      for (long i = s; i <= b.lastSequence() && out.size() < max; i++) {
        out.add(toStored(b.record(i), i));
      }
      s = b.lastSequence() + 1;
    }
    return out;
  }

  /**
   * Drops what is older than the stream's retention: whole index partitions, and journal segments
   * no hold still needs and the index has passed.
   *
   * @param holdFrom the lowest sequence some reader still needs
   */
  void applyRetention(long nowMillis, long holdFrom) throws IOException {
    long cutoff = nowMillis - spec.retentionDays() * DAY;
    List<LocalDate> dropped = index.dropBefore(firstKeptDay(nowMillis));
    long indexed = index.checkpoint();
    int purged =
        journal.purgeOldest(
            seg ->
                seg.maxTime() < cutoff
                    && seg.lastSequence() < holdFrom
                    && seg.lastSequence() <= indexed);
    if (!dropped.isEmpty() || purged > 0) {
      LOG.info(
          "Stream {}: retention of {} days dropped index partitions {} and {} journal segments",
          spec.name(),
          spec.retentionDays(),
          dropped,
          purged);
    }
    boolean held =
        journal.segments().stream()
            .anyMatch(seg -> seg.maxTime() < cutoff && seg.lastSequence() >= holdFrom);
    if (held) {
      LOG.info(
          "Stream {}: journal segments past retention are kept for a reader still at sequence {}",
          spec.name(),
          holdFrom);
    }
  }

  /** The first UTC day whose events are all within retention at {@code nowMillis}. */
  private LocalDate firstKeptDay(long nowMillis) {
    return LocalDate.ofInstant(
        Instant.ofEpochMilli(nowMillis - spec.retentionDays() * DAY), ZoneOffset.UTC);
  }

  StreamInfo info(long holdFrom) {
    List<Journal.SegmentInfo> segs = journal.segments();
    long bytes = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Journal.SegmentInfo s : segs) {
      bytes += s.bytes();
      min = Math.min(min, s.minTime());
      max = Math.max(max, s.maxTime());
    }
    long last = journal.lastSequence();
    long first = journal.firstSequence();
    long count = Math.max(0, last - first + 1);
    for (DamagedRange d : journal.damaged()) { // acknowledged but unreadable: not counted
      long from = Math.max(first, d.firstSequence());
      long to = Math.min(last, d.lastSequence());
      if (from <= to) {
        count -= Math.max(0, to - from + 1 - d.repairedEvents());
      }
    }
    return new StreamInfo(
        spec,
        count,
        bytes,
        index.sizeBytes(),
        count == 0 || min == Long.MAX_VALUE ? null : Instant.ofEpochMilli(min),
        count == 0 || max == Long.MIN_VALUE ? null : Instant.ofEpochMilli(max),
        last,
        indexer.visibleSequence(),
        holdFrom == Long.MAX_VALUE ? 0 : holdFrom);
  }

  long lastSequence() {
    return journal.lastSequence();
  }

  List<DamagedRange> damaged() {
    return journal.damaged();
  }

  /**
   * Puts back events of damaged ranges from a copy: an event is restored only if the index knows
   * its (account, eventId) at a sequence inside a damaged range that was not restored yet, and then
   * at exactly that sequence.
   */
  RepairReport repair(List<Event> events) throws IOException {
    java.util.TreeMap<Long, byte[]> restore = new java.util.TreeMap<>();
    long readable = 0;
    long unknown = 0;
    for (Event e : events) {
      String id = e.eventId();
      String account = e.recipientAccountId();
      if (id == null || account == null || e.eventTime() == null) {
        unknown++;
        continue;
      }
      // found only in the partition of the copy's own eventTime: a copy claiming another day
      // than the one the index holds for this eventId is not put back
      long seq;
      try {
        seq = index.findSequence(account, id, e.eventTimeMillis(), -1);
      } catch (RuntimeException badTime) {
        unknown++;
        continue;
      }
      if (seq < 0 || journal.damagedAt(seq) == null) {
        if (seq >= 0) {
          readable++;
        } else {
          unknown++;
        }
        continue;
      }
      if (journal.restored(seq) || restore.containsKey(seq)) {
        readable++;
        continue;
      }
      restore.put(seq, prepare(e).encoded());
    }
    if (!restore.isEmpty()) {
      long[] seqs = restore.keySet().stream().mapToLong(Long::longValue).toArray();
      journal.restore(seqs, new ArrayList<>(restore.values()));
      LOG.warn(
          "Stream {}: {} damaged events restored from a copy, at their sequences {}..{}",
          spec.name(),
          seqs.length,
          seqs[0],
          seqs[seqs.length - 1]);
    }
    return new RepairReport(restore.size(), readable, unknown);
  }

  String storageAlarm() {
    return journal.storageAlarm();
  }

  void freeSpaceFloor(long bytes) {
    journal.freeSpaceFloor(bytes);
  }

  Journal journal() {
    return journal;
  }

  EventIndex index() {
    return index;
  }

  long visibleSequence() {
    return indexer.visibleSequence();
  }

  /** Why this stream cannot serve, or {@code null}. */
  String failure() {
    return indexer.failure();
  }

  @Override
  public void close() throws IOException {
    try {
      journal.stopWriting(); // no more appends; the indexer catches up, then the files close
      indexer.close();
      journal.close();
    } finally {
      index.close();
    }
  }

  static StoreUnavailableException unavailable(String what, IOException e) {
    return new StoreUnavailableException(
        "The event store could not " + what + ": " + e.getMessage(), e);
  }
}
