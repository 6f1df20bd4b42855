package org.opentrail.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StreamInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code store:*} commands: the state of the event store. */
@Component(
    service = StoreCommands.class,
    property = {"osgi.command.scope=store", "osgi.command.function=status"})
public final class StoreCommands {
  private final EventStore store;

  @Activate
  public StoreCommands(@Reference EventStore store) {
    this.store = store;
  }

  @Descriptor(
      "Show every stream of the store: events, bytes, oldest and newest event, retention, indexing")
  public String status(
      @Descriptor("print JSON")
          @Parameter(
              names = {"--json"},
              absentValue = "false",
              presentValue = "true")
          boolean json) {
    List<StreamInfo> streams = store.streams();
    if (json) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (StreamInfo s : streams) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("events", s.eventCount());
        m.put("journalBytes", s.journalBytes());
        m.put("indexBytes", s.indexBytes());
        m.put(
            "oldestEventTime", s.oldestEventTime() == null ? null : s.oldestEventTime().toString());
        m.put(
            "newestEventTime", s.newestEventTime() == null ? null : s.newestEventTime().toString());
        m.put("retentionDays", s.spec().retentionDays());
        m.put("writeProtected", s.spec().writeProtected());
        m.put("lastSequence", s.lastSequence());
        m.put("indexedSequence", s.indexedSequence());
        m.put("retentionHeldFrom", s.retentionHeldFrom());
        list.add(m);
      }
      return EventJson.toString(Map.of("streams", list));
    }
    Table t =
        new Table(
            40,
            "STREAM",
            "EVENTS",
            "JOURNAL",
            "INDEX",
            "OLDEST",
            "NEWEST",
            "RETENTION",
            "INDEXING",
            "HELD FROM");
    for (StreamInfo s : streams) {
      long lag = s.lastSequence() - s.indexedSequence();
      t.row(
          s.name() + (s.spec().writeProtected() ? " (read-only)" : ""),
          String.format("%,d", s.eventCount()),
          Durations.bytes(s.journalBytes()),
          Durations.bytes(s.indexBytes()),
          s.oldestEventTime(),
          s.newestEventTime(),
          s.spec().retentionDays() + " days",
          lag <= 0 ? "up to date" : String.format("%,d behind", lag),
          s.retentionHeldFrom() == 0 ? "-" : "sequence " + s.retentionHeldFrom());
    }
    return t.toString().stripTrailing();
  }
}
