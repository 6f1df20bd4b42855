package org.opentrail.internal.apicommon;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.opentrail.api.auth.Authenticator;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.event.RecordResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files an API call's audit event in the history of the account it concerns: the caller's, else the
 * account of the access key it named (a failed call shows where its key was used), else the default
 * account. Recording never fails the call: a refused or failed recording is logged as an error with
 * the request id.
 */
public final class CallAudit {
  /** What an action name or an access key id looks like, to be trusted into an event. */
  public static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{1,64}");

  private static final Logger LOG = LoggerFactory.getLogger(CallAudit.class);

  private final EventRecorder recorder;
  private final Authenticator authenticator;
  private final IdentityService identities;
  private final String what;

  /**
   * @param what what a call is in the log's words, e.g. {@code request} or {@code Log Service
   *     request}
   */
  public CallAudit(
      EventRecorder recorder,
      Authenticator authenticator,
      IdentityService identities,
      String what) {
    this.recorder = recorder;
    this.authenticator = authenticator;
    this.identities = identities;
    this.what = what;
  }

  /**
   * The account a call concerns.
   *
   * @param caller the authenticated caller, or {@code null}
   * @param namedKey the access key id the call named, or {@code null}
   */
  public String account(Principal caller, String namedKey) {
    if (caller != null) {
      return caller.accountId();
    }
    Optional<String> owner =
        namedKey != null && TOKEN.matcher(namedKey).matches()
            ? authenticator.accountOf(namedKey)
            : Optional.empty();
    return owner.orElseGet(identities::defaultAccountId);
  }

  /** Records the event {@code event} builds in the account the call concerns ({@link #account}). */
  public void record(
      String requestId, Principal caller, String namedKey, Supplier<Map<String, Object>> event) {
    String account = null;
    try {
      account = account(caller, namedKey);
      RecordResult result = recorder.record(account, List.of(Event.of(event.get())));
      if (result.rejected() > 0) {
        LOG.error(
            "The audit event of {} {} was refused: {}",
            what,
            requestId,
            result.outcomes().get(0).errorMessage());
      }
    } catch (RuntimeException e) {
      LOG.error(
          "The audit event of {} {} (account {}) could not be recorded",
          what,
          requestId,
          account,
          e);
    }
  }
}
