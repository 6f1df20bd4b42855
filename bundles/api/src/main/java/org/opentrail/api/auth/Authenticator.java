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
}
