package org.opentrail.console;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.LoginProfiles;
import org.opentrail.api.auth.Principal;

/**
 * Sign-in with a RAM user's console password, as RAM's sign-in name {@code <user>@<account id>};
 * sign-out. Every attempt is recorded ({@link ConsoleAudit#signin}); a name with too many recent
 * failures is locked out ({@link SigninGuard}). The session cookie is HttpOnly, SameSite=Strict,
 * Path=/console, and Secure when the request came over TLS.
 */
final class SigninPage {
  static final String COOKIE = "otc_session";
  private static final Pattern NAME = Pattern.compile("([A-Za-z0-9._@-]{1,64})@([0-9]{12,16})");

  /**
   * The {@code loginAccount} recorded for a sign-in name that is not one, or an access key id that
   * does not exist (as CloudTrail records it): what was typed may be a password or a secret put in
   * the wrong field, and the history is read by others.
   */
  static final String HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

  private final LoginProfiles profiles;
  private final org.opentrail.api.auth.Authenticator keys;
  private final IdentityService identities;
  private final Sessions sessions;
  private final SigninGuard guard;
  private final ConsoleAudit audit;

  SigninPage(
      LoginProfiles profiles,
      org.opentrail.api.auth.Authenticator keys,
      IdentityService identities,
      Sessions sessions,
      SigninGuard guard,
      ConsoleAudit audit) {
    this.profiles = profiles;
    this.keys = keys;
    this.identities = identities;
    this.sessions = sessions;
    this.guard = guard;
    this.audit = audit;
  }

  void form(Call c, String name, OpenTrailException error) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<form method=\"post\" action=\"/console/signin\" class=\"signin\">");
    b.append("<label for=\"name\">Sign-in name (user@account id)</label>");
    b.append("<input id=\"name\" name=\"name\" autocomplete=\"username\" required value=\"")
        .append(Text.esc(name == null ? "" : name))
        .append("\">");
    b.append("<label for=\"password\">Password</label>");
    b.append(
        "<input id=\"password\" name=\"password\" type=\"password\""
            + " autocomplete=\"current-password\" required>");
    if (error != null) {
      b.append(Layout.error("signin-error", error.code(), error.getMessage()));
    }
    b.append("<button type=\"submit\" id=\"signin\">Sign in</button></form>");
    b.append("<details class=\"signin-key\"><summary>Sign in with an access key</summary>")
        .append("<form method=\"post\" action=\"/console/signin\" class=\"signin\">")
        .append("<label for=\"accessKeyId\">AccessKey ID</label>")
        .append("<input id=\"accessKeyId\" name=\"accessKeyId\" autocomplete=\"username\">")
        .append("<label for=\"accessKeySecret\">AccessKey secret</label>")
        .append("<input id=\"accessKeySecret\" name=\"accessKeySecret\" type=\"password\"")
        .append(" autocomplete=\"off\"><button type=\"submit\" id=\"signin-key\">Sign in</button>")
        .append("</form></details>");
    b.append(
        "<p class=\"hint\">An administrator sets a console password with <code>auth:password"
            + " &lt;user&gt;</code> or RAM's CreateLoginProfile.</p>");
    c.html(
        error == null ? 200 : error.httpStatus(),
        Layout.bare("Sign in to OpenTrail", b.toString()));
  }

  void signin(Call c) throws IOException {
    if (c.value("accessKeyId") != null) {
      signinWithKey(
          c, c.value("accessKeyId"), Optional.ofNullable(c.param("accessKeySecret")).orElse(""));
      return;
    }
    String name = Optional.ofNullable(c.value("name")).orElse("");
    String password = Optional.ofNullable(c.param("password")).orElse("");
    Matcher m = NAME.matcher(name);
    String typed = Text.quote(name);
    if (!m.matches()) {
      OpenTrailException e =
          new OpenTrailException(
              "InvalidParameter.SigninName",
              "The sign-in name must be <user name>@<account id>, e.g. alice@1234567890123456.",
              400);
      audit.signin(
          "ConsoleSignin", identities.defaultAccountId(), null, false, HIDDEN, null, c.origin, e);
      form(c, name, e);
      return;
    }
    String user = m.group(1);
    String account = m.group(2);
    String fileUnder =
        identities.accounts().contains(account) ? account : identities.defaultAccountId();
    String key = name.toLowerCase(java.util.Locale.ROOT);
    Instant locked = guard.lockedUntil(key);
    if (locked != null) {
      OpenTrailException e =
          new OpenTrailException(
              "SigninLocked",
              "Too many failed sign-ins of "
                  + typed
                  + ": sign-in is locked until "
                  + locked.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                  + ".",
              429);
      audit.signin("ConsoleSignin", fileUnder, user, false, typed, null, c.origin, e);
      form(c, name, e);
      return;
    }
    Optional<Principal> p = profiles.verify(account, user, password);
    if (p.isEmpty()) {
      guard.failed(key);
      OpenTrailException e =
          new OpenTrailException(
              "InvalidSignin", "The sign-in name or the password is not right.", 401);
      audit.signin("ConsoleSignin", fileUnder, user, false, typed, null, c.origin, e);
      form(c, name, e);
      return;
    }
    guard.succeeded(key);
    if (resetRequired(account, user) && !reset(c, p.get(), name)) {
      return;
    }
    audit.signin("ConsoleSignin", account, user, false, typed, null, c.origin, null);
    start(c, p.get());
  }

  private boolean resetRequired(String account, String user) {
    try {
      return profiles.get(account, user).passwordResetRequired();
    } catch (OpenTrailException e) {
      return false; // deleted meanwhile: the session ends at its first request
    }
  }

  /**
   * RAM's PasswordResetRequired: a user whose login profile requires it chooses a new password
   * (field {@code newPassword}, posted with the sign-in name and current password again) before any
   * session starts; the change is recorded as a {@code ConsoleOperation} {@code
   * UpdateLoginProfile}.
   *
   * @return whether the password was changed; if not, the new-password form has been answered
   */
  private boolean reset(Call c, Principal p, String name) throws IOException {
    String next = c.param("newPassword");
    if (next == null || next.isEmpty()) {
      resetForm(c, name, null);
      return false;
    }
    OpenTrailException error = null;
    try {
      profiles.update(p.accountId(), p.userName(), next, false);
    } catch (OpenTrailException e) {
      error = e;
    }
    audit.operation(
        "ram",
        p,
        "UpdateLoginProfile",
        true,
        "ACS::RAM::User",
        p.userName(),
        java.util.Map.of("UserName", p.userName(), "Password", "<redacted>"),
        c.origin,
        error);
    if (error != null) {
      resetForm(c, name, error);
      return false;
    }
    return true;
  }

  private void resetForm(Call c, String name, OpenTrailException error) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("<form method=\"post\" action=\"/console/signin\" class=\"signin\">")
        .append("<p id=\"reset-required\">An administrator requires you to choose a new password")
        .append(" before you sign in.</p><input type=\"hidden\" name=\"name\" value=\"")
        .append(Text.esc(name))
        .append("\"><label for=\"password\">Current password</label>")
        .append("<input id=\"password\" name=\"password\" type=\"password\"")
        .append(" autocomplete=\"current-password\" required>")
        .append("<label for=\"newPassword\">New password</label>")
        .append("<input id=\"newPassword\" name=\"newPassword\" type=\"password\"")
        .append(" autocomplete=\"new-password\" required>");
    if (error != null) {
      b.append(Layout.error("signin-error", error.code(), error.getMessage()));
    }
    b.append("<button type=\"submit\" id=\"reset\">Set the password and sign in</button></form>");
    c.html(
        error == null ? 200 : error.httpStatus(),
        Layout.bare("Choose a new password", b.toString()));
  }

  /**
   * Sign-in with an access key id and its secret (for the root identity, which has no console
   * password, and for automation); recorded and locked out by the key id, as a password sign-in is
   * by its name.
   */
  private void signinWithKey(Call c, String id, String secret) throws IOException {
    String typed = Text.quote(id);
    String fileUnder = keys.accountOf(id).orElseGet(identities::defaultAccountId);
    String recorded = keys.accountOf(id).isPresent() ? typed : HIDDEN;
    Instant locked = guard.lockedUntil("key:" + id);
    OpenTrailException e = null;
    Optional<Principal> p = Optional.empty();
    if (locked != null) {
      e =
          new OpenTrailException(
              "SigninLocked",
              "Too many failed sign-ins with "
                  + typed
                  + ": sign-in is locked until "
                  + locked.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                  + ".",
              429);
    } else {
      p = keys.verifySecret(id, secret);
      if (p.isEmpty()) {
        guard.failed("key:" + id);
        e =
            new OpenTrailException(
                "InvalidSignin",
                "The access key or its secret is not right, or it is disabled.",
                401);
      }
    }
    String user = p.map(x -> x.userName() == null ? "root" : x.userName()).orElse(null);
    boolean root = p.map(x -> x.type() == Principal.Type.ROOT).orElse(false);
    audit.signin(
        "ConsoleSignin",
        fileUnder,
        user,
        root,
        recorded,
        keys.accountOf(id).isPresent() ? id : null,
        c.origin,
        e);
    if (e != null) {
      form(c, null, e);
      return;
    }
    guard.succeeded("key:" + id);
    start(c, p.get());
  }

  /**
   * Whether the sign-in a session stands for still holds: its user's console password was neither
   * changed nor deleted since, nor the user deleted (a user created again under the name is someone
   * else), and its access key is still there and active. A session that fails this is ended at its
   * next request (OWASP Session Management Cheat Sheet: a credential change ends the sessions made
   * with the old one).
   */
  boolean current(Sessions.Session s) {
    Principal p = s.principal();
    try {
      if (p.accessKeyId() != null) {
        return identities.listAccessKeys(p.accountId(), p.userName()).stream()
            .anyMatch(k -> k.active() && k.accessKeyId().equals(p.accessKeyId()));
      }
      return !profiles.get(p.accountId(), p.userName()).updateDate().isAfter(s.signedIn());
    } catch (OpenTrailException e) {
      return false; // no such account, user or login profile any more
    }
  }

  private void start(Call c, Principal p) {
    Sessions.Session s = sessions.create(p);
    c.resp.addHeader(
        "Set-Cookie",
        COOKIE
            + "="
            + s.id()
            + "; Path=/console; HttpOnly; SameSite=Strict"
            + (c.req.isSecure() ? "; Secure" : ""));
    c.redirect("/history");
  }

  void signout(Call c) {
    sessions.end(c.session.id());
    Principal p = c.principal();
    audit.signin(
        "ConsoleSignout",
        p.accountId(),
        p.userName() == null ? "root" : p.userName(),
        p.type() == Principal.Type.ROOT,
        Layout.who(c),
        p.accessKeyId(),
        c.origin,
        null);
    c.resp.addHeader(
        "Set-Cookie",
        COOKIE
            + "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict"
            + (c.req.isSecure() ? "; Secure" : ""));
    c.redirect("/signin");
  }
}
