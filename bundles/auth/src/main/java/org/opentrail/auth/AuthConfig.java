package org.opentrail.auth;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of accounts, access keys and request signatures (PID {@code org.opentrail.auth}).
 */
@ObjectClassDefinition(
    name = "OpenTrail authentication",
    description =
        "Where accounts, users, access keys, policies and roles are kept, the master key that encrypts"
            + " access key secrets, and how request signatures are checked.")
public @interface AuthConfig {
  String PID = "org.opentrail.auth";

  @AttributeDefinition(
      description =
          "This installation's default account (12 to 16 digits); empty means the framework property"
              + " opentrail.account.id, else an id generated once and kept in <directory>/account.id.")
  String default_account_id() default "";

  @AttributeDefinition(
      description =
          "Directory of the identity store (one JSON file per account); empty means <opentrail.data>/auth.")
  String directory() default "";

  @AttributeDefinition(
      description =
          "File of the master key that encrypts access key secrets (AES-256-GCM), kept apart from the"
              + " identity store and created at first start; empty means <opentrail.data>/keys/master.key.")
  String master_key_file() default "";

  @AttributeDefinition(
      description =
          "Where the first start writes the first account's root access key, once; empty means"
              + " <opentrail.data>/credentials.")
  String credentials_file() default "";

  @AttributeDefinition(
      description =
          "Most minutes a signed request's timestamp may differ from this server's clock (1 to 60).")
  int max_clock_skew_minutes() default 15;

  @AttributeDefinition(
      description =
          "Most signature nonces remembered at once (against replay, each until its request's timestamp"
              + " plus the allowed skew has passed; 1000 to 100000000); beyond it signed requests are refused"
              + " with 503.")
  int nonce_cache_max_entries() default 5_000_000;
}
