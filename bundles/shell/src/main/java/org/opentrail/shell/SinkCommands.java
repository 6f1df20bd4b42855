package org.opentrail.shell;

import org.apache.felix.service.command.Descriptor;
import org.opentrail.api.trail.SinkType;
import org.opentrail.api.trail.TrailService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code sink:list}: the sink types installed now, and their bundles. */
@Component(
    service = SinkCommands.class,
    property = {"osgi.command.scope=sink", "osgi.command.function=list"})
public final class SinkCommands {
  private final TrailService trails;

  @Activate
  public SinkCommands(@Reference TrailService trails) {
    this.trails = trails;
  }

  @Descriptor("List the installed sink types and the bundles that provide them")
  public String list() {
    Table t = new Table(60, "TYPE", "BUNDLE", "VERSION");
    for (SinkType s : trails.sinkTypes()) {
      t.row(s.type(), s.bundle(), s.version());
    }
    return t.toString().stripTrailing();
  }
}
