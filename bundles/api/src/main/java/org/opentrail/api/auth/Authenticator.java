package org.opentrail.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a request's signature: RPC signature version 1.0 (HMAC-SHA1, as Alibaba Cloud's SDKs sign)
 * or ACS3-HMAC-SHA256, a timestamp within the allowed skew, and a nonce not seen before.
 */
@ProviderType
public interface Authenticator {
  /**
   * The principal whose active access key signed the request.
   *
   * @throws org.opentrail.api.OpenTrailException {@code MissingParameter}, {@code
   *     InvalidAccessKeyId.NotFound}, {@code InvalidAccessKeyId.Inactive}, {@code
   *     SignatureDoesNotMatch}, {@code InvalidTimeStamp.Expired}, {@code InvalidTimeStamp.Format},
   *     {@code SignatureNonceUsed}, {@code UnsupportedSignatureMethod}
   */
  Principal authenticate(SignedRequest request);

  /**
   * The account an access key belongs to, if it exists (to file a failed call where it belongs).
   */
  java.util.Optional<String> accountOf(String accessKeyId);

  /**
   * The principal of an active access key, if {@code secret} is its secret (compared in constant
   * time): how the web console signs in with an access key instead of a console password. Never
   * logs or keeps the secret.
   *
   * @return empty for an unknown or inactive key or a wrong secret
   * @since 1.3
   */
  default java.util.Optional<Principal> verifySecret(String accessKeyId, String secret) {
    return java.util.Optional.empty();
  }
}
