package org.opentrail.auth;

/**
 * The current {@link IdentitySnapshot}, as a service inside this bundle: the identity registry
 * provides it, the authenticator and the authorizer read it. Not exported.
 */
public interface IdentitySource {
  IdentitySnapshot snapshot();
}
