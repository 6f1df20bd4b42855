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
   */
  List<StoredEvent> query(StoreQuery query);

  /**
   * Up to {@code max} durable events with a sequence number above {@code afterSequence}, in
   * sequence order: what delivery cursors read. Events purged by retention are skipped.
   */
  List<StoredEvent> read(String stream, long afterSequence, int max);

  /** The sequence number of the newest durable event of a stream (0 if none); cheap to call. */
  long lastSequence(String stream);

  /** Creates a stream (a logstore), or answers the existing one if it has the same name. */
  StreamInfo createStream(StreamSpec spec);

  /** Deletes a stream and everything in it. The history cannot be deleted. */
  void deleteStream(String name);

  /** A stream's figures, if it exists. */
  Optional<StreamInfo> stream(String name);

  /** Every stream's figures, the history first. */
  List<StreamInfo> streams();
}
