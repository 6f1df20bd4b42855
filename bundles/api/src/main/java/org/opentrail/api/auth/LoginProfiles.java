package org.opentrail.api.auth;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * RAM users' console passwords (RAM's login profiles: CreateLoginProfile, UpdateLoginProfile,
 * GetLoginProfile, DeleteLoginProfile). Passwords are kept only as a salted slow hash
 * (PBKDF2-HMAC-SHA256, NIST SP 800-132; iteration count per OWASP's Password Storage Cheat Sheet)
 * and never logged or shown. The password policy: at least the configured minimum length (8 by
 * default) and at most 128 characters, not the user name. Deleting the user makes their profile
 * unusable.
 *
 * <p>Errors are {@link org.opentrail.api.OpenTrailException}s with RAM's codes: {@code
 * EntityNotExist.User} (404), {@code EntityAlreadyExists.User.LoginProfile} (409), {@code
 * EntityNotExist.User.LoginProfile} (404), {@code InvalidParameter.Password} (400) naming the
 * policy rule broken (never quoting the password).
 *
 * @since 1.3
 */
@ProviderType
public interface LoginProfiles {
  /** Creates a user's login profile. */
  LoginProfile create(
      String accountId, String userName, String password, boolean passwordResetRequired);

  /**
   * Changes a login profile: a new password if {@code password} is not {@code null}, and the reset
   * flag if {@code passwordResetRequired} is not {@code null}.
   */
  LoginProfile update(
      String accountId, String userName, String password, Boolean passwordResetRequired);

  LoginProfile get(String accountId, String userName);

  void delete(String accountId, String userName);

  /**
   * The user, if the password is theirs (the user exists and has a login profile whose password
   * matches). Takes about as long whether or not the user or profile exists.
   *
   * @return the principal signed in (type {@link Principal.Type#USER}, no access key), or empty
   */
  Optional<Principal> verify(String accountId, String userName, String password);
}
