package org.opentrail.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.trail.InnerTrail;
import org.opentrail.api.trail.InnerTrailService;
import org.opentrail.api.trail.InnerTrailStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code innertrail:*}: an account's inner trail (Inner-ActionTrail), the one logstore {@code
 * innertrail_<name>} that receives the service-internal operations of every supported source. Read
 * it with {@code event:lookup --logstore innertrail_<name>}; nobody writes it but OpenTrail.
 */
@Component(
    service = InnerTrailCommands.class,
    property = {
      "osgi.command.scope=innertrail",
      "osgi.command.function=create",
      "osgi.command.function=describe",
      "osgi.command.function=status",
      "osgi.command.function=retention",
      "osgi.command.function=enable",
      "osgi.command.function=disable",
      "osgi.command.function=delete"
    })
public final class InnerTrailCommands {
  private final InnerTrailService inner;
  private final IdentityService identities;

  @Activate
  public InnerTrailCommands(
      @Reference InnerTrailService inner, @Reference IdentityService identities) {
    this.inner = inner;
    this.identities = identities;
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  @Descriptor(
      "Create the account's inner trail and its logstore innertrail_<name> (180 days); needs the"
          + " InnerTrail entitlement (auth:entitle) and the delivery role (auth:grant)")
  public String create(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the name, 6 to 36 lowercase letters, digits, '-' or '_'") String name) {
    return describe(inner.create(account(account), name));
  }

  @Descriptor("Show the account's inner trail")
  public String describe(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    return inner
        .get(a)
        .map(InnerTrailCommands::describe)
        .orElse("Account " + a + " has no inner trail");
  }

  @Descriptor("Whether the inner trail collects, what it holds, and what stops it")
  public String status(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    InnerTrailStatus s = inner.status(account(account));
    StringBuilder b = new StringBuilder(describe(s.trail()));
    b.append("\nCollecting: ").append(s.collecting() ? "yes" : "no");
    b.append("\nEntitled:   ").append(s.entitled() ? "yes" : "no");
    b.append("\nRole:       ").append(s.roleGranted() ? "granted" : "not granted");
    b.append("\nEvents:     ").append(s.storedEvents());
    for (String p : s.problems()) {
      b.append("\nProblem:    ").append(p);
    }
    return b.toString();
  }

  @Descriptor("Set how long the inner trail's logstore keeps events (overrides the logstore's)")
  public String retention(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("days, 1 to 3650") int days) {
    return describe(inner.setRetention(account(account), days));
  }

  @Descriptor("Collect again (retention goes back to 180 days)")
  public String enable(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    return describe(inner.enable(account(account)));
  }

  @Descriptor("Stop collecting; what is stored stays until its retention expires")
  public String disable(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    return describe(inner.disable(account(account)));
  }

  @Descriptor("Delete the inner trail; its logstore keeps its events until their retention expires")
  public String delete(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    inner.delete(a);
    return "Inner trail of account " + a + " deleted";
  }

  private static String describe(InnerTrail t) {
    return "Name:       "
        + t.name()
        + "\nLogStore:   "
        + t.logstore()
        + "\nStatus:     "
        + (t.enabled() ? "enabled" : "disabled")
        + "\nRetention:  "
        + t.retentionDays()
        + " days\nCreated:    "
        + t.createTime()
        + "\nUpdated:    "
        + t.updateTime();
  }
}
