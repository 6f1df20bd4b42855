package org.opentrail.auth;

import java.util.Locale;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authorizer;
import org.opentrail.api.auth.Principal;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link Authorizer}: nobody acts outside their own account (the account field of the resource
 * name); an account's root may do anything in it; a user what the policies attached to them allow
 * and none denies. Reads the current snapshot, whose users' policies are compiled already.
 */
@Component(service = Authorizer.class)
public final class PolicyAuthorizer implements Authorizer {
  private final IdentitySource identities;

  @Activate
  public PolicyAuthorizer(@Reference IdentitySource identities) {
    this.identities = identities;
  }

  @Override
  public boolean allowed(Principal principal, String action, String resource) {
    if (principal == null || action == null || resource == null) {
      return false;
    }
    if (!principal.accountId().equals(Arns.account(resource))) {
      return false;
    }
    AccountState account = identities.snapshot().account(principal.accountId());
    if (account == null) {
      return false;
    }
    if (principal.type() == Principal.Type.ROOT) {
      return true;
    }
    if (principal.userName() == null) {
      return false;
    }
    return CompiledPolicy.evaluate(
            account.policiesOf(principal.userName()),
            action.toLowerCase(Locale.ROOT),
            Arns.normalize(resource))
        == CompiledPolicy.Decision.ALLOW;
  }

  @Override
  public void authorize(Principal principal, String action, String resource) {
    if (!allowed(principal, action, resource)) {
      throw new OpenTrailException(
          "Forbidden.RAM",
          "User not authorized to operate on the specified resource, or this API doesn't support"
              + " RAM. Action: "
              + action
              + ", Resource: "
              + resource,
          403);
    }
  }
}
