package org.opentrail.auth;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.Authenticator;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.auth.SignedRequest;
import org.opentrail.auth.AccountState.KeyEntry;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link Authenticator}: an ACS3-HMAC-SHA256 {@code Authorization} header, Log Service's {@code
 * Authorization: LOG <id>:<signature>} ({@link LogSignature}, no nonce) or RPC signature 1.0
 * parameters, an active access key whose secret reproduces the signature, a timestamp within the
 * allowed skew, and a nonce not used before by that key. The signature is checked before the nonce
 * is taken, so a forged request cannot use up a genuine client's nonce.
 */
@Component(service = Authenticator.class, configurationPid = AuthConfig.PID)
public final class RequestAuthenticator implements Authenticator {
  private final IdentitySource identities;
  private final Clock clock;
  private volatile long skewMillis;
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(RequestAuthenticator.class);
  private static final long RESTART_GRACE_MILLIS = 2_000;

  private final NonceCache nonces;
  private final Path nonceFile;
  private volatile long notBeforeMillis;
  private volatile String notBeforeWhy = "this server restarted after an unclean stop";

  /**
   * The authenticator with its configuration. Invalid limits are logged as an ERROR naming the PID,
   * key, value and rule, and the defaults used, so that signed requests keep being served.
   */
  @Activate
  public RequestAuthenticator(
      @Reference IdentitySource identities, AuthConfig config, BundleContext context) {
    this(identities, usable(config), Clock.systemUTC(), nonceFile(config, context));
  }

  /**
   * A changed configuration: valid limits apply at once, invalid ones are refused with an ERROR and
   * the current ones kept. A larger clock skew would accept timestamps whose nonces were already
   * forgotten under the smaller one: requests signed before the change minus the old skew are
   * refused, so none can be replayed.
   */
  @Modified
  void modified(AuthConfig config) {
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      for (String p : problems) {
        LOG.error(
            "Configuration {}: {}; the change is refused and the current settings are kept",
            AuthConfig.PID,
            p);
      }
      return;
    }
    long next = Duration.ofMinutes(config.max_clock_skew_minutes()).toMillis();
    if (next > skewMillis) {
      long notBefore = clock.millis() - skewMillis;
      if (notBefore > notBeforeMillis) {
        notBeforeWhy = "the allowed clock skew was raised";
        notBeforeMillis = notBefore;
      }
    }
    nonces.limits(config.max_clock_skew_minutes(), config.nonce_cache_max_entries());
    skewMillis = next;
    LOG.info("Configuration {} applied to request signatures", AuthConfig.PID);
  }

  /** The allowed clock skew in force, in minutes (tests). */
  long skewMinutes() {
    return skewMillis / 60_000;
  }

  /** What is wrong with the signature limits of a configuration, one line per value. */
  static List<String> problems(AuthConfig config) {
    List<String> out = new ArrayList<>();
    int skew = config.max_clock_skew_minutes();
    if (skew < 1 || skew > 60) {
      out.add("max.clock.skew.minutes=" + skew + " is refused: it must be from 1 to 60");
    }
    int max = config.nonce_cache_max_entries();
    if (max < 1_000 || max > 100_000_000) {
      out.add("nonce.cache.max.entries=" + max + " is refused: it must be from 1000 to 100000000");
    }
    return out;
  }

  /** The configuration if its limits are valid, else the defaults (with an ERROR per value). */
  private static AuthConfig usable(AuthConfig config) {
    List<String> problems = problems(config);
    if (problems.isEmpty()) {
      return config;
    }
    for (String p : problems) {
      LOG.error(
          "Configuration {}: {}; the defaults are used until it is corrected", AuthConfig.PID, p);
    }
    return (AuthConfig)
        java.lang.reflect.Proxy.newProxyInstance(
            AuthConfig.class.getClassLoader(),
            new Class<?>[] {AuthConfig.class},
            (proxy, m, args) ->
                switch (m.getName()) {
                  case "max_clock_skew_minutes", "nonce_cache_max_entries" -> m.getDefaultValue();
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> m.invoke(config, args);
                });
  }

  /** An authenticator with its own clock (tests), remembering no nonces across restarts. */
  public RequestAuthenticator(IdentitySource identities, AuthConfig config, Clock clock) {
    this(identities, config, clock, null);
  }

  /**
   * @param nonceFile where a clean stop leaves the nonces for the next start, or {@code null}
   */
  RequestAuthenticator(IdentitySource identities, AuthConfig config, Clock clock, Path nonceFile) {
    int skew = config.max_clock_skew_minutes();
    List<String> problems = problems(config);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Configuration " + AuthConfig.PID + ": " + String.join("; ", problems));
    }
    this.identities = identities;
    this.clock = clock;
    this.skewMillis = Duration.ofMinutes(skew).toMillis();
    this.nonceFile = nonceFile;
    NonceCache saved =
        nonceFile == null
            ? null
            : NonceCache.load(nonceFile, skew, config.nonce_cache_max_entries());
    this.nonces = saved != null ? saved : new NonceCache(skew, config.nonce_cache_max_entries());
    // after a crash (or at the first start) the nonces of requests signed earlier are unknown:
    // refuse those requests rather than let them be replayed
    this.notBeforeMillis =
        saved != null || nonceFile == null ? Long.MIN_VALUE : clock.millis() - RESTART_GRACE_MILLIS;
    if (saved == null && nonceFile != null) {
      LOG.info(
          "No nonces saved by a clean stop: requests signed before {} are refused",
          java.time.Instant.ofEpochMilli(notBeforeMillis));
    }
  }

  @Deactivate
  void deactivate() {
    if (nonceFile != null) {
      try {
        nonces.save(nonceFile);
      } catch (java.io.IOException e) {
        LOG.warn("Could not save the signature nonces to {}: {}", nonceFile, e.toString());
      }
    }
  }

  private static Path nonceFile(AuthConfig config, BundleContext context) {
    return AuthPaths.of(config, context).directory().resolve("nonces.bin");
  }

  @Override
  public Principal authenticate(SignedRequest request) {
    if (LogSignature.appliesTo(request)) {
      return authenticateLog(LogSignature.of(request));
    }
    SignatureClaim claim =
        Acs3Signature.appliesTo(request) ? Acs3Signature.of(request) : RpcSignature.of(request);
    KeyEntry key = identities.snapshot().key(claim.accessKeyId());
    if (key == null) {
      throw new OpenTrailException(
          "InvalidAccessKeyId.NotFound",
          "Specified access key is not found: " + RamErrors.clip(claim.accessKeyId()),
          404);
    }
    if (!key.key().active()) {
      throw new OpenTrailException(
          "InvalidAccessKeyId.Inactive",
          "Specified access key is disabled: " + claim.accessKeyId(),
          400);
    }
    if (!claim.verify(key.secret())) {
      throw Signing.mismatch(claim.stringToSign());
    }
    checkTime(claim, "InvalidTimeStamp.Expired");
    if (!nonces.consume(
        claim.accessKeyId(), claim.nonce(), claim.timestamp().toEpochMilli(), clock.millis())) {
      throw new OpenTrailException(
          "SignatureNonceUsed", "Specified signature nonce was used already.", 400);
    }
    return principal(key);
  }

  /** Log Service's scheme, answered with Log Service's error codes; it has no nonce. */
  private Principal authenticateLog(LogSignature claim) {
    KeyEntry key = identities.snapshot().key(claim.accessKeyId());
    if (key == null || !key.key().active()) {
      throw new OpenTrailException(
          "InvalidAccessKeyId",
          "The AccessKeyId "
              + RamErrors.clip(claim.accessKeyId())
              + (key == null ? " does not exist." : " is disabled."),
          401);
    }
    if (!claim.verify(key.secret())) {
      throw new OpenTrailException(
          "SignatureNotMatch",
          "The request signature does not match; the server's string to sign is: "
              + claim.stringToSign(),
          401);
    }
    checkTime(claim, "RequestTimeExpired");
    return principal(key);
  }

  private void checkTime(SignatureClaim claim, String code) {
    long now = clock.millis();
    long ts = claim.timestamp().toEpochMilli();
    if (Math.abs(now - ts) > skewMillis) {
      throw new OpenTrailException(
          code,
          "Specified time stamp or date value is expired: "
              + claim.timestamp()
              + " is more than "
              + skewMillis / 60_000
              + " minutes from this server's time "
              + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              + ".",
          400);
    }
    if (ts < notBeforeMillis) {
      throw new OpenTrailException(
          code,
          "Specified time stamp "
              + claim.timestamp()
              + " is before "
              + notBeforeWhy
              + ", when the nonces of earlier requests were lost; sign the request again.",
          400);
    }
  }

  private static Principal principal(KeyEntry key) {
    String user = key.key().userName();
    return new Principal(
        key.key().accountId(),
        user == null ? Principal.Type.ROOT : Principal.Type.USER,
        user,
        key.key().accessKeyId());
  }

  @Override
  public Optional<String> accountOf(String accessKeyId) {
    KeyEntry k = identities.snapshot().key(accessKeyId);
    return k == null ? Optional.empty() : Optional.of(k.key().accountId());
  }

  /** How many nonces are remembered now. */
  long rememberedNonces() {
    return nonces.size();
  }
}
