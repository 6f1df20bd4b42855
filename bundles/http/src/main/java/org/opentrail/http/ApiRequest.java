package org.opentrail.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.auth.Principal;

/**
 * One API call's parameters (the query string and the form body merged; a name may appear in only
 * one of them) and who made it. Operations read their parameters through the typed accessors, whose
 * errors name the parameter; {@link #refuseUnknown} then refuses every parameter that is neither a
 * common one nor one the operation knows.
 */
final class ApiRequest {
  /** The common parameters of RPC-style calls (Alibaba Cloud's signature version 1.0). */
  static final Set<String> COMMON =
      Set.of(
          "Action",
          "Version",
          "Format",
          "AccessKeyId",
          "Signature",
          "SignatureMethod",
          "SignatureVersion",
          "SignatureNonce",
          "SignatureType",
          "Timestamp",
          "RegionId");

  final String requestId;
  final String sourceIp;
  final String userAgent;
  final Map<String, String> query;
  final Map<String, String> form;
  final Map<String, String> params;

  /** The Host the call was sent to (checked: a host name or address and a port). */
  String host = "localhost";

  /** A JSON body (only with a signature that covers it), or {@code null}. */
  byte[] jsonBody;

  /** The access key id an ACS3 Authorization header names, or {@code null}. */
  String acs3Credential;

  /** Who made the call, once authenticated. */
  Principal principal;

  /** What the audit event adds to the request parameters about the outcome, or {@code null}. */
  String auditNote;

  ApiRequest(
      String requestId,
      String sourceIp,
      String userAgent,
      Map<String, String> query,
      Map<String, String> form) {
    this.requestId = requestId;
    this.sourceIp = sourceIp;
    this.userAgent = userAgent;
    this.query = query;
    this.form = form;
    this.params = new LinkedHashMap<>(query);
    for (Map.Entry<String, String> e : form.entrySet()) {
      if (params.putIfAbsent(e.getKey(), e.getValue()) != null) {
        throw new InvalidParameterException(
            e.getKey(),
            "The parameter "
                + FormCodec.printable(e.getKey())
                + " is given both in the query string and in the form body.");
      }
    }
  }

  /** The access key id the call says it is signed with, or {@code null}. */
  String accessKeyId() {
    String key = params.get("AccessKeyId");
    return key != null ? key : acs3Credential;
  }

  String account() {
    return principal.accountId();
  }

  /** A parameter, or {@code null} if absent or empty. */
  String optional(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  String required(String name) {
    String v = optional(name);
    if (v == null) {
      throw InvalidParameterException.missing(name);
    }
    return v;
  }

  Boolean bool(String name) {
    String v = optional(name);
    if (v == null) {
      return null;
    }
    if (v.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (v.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    throw new InvalidParameterException(
        name, "The parameter " + name + " must be true or false, not '" + clip(v) + "'.");
  }

  /** A whole number from {@code min} to {@code max}, or {@code null} if absent. */
  Long number(String name, long min, long max) {
    String v = optional(name);
    if (v == null) {
      return null;
    }
    try {
      long n = Long.parseLong(v.strip());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new InvalidParameterException(
        name,
        "The parameter "
            + name
            + " must be a whole number from "
            + min
            + " to "
            + max
            + ", not '"
            + clip(v)
            + "'.");
  }

  /** Refuses parameters that are neither common ones nor among {@code known}. */
  void refuseUnknown(String action, Set<String> known, List<String> knownPrefixes) {
    for (String name : params.keySet()) {
      if (COMMON.contains(name) || known.contains(name)) {
        continue;
      }
      boolean prefixed = false;
      for (String prefix : knownPrefixes) {
        prefixed |= name.startsWith(prefix);
      }
      if (!prefixed) {
        throw new InvalidParameterException(
            "InvalidParameter",
            FormCodec.printable(name),
            "The parameter "
                + FormCodec.printable(name)
                + " is not a parameter of "
                + action
                + " (check its spelling and case).");
      }
    }
  }

  /**
   * The parameters an audit event keeps: every business parameter, none of the signature's, and
   * long values cut short.
   */
  Map<String, Object> auditParameters(Set<String> omitted) {
    Map<String, Object> out = new TreeMap<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("Signature") || k.equals("AccessKeyId") || k.equals("Timestamp")) {
        continue;
      }
      if (out.size() >= 64) {
        break;
      }
      String key = FormCodec.printable(k);
      String v = org.opentrail.api.trail.DestinationSpec.redactSecrets(e.getValue());
      if (org.opentrail.api.trail.DestinationSpec.secretKey(k)) {
        out.put(key, "<redacted>"); // a password (CreateLoginProfile), never recorded
        continue;
      }
      out.put(key, omitted.contains(k) ? "(" + v.length() + " characters)" : clip(v));
    }
    return out;
  }

  static String clip(String v) {
    return v.length() <= 256 ? v : v.substring(0, 256) + "...";
  }
}
