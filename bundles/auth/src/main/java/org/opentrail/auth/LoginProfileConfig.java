package org.opentrail.auth;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of RAM users' console passwords (PID {@code org.opentrail.auth.loginprofile}). */
@ObjectClassDefinition(
    name = "OpenTrail console passwords",
    description = "The password policy and hashing of RAM users' login profiles.")
public @interface LoginProfileConfig {
  String PID = "org.opentrail.auth.loginprofile";

  @AttributeDefinition(description = "Fewest characters a console password may have (8 to 32).")
  int min_password_length() default 8;

  @AttributeDefinition(
      description =
          "PBKDF2-HMAC-SHA256 iterations of a newly set password (OWASP's Password Storage Cheat"
              + " Sheet: 600,000; at least 100,000). Stored with each hash, so changing it affects only"
              + " passwords set afterwards.")
  int pbkdf2_iterations() default 600_000;

  @AttributeDefinition(
      description =
          "File of the login profiles (password hashes only); empty means"
              + " <opentrail.data>/auth/login-profiles/profiles.json.")
  String file() default "";
}
