package org.opentrail.api.store;

import java.util.List;
import java.util.Optional;
import org.opentrail.api.event.Event;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Where events live. Every stream (the {@link #HISTORY event history}, or a logstore) is an
 * append-only sequence: each stored event gets the next sequence number of its stream, which orders
 * delivery and is never shown as an eventId.
 */
@ProviderType
public interface EventStore {
  /** The stream every recorded event goes to: the event history. */
  String HISTORY = "history";

  /**
   * Appends complete events (eventId, eventTime and recipientAccountId set) and returns once they
   * are durable. An event whose (recipientAccountId, eventId) is already stored in the stream is
   * not appended again; its outcome names the stored one.
   *
   * @return one outcome per event, in order
   * @throws StoreUnavailableException if the events could not be made durable; none of them is then
   *     acknowledged
   * @throws IllegalArgumentException for an unknown stream or an incomplete event
   */
  List<AppendOutcome> append(String stream, List<Event> events);

  /** The event with this id for this account, if stored in the stream. */
  Optional<StoredEvent> find(String stream, String accountId, String eventId);

  /**
   * Up to {@code query.limit()} events matching the query, in its direction, after its position.
   * Events that cannot be read (damaged) are left out silently: use {@link #search} to learn about
   * them.
   */
  List<StoredEvent> query(StoreQuery query);

  /**
   * Like {@link #query}, and says how many matching events could not be read and which time ranges
   * are being re-indexed. A lookup never fails because some of its events are damaged.
   */
  default StoreAnswer search(StoreQuery query) {
    return StoreAnswer.complete(query(query));
  }

  /**
   * The ranges of acknowledged events of a stream that cannot be read (damaged or lost files),
   * oldest first; empty for a healthy stream. Sequential {@link #read}s skip them.
   */
  default List<DamagedRange> damaged(String stream) {
    return List.of();
  }

  /**
   * Why recording is refused right now ({@code "ServiceUnavailable.StorageFull: 12 MB free on
   * /data, floor 256 MB"}), or {@code null} if appends are accepted.
   */
  default String storageAlarm() {
    return null;
  }

  /**
   * Reads and checks every journal block of a stream (checksums, sequence continuity) and every
   * index partition (Lucene's checksums, document counts against the journal). Damage found is
   * recorded as a {@link DamagedRange}; a bad index partition is rebuilt in the background.
   *
   * @param progress hears a line every few seconds of a long check
   * @throws IllegalArgumentException for an unknown stream
   */
  default VerifyReport verify(String stream, java.util.function.Consumer<String> progress) {
    return new VerifyReport(stream, 0, 0, 0, damaged(stream), List.of(), 0);
  }

  /**
   * The stream's hash chain after its newest acknowledged record; for an empty stream, the chain's
   * start. Cheap: kept by the writer.
   *
   * @throws IllegalArgumentException for an unknown stream
   * @since 1.3
   */
  default ChainHead chainHead(String stream) {
    throw new UnsupportedOperationException("this store keeps no hash chain");
  }

  /**
   * Recomputes the stream's hash chain from {@code from} (a value signed in a digest, or {@code
   * null} for the chain's start) over every record up to {@code toSequence}, and compares it with
   * the chain values the journal stored as it wrote each block. The recomputed value at the end is
   * what a digest's {@code endHead} must equal. With {@code toSequence} before the chain's start
   * (e.g. 0), nothing is hashed and {@link ChainCheck#end()} is the value the chain starts from.
   *
   * @param progress hears a line every few seconds of a long check
   * @throws IllegalArgumentException for an unknown stream
   * @since 1.3
   */
  default ChainCheck checkChain(
      String stream,
      ChainHead from,
      long toSequence,
      java.util.function.Consumer<String> progress) {
    throw new UnsupportedOperationException("this store keeps no hash chain");
  }

  /**
   * Restores damaged events from a copy held elsewhere (a trail's delivered files, a logstore): an
   * event is put back only if the store knows its (recipientAccountId, eventId) at a sequence
   * number inside a damaged range, and then at exactly that sequence number, so cursors and
   * NextTokens stay right. Other events are counted and ignored.
   */
  default RepairReport repair(String stream, List<Event> events) {
    return new RepairReport(0, 0, events.size());
  }

  /**
   * Up to {@code max} durable events with a sequence number above {@code afterSequence}, in
   * sequence order: what delivery cursors read. Events purged by retention are skipped.
   */
  List<StoredEvent> read(String stream, long afterSequence, int max);

  /** The sequence number of the newest durable event of a stream (0 if none); cheap to call. */
  long lastSequence(String stream);

  /** Creates a stream (a logstore), or answers the existing one if it has the same name. */
  StreamInfo createStream(StreamSpec spec);

  /**
   * Changes an existing stream's retention and write protection; the next retention pass applies a
   * shorter retention.
   *
   * @throws org.opentrail.api.OpenTrailException {@code StreamNotFound} (404) for an unknown stream
   * @since 1.2
   */
  StreamInfo updateStream(StreamSpec spec);

  /** Deletes a stream and everything in it. The history cannot be deleted. */
  void deleteStream(String name);

  /** A stream's figures, if it exists. */
  Optional<StreamInfo> stream(String name);

  /** Every stream's figures, the history first. */
  List<StreamInfo> streams();
}
