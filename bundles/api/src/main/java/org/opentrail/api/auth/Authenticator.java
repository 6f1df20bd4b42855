package org.opentrail.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks a request's signature: RPC signature version 1.0 (HMAC-SHA1, as Alibaba Cloud's SDKs sign)
 * or ACS3-HMAC-SHA256, a timestamp within the allowed skew, and a nonce not seen before; or Log
 * Service's scheme.
 *
 * <p>Log Service's scheme (Log Service API reference, "Request signatures"; as its Java SDK signs):
 * {@code Authorization: LOG <AccessKeyId>:<base64(HMAC-SHA1(secret, string to sign))>}, the string
 * to sign being {@code VERB\nContent-MD5\nContent-Type\nDate\n<headers>\n<resource>}: the headers
 * are every {@code x-log-*} and {@code x-acs-*} header as {@code name:value}, sorted by name,
 * joined by {@code \n}; the resource is {@link SignedRequest#path()}, then {@code ?} and the
 * decoded query parameters as {@code name=value} sorted by name and joined by {@code &} if there
 * are any. Content-MD5 (upper-case hex) is required with a body and must match it; Date (RFC 1123)
 * must be within the allowed skew. It has no nonce (as in Log Service). Its errors have Log
 * Service's codes: {@code Unauthorized} (401), {@code InvalidAccessKeyId} (401), {@code
 * SignatureNotMatch} (401), {@code RequestTimeExpired} (400).
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
