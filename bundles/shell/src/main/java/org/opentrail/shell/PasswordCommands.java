package org.opentrail.shell;

import java.security.SecureRandom;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.auth.LoginProfiles;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code auth:password} and {@code auth:passworddel}: a RAM user's console password (login profile,
 * as RAM's CreateLoginProfile/UpdateLoginProfile). The password is generated here and shown once,
 * never typed on the command line, so that no command line (kept in the shell history and recorded
 * as an operator event) ever holds it.
 */
@Component(
    service = PasswordCommands.class,
    property = {
      "osgi.command.scope=auth",
      "osgi.command.function=password",
      "osgi.command.function=passworddel"
    })
public final class PasswordCommands {
  /** Letters and digits without look-alikes (0/O, 1/l/I). */
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final IdentityService identities;
  private final LoginProfiles profiles;

  @Activate
  public PasswordCommands(
      @Reference IdentityService identities, @Reference LoginProfiles profiles) {
    this.identities = identities;
    this.profiles = profiles;
  }

  @Descriptor(
      "Give a user a new console password (generated, 20 characters, shown only now) to sign in to"
          + " the web console at /console/")
  public String password(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("require the user to change it (recorded in the login profile)")
          @Parameter(
              names = {"-r", "--reset-required"},
              presentValue = "true",
              absentValue = "false")
          boolean reset,
      @Descriptor("the user") String user) {
    String a = account(account);
    String pw = generate(20);
    try {
      profiles.update(a, user, pw, reset);
    } catch (OpenTrailException e) {
      if (!e.code().equals("EntityNotExist.User.LoginProfile")) {
        throw e;
      }
      profiles.create(a, user, pw, reset);
    }
    return "Console password of user "
        + user
        + " in account "
        + a
        + " (shown only now): "
        + pw
        + "\nSign in as "
        + user
        + "@"
        + a;
  }

  @Descriptor("Remove a user's console password (they can no longer sign in to the console)")
  public String passworddel(
      @Descriptor("the account (default: this installation's)")
          @Parameter(
              names = {"-a", "--account"},
              absentValue = "")
          String account,
      @Descriptor("the user") String user) {
    String a = account(account);
    profiles.delete(a, user);
    return "User " + user + " of account " + a + " has no console password any more";
  }

  private String account(String given) {
    return given.isEmpty() ? identities.defaultAccountId() : given;
  }

  static String generate(int length) {
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
