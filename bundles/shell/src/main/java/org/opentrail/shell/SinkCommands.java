package org.opentrail.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.trail.SinkType;
import org.opentrail.api.trail.TrailService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code sink:list}: the sink types installed now, and their bundles. */
@Component(
    service = SinkCommands.class,
    property = {
      "osgi.command.scope=sink",
      "osgi.command.function=list",
      "osgi.command.function=owners"
    })
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

  @Descriptor(
      "List every destination resource (bucket, logstore, index, table, topic) that belongs to an"
          + " account, as its sink names it, with the owning account: another account's trail"
          + " delivers into it only through a role of that account")
  public String owners(
      @Descriptor("print JSON: {\"<resource>\": \"<accountId>\", ...}")
          @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    java.util.SortedMap<String, String> owners = trails.resourceOwners();
    if (json) {
      return org.opentrail.api.event.EventJson.toString(owners);
    }
    if (owners.isEmpty()) {
      return "No destination resource belongs to an account yet.";
    }
    Table t = new Table(200, "RESOURCE", "ACCOUNT");
    owners.forEach(t::row);
    return t.toString().stripTrailing();
  }
}
