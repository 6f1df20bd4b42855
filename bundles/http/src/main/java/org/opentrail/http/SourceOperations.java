package org.opentrail.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.opentrail.api.source.EventSource;
import org.opentrail.api.source.SourceInfo;

/**
 * ListSupportedServices: the services whose audit logs OpenTrail receives now, one per installed
 * source bundle, sorted by name. Each has {@code SourceName}, {@code ServiceName}, {@code
 * DisplayName}, {@code ResourceTypes}, {@code EventNames}, {@code ServiceInternalOperations}
 * (whether it feeds the inner trail) and {@code Path} (where its senders post).
 */
final class SourceOperations {
  private final Supplier<List<EventSource>> sources;

  SourceOperations(Supplier<List<EventSource>> sources) {
    this.sources = sources;
  }

  List<Operation> operations() {
    return List.of(
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "ListSupportedServices")
            .handler(r -> list()));
  }

  private Map<String, Object> list() {
    List<SourceInfo> infos = new ArrayList<>();
    for (EventSource s : sources.get()) {
      try {
        infos.add(s.info());
      } catch (RuntimeException broken) {
        // a vendor's source that cannot describe itself is left out, not the whole answer
      }
    }
    infos.sort(Comparator.comparing(SourceInfo::name));
    List<Object> out = new ArrayList<>();
    for (SourceInfo i : infos) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("SourceName", i.name());
      m.put("ServiceName", i.serviceName());
      m.put("DisplayName", i.displayName());
      m.put("ResourceTypes", i.resourceTypes());
      m.put("EventNames", i.eventNames());
      m.put("ServiceInternalOperations", i.serviceInternal());
      m.put("Path", i.path());
      out.add(m);
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Services", out);
    m.put("TotalCount", out.size());
    return m;
  }
}
