package org.opentrail.auth;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** RAM's rules for names and free text, checked where a request enters the identity service. */
final class Validation {
  /** Account ids (Alibaba Cloud's are 16 digits): one rule for every bundle. */
  static final Pattern ACCOUNT_ID = org.opentrail.api.auth.IdentityService.ACCOUNT_ID;

  static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  static final Pattern POLICY_NAME = Pattern.compile("[A-Za-z0-9-]{1,128}");
  static final Pattern ROLE_NAME = Pattern.compile("[A-Za-z0-9.-]{1,64}");
  static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Za-z0-9]{1,64}");
  static final int DISPLAY_NAME_MAX = 128;
  static final int DESCRIPTION_MAX = 1024;
  static final int POLICY_DOCUMENT_MAX_BYTES = 6144;
  static final int TRUST_POLICY_MAX_BYTES = 2048;

  private Validation() {}

  static String accountId(String id) {
    if (id == null || !ACCOUNT_ID.matcher(id).matches()) {
      throw RamErrors.invalid(
          "AccountId", "An account id is 12 to 16 digits, not '" + RamErrors.clip(id) + "'.");
    }
    return id;
  }

  static String userName(String name) {
    return name(name, USER_NAME, "UserName", "1 to 64 letters, digits, '.', '_', '@' and '-'");
  }

  static String policyName(String name) {
    return name(name, POLICY_NAME, "PolicyName", "1 to 128 letters, digits and '-'");
  }

  static String roleName(String name) {
    return name(name, ROLE_NAME, "RoleName", "1 to 64 letters, digits, '.' and '-'");
  }

  static String accessKeyId(String id) {
    if (id == null || !ACCESS_KEY_ID.matcher(id).matches()) {
      throw RamErrors.invalid(
          "UserAccessKeyId", "'" + RamErrors.clip(id) + "' is not an access key id.");
    }
    return id;
  }

  /** An optional display name: {@code null} if absent or empty. */
  static String displayName(String text) {
    return text(text, "DisplayName", DISPLAY_NAME_MAX);
  }

  /** An optional description: {@code null} if absent or empty. */
  static String description(String text) {
    return text(text, "Description", DESCRIPTION_MAX);
  }

  /** A role's trust policy: valid JSON of at most 2048 bytes. */
  static String trustPolicy(String document) {
    if (document == null || document.isBlank()) {
      throw RamErrors.malformedPolicy("the AssumeRolePolicyDocument is empty.");
    }
    int bytes = document.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > TRUST_POLICY_MAX_BYTES) {
      throw RamErrors.malformedPolicy(
          "the AssumeRolePolicyDocument has "
              + bytes
              + " bytes; at most "
              + TRUST_POLICY_MAX_BYTES
              + " are allowed.");
    }
    PolicyDocument.requireJsonObject(document, "AssumeRolePolicyDocument");
    return document;
  }

  private static String name(String name, Pattern p, String parameter, String rule) {
    if (name == null || !p.matcher(name).matches()) {
      throw RamErrors.invalid(
          parameter,
          "The "
              + parameter
              + " '"
              + RamErrors.clip(name)
              + "' is invalid: it must be "
              + rule
              + ".");
    }
    return name;
  }

  private static String text(String text, String parameter, int max) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (text.length() > max) {
      throw RamErrors.invalid(
          parameter,
          "The " + parameter + " has " + text.length() + " characters; at most " + max + ".");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isISOControl(text.charAt(i))) {
        throw RamErrors.invalid(
            parameter, "The " + parameter + " must not contain control characters.");
      }
    }
    return text;
  }
}
