package org.opentrail.auth;

import java.time.Instant;

/**
 * What a signed request claims, before it is believed: the access key that signed it, when, with
 * which nonce, and the signature that only the key's secret can reproduce.
 */
interface SignatureClaim {
  String accessKeyId();

  Instant timestamp();

  String nonce();

  /** Whether the request's signature is the one {@code secret} gives. */
  boolean verify(String secret);

  /** The string this server signed (to quote when the signatures differ); holds no secret. */
  String stringToSign();
}
