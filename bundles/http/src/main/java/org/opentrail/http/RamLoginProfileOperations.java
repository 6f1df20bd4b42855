package org.opentrail.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.auth.LoginProfile;
import org.opentrail.api.auth.LoginProfiles;

/**
 * RAM's login profile operations (API version 2015-05-01), with RAM's parameter and response names:
 * CreateLoginProfile, UpdateLoginProfile, GetLoginProfile and DeleteLoginProfile — a RAM user's
 * console password. The password is never answered or recorded (the audit event shows {@code
 * <redacted>}).
 */
final class RamLoginProfileOperations {
  private static final String USER = "ACS::RAM::User";

  private final LoginProfiles profiles;

  RamLoginProfileOperations(LoginProfiles profiles) {
    this.profiles = profiles;
  }

  List<Operation> operations() {
    return List.of(
        op("CreateLoginProfile")
            .write()
            .parameters("UserName", "Password", "PasswordResetRequired", "MFABindRequired")
            .handler(
                r ->
                    answer(
                        profiles.create(
                            r.account(),
                            r.required("UserName"),
                            r.required("Password"),
                            Boolean.TRUE.equals(bool(r, "PasswordResetRequired"))))),
        op("UpdateLoginProfile")
            .write()
            .parameters("UserName", "Password", "PasswordResetRequired", "MFABindRequired")
            .handler(
                r ->
                    answer(
                        profiles.update(
                            r.account(),
                            r.required("UserName"),
                            r.optional("Password"),
                            bool(r, "PasswordResetRequired")))),
        op("GetLoginProfile")
            .parameters("UserName")
            .handler(r -> answer(profiles.get(r.account(), r.required("UserName")))),
        op("DeleteLoginProfile")
            .write()
            .parameters("UserName")
            .handler(
                r -> {
                  profiles.delete(r.account(), r.required("UserName"));
                  return new LinkedHashMap<>();
                }));
  }

  private static Operation.Builder op(String name) {
    return Operation.of("ram", Operation.RAM_VERSION, name).resource("user", "UserName", USER);
  }

  private static Boolean bool(ApiRequest r, String name) {
    String v = r.optional(name);
    if (v == null) {
      return null;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new InvalidParameterException(
              "InvalidParameter." + name,
              name,
              "The parameter "
                  + name
                  + " must be true or false, not '"
                  + ApiRequest.clip(v)
                  + "'.");
    };
  }

  private static Map<String, Object> answer(LoginProfile p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("UserName", p.userName());
    m.put("PasswordResetRequired", p.passwordResetRequired());
    m.put("MFABindRequired", false);
    m.put("CreateDate", Times.format(p.createDate()));
    m.put("UpdateDate", Times.format(p.updateDate()));
    return Map.of("LoginProfile", m);
  }
}
