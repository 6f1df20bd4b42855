package org.opentrail.shell;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.opentrail.api.source.EventSource;
import org.opentrail.api.source.SourceInfo;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code source:list}: the supported services, from the source bundles installed now. */
@Component(
    service = SourceCommands.class,
    property = {"osgi.command.scope=source", "osgi.command.function=list"})
public final class SourceCommands {
  private record Installed(EventSource source, String bundle) {}

  private final List<Installed> sources = new CopyOnWriteArrayList<>();

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      unbind = "removeSource")
  void addSource(EventSource source, ServiceReference<EventSource> ref) {
    var b = ref.getBundle();
    sources.add(
        new Installed(source, b == null ? "?" : b.getSymbolicName() + " " + b.getVersion()));
  }

  void removeSource(EventSource source) {
    sources.removeIf(i -> i.source() == source);
  }

  @Descriptor(
      "List the supported services: each installed source, what it records, whether it feeds the"
          + " inner trail, where its senders post, and its bundle")
  public String list() {
    List<String[]> rows = new ArrayList<>();
    for (Installed i : sources) {
      SourceInfo s;
      try {
        s = i.source().info();
      } catch (RuntimeException e) {
        rows.add(
            new String[] {"?", "?", "(cannot describe itself: " + e + ")", "", "", i.bundle()});
        continue;
      }
      rows.add(
          new String[] {
            s.name(),
            s.serviceName(),
            String.join(",", s.resourceTypes()),
            s.serviceInternal() ? "yes" : "no",
            s.path(),
            i.bundle()
          });
    }
    rows.sort(Comparator.comparing(r -> r[0]));
    Table t = new Table(60, "SOURCE", "SERVICE", "RESOURCE TYPES", "INNER TRAIL", "PATH", "BUNDLE");
    for (String[] r : rows) {
      t.row((Object[]) r);
    }
    return rows.isEmpty()
        ? "No source is installed: no service's audit log is received"
        : t.toString().stripTrailing();
  }
}
