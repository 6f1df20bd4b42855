package org.opentrail.api.auth;

import java.util.List;
import java.util.Map;

/**
 * What a request's signature covers.
 *
 * @param method the HTTP method
 * @param path the request path, e.g. {@code /}
 * @param query the query parameters, decoded, in order of appearance
 * @param form the form body parameters (application/x-www-form-urlencoded), decoded
 * @param headers the headers, names in lower case
 * @param body the raw body
 */
public record SignedRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, List<String>> form,
    Map<String, String> headers,
    byte[] body) {}
