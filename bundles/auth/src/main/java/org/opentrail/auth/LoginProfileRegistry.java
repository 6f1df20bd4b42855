package org.opentrail.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.LoginProfile;
import org.opentrail.api.auth.LoginProfiles;
import org.opentrail.api.auth.Principal;
import org.opentrail.api.auth.User;
import org.opentrail.api.event.EventJson;
import org.opentrail.internal.durable.DurableFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link LoginProfiles}, kept durably in {@code <opentrail.data>/auth/login-profiles/profiles.json}
 * (a directory of its own: the identity store reads every JSON file of {@code auth/} as an
 * account): per user the user's id (a user deleted and created again under the same name does not
 * inherit the profile), the password's {@link PasswordHash} and the dates. The file is replaced
 * atomically, owner-only.
 */
@Component(service = LoginProfiles.class, configurationPid = LoginProfileConfig.PID)
@Designate(ocd = LoginProfileConfig.class)
public final class LoginProfileRegistry implements LoginProfiles {
  private static final Logger LOG = LoggerFactory.getLogger(LoginProfileRegistry.class);
  private static final int MAX_PASSWORD = 128;

  private final IdentityService identities;
  private final Path file;
  private final int minLength;
  private final int iterations;
  private final String dummyHash;
  private final Map<String, Map<String, Object>> profiles = new TreeMap<>();

  @Activate
  public LoginProfileRegistry(
      @Reference IdentityService identities, BundleContext context, LoginProfileConfig config)
      throws IOException {
    this(
        identities,
        config.file().isBlank()
            ? AuthPaths.dataDirectory(context)
                .resolve("auth")
                .resolve("login-profiles")
                .resolve("profiles.json")
            : java.nio.file.Paths.get(config.file()),
        config.min_password_length(),
        config.pbkdf2_iterations());
  }

  /** The registry outside OSGi (tests). */
  public LoginProfileRegistry(IdentityService identities, Path file, int minLength, int iterations)
      throws IOException {
    this.identities = identities;
    this.file = file;
    this.minLength = Math.max(8, Math.min(32, minLength));
    this.iterations = Math.max(100_000, iterations);
    this.dummyHash = PasswordHash.hash("not a password", this.iterations);
    if (Files.exists(file)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> all = (Map<String, Object>) EventJson.read(Files.readAllBytes(file));
      for (Map.Entry<String, Object> e : all.entrySet()) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) e.getValue();
        profiles.put(e.getKey(), new LinkedHashMap<>(p));
      }
    }
  }

  @Override
  public synchronized LoginProfile create(
      String accountId, String userName, String password, boolean passwordResetRequired) {
    User u = identities.getUser(accountId, userName);
    String key = key(accountId, userName);
    if (current(key, u) != null) {
      throw RamErrors.alreadyExists("User.LoginProfile", userName);
    }
    checkPolicy(userName, password);
    String now = Instant.now().toString();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("userId", u.userId());
    p.put("hash", PasswordHash.hash(password, iterations));
    p.put("createDate", now);
    p.put("updateDate", now);
    p.put("passwordResetRequired", passwordResetRequired);
    save(key, p);
    LOG.info("Login profile created for user {} of account {}", userName, accountId);
    return profile(accountId, userName, p);
  }

  @Override
  public synchronized LoginProfile update(
      String accountId, String userName, String password, Boolean passwordResetRequired) {
    User u = identities.getUser(accountId, userName);
    String key = key(accountId, userName);
    Map<String, Object> old = current(key, u);
    if (old == null) {
      throw RamErrors.notExist("User.LoginProfile", userName);
    }
    Map<String, Object> p = new LinkedHashMap<>(old);
    if (password != null) {
      checkPolicy(userName, password);
      p.put("hash", PasswordHash.hash(password, iterations));
      p.put("updateDate", Instant.now().toString());
    }
    if (passwordResetRequired != null) {
      p.put("passwordResetRequired", passwordResetRequired);
    }
    save(key, p);
    LOG.info("Login profile of user {} of account {} updated", userName, accountId);
    return profile(accountId, userName, p);
  }

  @Override
  public synchronized LoginProfile get(String accountId, String userName) {
    User u = identities.getUser(accountId, userName);
    Map<String, Object> p = current(key(accountId, userName), u);
    if (p == null) {
      throw RamErrors.notExist("User.LoginProfile", userName);
    }
    return profile(accountId, userName, p);
  }

  @Override
  public synchronized void delete(String accountId, String userName) {
    User u = identities.getUser(accountId, userName);
    String key = key(accountId, userName);
    if (current(key, u) == null) {
      throw RamErrors.notExist("User.LoginProfile", userName);
    }
    save(key, null);
    LOG.info("Login profile of user {} of account {} deleted", userName, accountId);
  }

  @Override
  public Optional<Principal> verify(String accountId, String userName, String password) {
    Map<String, Object> p = null;
    if (accountId != null
        && userName != null
        && IdentityService.ACCOUNT_ID.matcher(accountId).matches()) {
      try {
        User u = identities.getUser(accountId, userName);
        synchronized (this) {
          p = current(key(accountId, userName), u);
        }
      } catch (OpenTrailException e) {
        p = null; // no such account or user: answer as slowly as for a wrong password
      }
    }
    String pw = password == null ? "" : password;
    if (p == null) {
      PasswordHash.matches(pw, dummyHash);
      return Optional.empty();
    }
    return PasswordHash.matches(pw, (String) p.get("hash"))
        ? Optional.of(new Principal(accountId, Principal.Type.USER, userName, null))
        : Optional.empty();
  }

  private void checkPolicy(String userName, String password) {
    if (password == null || password.isEmpty()) {
      throw RamErrors.invalid("Password", "The parameter Password is required.");
    }
    if (password.length() < minLength || password.length() > MAX_PASSWORD) {
      throw RamErrors.invalid(
          "Password",
          "The password must be "
              + minLength
              + " to "
              + MAX_PASSWORD
              + " characters long (password policy).");
    }
    if (password.equalsIgnoreCase(userName)) {
      throw RamErrors.invalid("Password", "The password must not be the user name.");
    }
  }

  /** The stored profile of a user, if it belongs to this user (not a former one of the name). */
  private Map<String, Object> current(String key, User u) {
    Map<String, Object> p = profiles.get(key);
    return p != null && u.userId().equals(p.get("userId")) ? p : null;
  }

  private void save(String key, Map<String, Object> p) {
    Map<String, Map<String, Object>> next = new TreeMap<>(profiles);
    if (p == null) {
      next.remove(key);
    } else {
      next.put(key, p);
    }
    try {
      DurableFiles.createPrivateDirectories(file.getParent());
      DurableFiles.write(file, EventJson.write(next));
    } catch (IOException e) {
      throw RamErrors.storeFailed("login profile", e);
    }
    profiles.clear();
    profiles.putAll(next);
  }

  private static String key(String accountId, String userName) {
    return accountId + "/" + userName;
  }

  private static LoginProfile profile(String accountId, String userName, Map<String, Object> p) {
    return new LoginProfile(
        accountId,
        userName,
        Instant.parse((String) p.get("createDate")),
        Instant.parse((String) p.get("updateDate")),
        Boolean.TRUE.equals(p.get("passwordResetRequired")));
  }
}
