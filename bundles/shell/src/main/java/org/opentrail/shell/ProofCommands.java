package org.opentrail.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.proof.PublicKeyInfo;
import org.opentrail.api.proof.SigningKeys;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code proof:keys} and {@code proof:rotatekey}: each account's digest signing keys (Ed25519),
 * with which OpenTrail signs the digests that prove its history and deliveries unaltered
 * (docs/PROOF.md). {@code proof:keys --json FILE} saves the public keys in the shape of
 * ListPublicKeys' answer, {@code {"PublicKeyList": [{"Fingerprint", "Value", "ValidityStartTime",
 * "ValidityEndTime"}]}}, which the offline verifier reads. Rotation is the operator's alone: the
 * API only lists keys.
 */
@Component(
    service = ProofCommands.class,
    property = {
      "osgi.command.scope=proof",
      "osgi.command.function=keys",
      "osgi.command.function=rotatekey"
    })
public final class ProofCommands {
  private final SigningKeys keys;
  private final IdentityService identities;

  @Activate
  public ProofCommands(@Reference SigningKeys keys, @Reference IdentityService identities) {
    this.keys = keys;
    this.identities = identities;
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  @Descriptor(
      "List the account's digest signing keys, oldest first: fingerprint (SHA-256 of the public"
          + " key), algorithm and validity; every key ever used stays listed")
  public String keys(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor(
              "only keys valid since then: a duration back from now (90s, 30m, 1h, 7d) or an"
                  + " ISO-8601 time such as 2026-03-01T00:00:00Z (default: every key)")
          @Parameter(
              names = {"--since"},
              absentValue = "")
          String since,
      @Descriptor(
              "also write the public keys to this file as ListPublicKeys answers them"
                  + " ({\"PublicKeyList\": [...]}), for the offline verifier")
          @Parameter(
              names = {"--json"},
              absentValue = "")
          String json) {
    String a = account(account);
    Instant from = since.isEmpty() ? null : since(since, Instant.now());
    List<PublicKeyInfo> list = keys.publicKeys(a, from, null);
    StringBuilder out = new StringBuilder();
    if (list.isEmpty()) {
      out.append("Account ")
          .append(a)
          .append(
              from == null
                  ? " has no signing key yet: its first is made when it first signs a digest, or"
                      + " by proof:rotatekey"
                  : " has no signing key valid since " + from);
    } else {
      Table t = new Table(70, "FINGERPRINT", "ALGORITHM", "VALID FROM", "VALID UNTIL");
      for (PublicKeyInfo k : list) {
        t.row(
            k.fingerprint(),
            k.algorithm(),
            seconds(k.validityStart()),
            k.validityEnd() == null ? "(current)" : seconds(k.validityEnd()));
      }
      out.append(t.toString().stripTrailing());
    }
    if (!json.isEmpty()) {
      Path file = Paths.get(json).toAbsolutePath();
      try {
        Files.writeString(file, publicKeyList(list) + "\n", StandardCharsets.UTF_8);
      } catch (java.nio.file.NoSuchFileException e) {
        throw new UncheckedIOException(
            "Cannot write " + file + ": its directory " + file.getParent() + " does not exist", e);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + file + ": " + e, e);
      }
      out.append("\nWrote ")
          .append(list.size())
          .append(list.size() == 1 ? " public key to " : " public keys to ")
          .append(file);
    }
    return out.toString();
  }

  @Descriptor(
      "End the account's current digest signing key now and sign with a new one from now on; the"
          + " old public key stays listed, so what it signed still verifies")
  public String rotatekey(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account) {
    String a = account(account);
    PublicKeyInfo current = keys.rotate(a);
    List<PublicKeyInfo> all = keys.publicKeys(a, null, null);
    StringBuilder b = new StringBuilder("Signing key of account ").append(a).append(" rotated");
    if (all.size() > 1) {
      PublicKeyInfo ended = all.get(all.size() - 2);
      b.append("\nEnded:   ")
          .append(ended.fingerprint())
          .append(" (valid ")
          .append(seconds(ended.validityStart()))
          .append(" to ")
          .append(seconds(ended.validityEnd()))
          .append(")");
    }
    return b.append("\nCurrent: ")
        .append(current.fingerprint())
        .append(" (valid from ")
        .append(seconds(current.validityStart()))
        .append(")")
        .toString();
  }

  /** The JSON of ListPublicKeys' answer without its RequestId, indented. */
  static String publicKeyList(List<PublicKeyInfo> keys) {
    List<Object> list = new ArrayList<>();
    for (PublicKeyInfo k : keys) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("Fingerprint", k.fingerprint());
      m.put("Value", Base64.getEncoder().encodeToString(k.value()));
      m.put("ValidityStartTime", seconds(k.validityStart()));
      m.put("ValidityEndTime", k.validityEnd() == null ? null : seconds(k.validityEnd()));
      list.add(m);
    }
    return EventJson.toPrettyString(Map.of("PublicKeyList", list));
  }

  /**
   * {@code --since}: a duration back from {@code now}, or an ISO-8601 time with its offset.
   *
   * @throws IllegalArgumentException for anything else, or a time after {@code now}
   */
  static Instant since(String value, Instant now) {
    try {
      return now.minus(Durations.parse("--since", value));
    } catch (IllegalArgumentException notADuration) {
      Instant t;
      try {
        t = Durations.time("--since", value);
      } catch (IllegalArgumentException notATime) {
        throw new IllegalArgumentException(
            "--since takes a duration such as 90s, 30m, 1h or 7d, or an ISO-8601 time such as"
                + " 2026-03-01T00:00:00Z, not '"
                + value
                + "'");
      }
      if (t.isAfter(now)) {
        throw new IllegalArgumentException("--since " + value + " is in the future");
      }
      return t;
    }
  }

  /** ISO-8601 UTC to the second, as the API writes times. */
  private static String seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
