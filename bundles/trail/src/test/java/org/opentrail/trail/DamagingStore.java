package org.opentrail.trail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.opentrail.api.event.Event;
import org.opentrail.api.store.AppendOutcome;
import org.opentrail.api.store.DamagedRange;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoreQuery;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamInfo;
import org.opentrail.api.store.StreamSpec;

/**
 * A real store whose history has damaged ranges, as the store's SPI describes them: {@link
 * #damaged} lists them and {@link #read} skips their sequences. A range can be marked repaired
 * (reads return its events again, and it is no longer listed).
 */
final class DamagingStore implements EventStore {
  private final EventStore store;
  final List<DamagedRange> ranges = new CopyOnWriteArrayList<>();

  DamagingStore(EventStore store) {
    this.store = store;
  }

  void damage(long first, long last) {
    ranges.add(
        new DamagedRange(
            first,
            last,
            "00000000000000000001.log",
            4096,
            1234,
            "checksum mismatch",
            null,
            Instant.now(),
            0));
  }

  void repair(long first) {
    ranges.removeIf(r -> r.firstSequence() == first);
  }

  private boolean damaged(long sequence) {
    return ranges.stream().anyMatch(r -> r.contains(sequence));
  }

  @Override
  public List<DamagedRange> damaged(String stream) {
    return HISTORY.equals(stream) ? List.copyOf(ranges) : List.of();
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int max) {
    List<StoredEvent> out = new ArrayList<>();
    long after = afterSequence;
    while (out.size() < max) {
      List<StoredEvent> some = store.read(stream, after, max - out.size());
      if (some.isEmpty()) {
        break;
      }
      for (StoredEvent e : some) {
        if (!HISTORY.equals(stream) || !damaged(e.sequence())) {
          out.add(e);
        }
      }
      after = some.get(some.size() - 1).sequence();
    }
    return out;
  }

  @Override
  public List<AppendOutcome> append(String stream, List<Event> events) {
    return store.append(stream, events);
  }

  @Override
  public Optional<StoredEvent> find(String stream, String accountId, String eventId) {
    return store.find(stream, accountId, eventId);
  }

  @Override
  public List<StoredEvent> query(StoreQuery query) {
    return store.query(query);
  }

  @Override
  public long lastSequence(String stream) {
    return store.lastSequence(stream);
  }

  @Override
  public StreamInfo createStream(StreamSpec spec) {
    return store.createStream(spec);
  }

  @Override
  public StreamInfo updateStream(StreamSpec spec) {
    return store.updateStream(spec);
  }

  @Override
  public void deleteStream(String name) {
    store.deleteStream(name);
  }

  @Override
  public Optional<StreamInfo> stream(String name) {
    return store.stream(name);
  }

  @Override
  public List<StreamInfo> streams() {
    return store.streams();
  }
}
