package org.opentrail.console;

import java.util.Map;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authorizer;

/**
 * Authorizes a page or action with the RAM action and resource of the API operation it stands for
 * (e.g. the history as {@code actiontrail:LookupEvents} on {@code
 * acs:actiontrail:<region>:<account>:*}, a trail's deletion as {@code actiontrail:DeleteTrail} on
 * {@code ...:trail/<name>}), exactly as the HTTP API does; a refusal is recorded as a {@code
 * ConsoleOperation} event with errorCode {@code Forbidden.RAM}.
 */
final class Access {
  static final String TRAIL = "ACS::ActionTrail::Trail";

  private final Authorizer authorizer;
  private final ConsoleAudit audit;
  private final String region;

  Access(Authorizer authorizer, ConsoleAudit audit, String region) {
    this.authorizer = authorizer;
    this.audit = audit;
    this.region = region;
  }

  /**
   * @param operation the API operation, e.g. {@code LookupEvents}
   * @param kind the resource kind ({@code trail}, {@code innertrail}) or {@code null} for the
   *     account
   * @param name the resource's name, or {@code null} for all of that kind
   * @throws OpenTrailException {@code Forbidden.RAM} (403) unless allowed
   */
  void authorize(Call c, String operation, boolean write, String kind, String name) {
    String action = "actiontrail:" + operation;
    String resource =
        "acs:actiontrail:"
            + region
            + ":"
            + c.account()
            + ":"
            + (kind == null ? "*" : kind + "/" + (name == null ? "*" : name));
    if (authorizer.allowed(c.principal(), action, resource)) {
      return;
    }
    OpenTrailException e =
        new OpenTrailException(
            "Forbidden.RAM",
            "You are not authorized to do this: "
                + Layout.who(c)
                + " has no policy allowing "
                + action
                + " on "
                + Text.quote(resource)
                + ". Ask an administrator of the account for a policy that allows it.",
            403);
    audit.operation(
        c.principal(),
        operation,
        write,
        kind != null && kind.equals("trail") ? TRAIL : null,
        name,
        Map.of(),
        c.origin,
        e);
    throw e;
  }

  /** Whether the signed-in principal may do {@code operation} on the account (no recording). */
  boolean allowed(Call c, String operation) {
    return authorizer.allowed(
        c.principal(),
        "actiontrail:" + operation,
        "acs:actiontrail:" + region + ":" + c.account() + ":*");
  }
}
