package org.opentrail.shell;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.auth.IdentityService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code auth:entitle}, {@code auth:unentitle}, {@code auth:entitlements}: features an account may
 * use only with the operator's consent, as ActionTrail's inner trail needs a ticket ({@code
 * InnerTrail}).
 */
@Component(
    service = EntitlementCommands.class,
    property = {
      "osgi.command.scope=auth",
      "osgi.command.function=entitle",
      "osgi.command.function=unentitle",
      "osgi.command.function=entitlements"
    })
public final class EntitlementCommands {
  private final IdentityService identities;

  @Activate
  public EntitlementCommands(@Reference IdentityService identities) {
    this.identities = identities;
  }

  @Descriptor("Entitle an account to a feature that needs the operator's consent, e.g. InnerTrail")
  public String entitle(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the entitlement, e.g. InnerTrail") String entitlement) {
    String a = account(account);
    identities.entitle(a, entitlement);
    return "Account " + a + " holds " + String.join(", ", identities.entitlements(a));
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  @Descriptor("Withdraw an entitlement (an inner trail stops collecting at once)")
  public String unentitle(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the entitlement, e.g. InnerTrail") String entitlement) {
    String a = account(account);
    identities.revokeEntitlement(a, entitlement);
    return "Account " + a + " no longer holds " + entitlement;
  }

  @Descriptor("List an account's entitlements")
  public String entitlements(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    var held = identities.entitlements(a);
    return held.isEmpty() ? "Account " + a + " holds no entitlement" : String.join("\n", held);
  }
}
