package org.opentrail.http;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.query.LookupRequest;

/**
 * ListPublicKeys, as CloudTrail's: the caller's account's digest signing public keys that were
 * valid at any time from {@code StartTime} to {@code EndTime} (ISO-8601, as LookupEvents reads
 * them; each defaults to now, so without either the answer is the key signing now), oldest first.
 * The answer is {@code PublicKeyList}: {@code [{"Fingerprint" (SHA-256 hex of Value), "Value"
 * (base64 X.509 DER), "ValidityStartTime", "ValidityEndTime" (null while current)}]}, the shape the
 * offline verifier reads (docs/PROOF.md). Authorized as {@code actiontrail:ListPublicKeys} on the
 * whole account. Keys are rotated by the operator only ({@code proof:rotate-key}), never over HTTP.
 */
final class ProofOperations {
  private final SigningKeys keys;
  private final Clock clock;

  ProofOperations(SigningKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  List<Operation> operations() {
    return List.of(
        Operation.of("actiontrail", Operation.ACTIONTRAIL_VERSION, "ListPublicKeys")
            .parameters("StartTime", "EndTime")
            .handler(this::list));
  }

  private Map<String, Object> list(ApiRequest r) {
    Instant now = clock.instant();
    String startText = r.optional("StartTime");
    String endText = r.optional("EndTime");
    Instant start = startText == null ? now : LookupRequest.parseTime("StartTime", startText);
    Instant end = endText == null ? now : LookupRequest.parseTime("EndTime", endText);
    if (start.isAfter(end)) {
      throw new InvalidParameterException(
          "StartTime",
          "The parameter StartTime ("
              + Times.format(start)
              + ") must not be after EndTime ("
              + Times.format(end)
              + (endText == null ? ", now" : "")
              + ").");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("PublicKeyList", publicKeyList(keys.publicKeys(r.account(), start, end)));
    return m;
  }

  /** The keys as ListPublicKeys lists them. */
  static List<Object> publicKeyList(List<PublicKeyInfo> keys) {
    List<Object> out = new ArrayList<>();
    for (PublicKeyInfo k : keys) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Fingerprint", k.fingerprint());
      m.put("Value", Base64.getEncoder().encodeToString(k.value()));
      m.put("ValidityStartTime", Times.format(k.validityStart()));
      m.put("ValidityEndTime", Times.format(k.validityEnd()));
      out.add(m);
    }
    return out;
  }
}
