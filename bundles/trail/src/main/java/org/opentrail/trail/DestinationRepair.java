package org.opentrail.trail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.RepairReport;
import org.opentrail.api.trail.DestinationSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code store:repair --from trail/destination}: reads back what a destination holds and hands the
 * trail account's events to the store, which restores those it lost (checked by eventId, at their
 * original sequences). Nothing else in this field heals a damaged log from its own deliveries.
 */
final class DestinationRepair {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationRepair.class);
  private static final int BATCH = 5_000;

  private DestinationRepair() {}

  static RepairReport run(
      EventStore store,
      TrailState trail,
      DestinationSpec destination,
      SinkProvider provider,
      DestinationAccess access,
      Consumer<String> progress) {
    if (provider == null) {
      throw new InvalidParameterException(
          "DestinationId",
          "No bundle provides the sink type "
              + destination.type()
              + " of destination "
              + destination.id()
              + "; install it to repair from it.");
    }
    String account = trail.account();
    long[] totals = new long[4]; // read, restored, readable, unknown
    List<Event> pending = new ArrayList<>();
    long[] lastReport = {System.nanoTime()};
    Sink sink;
    try {
      sink = provider.open(access.target(account, trail.spec().name(), destination));
    } catch (Exception e) {
      throw new InvalidParameterException(
          "DestinationId", "The destination " + destination.id() + " cannot be opened: " + e);
    }
    try (sink) {
      if (!(sink instanceof ReadableSink readable)) {
        throw new InvalidParameterException(
            "DestinationId",
            "The sink type " + destination.type() + " cannot read back what it delivered.");
      }
      readable.readBack(
          batch -> {
            for (Event e : batch) {
              totals[0]++;
              if (account.equals(e.recipientAccountId())) {
                pending.add(e);
              } else {
                totals[3]++; // another account's event in this trail's files: never restored
              }
            }
            if (pending.size() >= BATCH) {
              flush(store, pending, totals);
            }
            if (System.nanoTime() - lastReport[0] > 5_000_000_000L) {
              lastReport[0] = System.nanoTime();
              progress.accept(
                  String.format(
                      "%,d events read from %s/%s, %,d restored so far",
                      totals[0], trail.spec().name(), destination.id(), totals[1]));
            }
          });
      flush(store, pending, totals);
    } catch (InvalidParameterException e) {
      throw e;
    } catch (Exception e) {
      throw new InvalidParameterException(
          "DestinationId",
          "Reading back destination "
              + destination.id()
              + " failed after "
              + totals[0]
              + " events ("
              + totals[1]
              + " restored): "
              + e);
    }
    LOG.warn(
        "Repair of the event history from trail {} destination {} (account {}): {} events read, {}"
            + " restored, {} already readable, {} not damaged or unknown",
        trail.spec().name(),
        destination.id(),
        account,
        totals[0],
        totals[1],
        totals[2],
        totals[3]);
    return new RepairReport(totals[1], totals[2], totals[3]);
  }

  private static void flush(EventStore store, List<Event> pending, long[] totals) {
    if (pending.isEmpty()) {
      return;
    }
    RepairReport r = store.repair(EventStore.HISTORY, List.copyOf(pending));
    totals[1] += r.restored();
    totals[2] += r.alreadyReadable();
    totals[3] += r.notDamaged();
    pending.clear();
  }
}
