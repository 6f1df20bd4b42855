package org.opentrail.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.auth.AccessKey;
import org.opentrail.api.auth.Policy;
import org.opentrail.api.auth.Role;
import org.opentrail.api.auth.User;
import org.opentrail.auth.AccountState.KeyEntry;
import org.opentrail.auth.AccountState.PolicyEntry;

/**
 * An account's file, {@code <accountId>.json}, with jackson-core's streaming API: users, access
 * keys (secrets sealed, base64), policies, roles and attachments. Reading unseals the secrets and
 * compiles the policies, and refuses a file that is inconsistent rather than guess.
 */
final class AccountCodec {
  static final int FORMAT = 1;
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private AccountCodec() {}

  static byte[] write(AccountState s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeNumberField("format", FORMAT);
      g.writeStringField("accountId", s.accountId);
      g.writeStringField("createDate", s.createDate.toString());
      g.writeArrayFieldStart("users");
      for (User u : s.users.values()) {
        g.writeStartObject();
        g.writeStringField("userName", u.userName());
        g.writeStringField("userId", u.userId());
        optional(g, "displayName", u.displayName());
        g.writeStringField("createDate", u.createDate().toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("accessKeys");
      for (KeyEntry k : s.keys.values()) {
        g.writeStartObject();
        g.writeStringField("accessKeyId", k.key().accessKeyId());
        optional(g, "userName", k.key().userName());
        g.writeBooleanField("active", k.key().active());
        g.writeStringField("createDate", k.key().createDate().toString());
        g.writeStringField("secretIv", B64.encodeToString(k.sealed().iv()));
        g.writeStringField("sealedSecret", B64.encodeToString(k.sealed().data()));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("policies");
      for (PolicyEntry e : s.policies.values()) {
        Policy p = e.policy();
        g.writeStartObject();
        g.writeStringField("policyName", p.policyName());
        optional(g, "description", p.description());
        g.writeStringField("document", p.document());
        g.writeStringField("createDate", p.createDate().toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("roles");
      for (Role r : s.roles.values()) {
        g.writeStartObject();
        g.writeStringField("roleName", r.roleName());
        g.writeStringField("roleId", r.roleId());
        optional(g, "description", r.description());
        g.writeStringField("assumeRolePolicyDocument", r.assumeRolePolicyDocument());
        g.writeStringField("createDate", r.createDate().toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      attachments(g, "userPolicies", s.userPolicies);
      attachments(g, "rolePolicies", s.rolePolicies);
      g.writeArrayFieldStart("entitlements");
      for (String e : s.entitlements) {
        g.writeString(e);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  static AccountState read(byte[] content, SecretCipher cipher) throws IOException {
    Map<String, Object> root;
    try (JsonParser p = JSON.createParser(content)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      root = Values.object(p);
    }
    if (!(root.get("format") instanceof Number n) || n.intValue() != FORMAT) {
      throw new IOException("unknown format " + root.get("format") + " (this version reads 1)");
    }
    Values v = new Values(root, "account");
    String accountId = v.string("accountId");
    Map<String, User> users = new HashMap<>();
    for (Values u : v.objects("users")) {
      User user =
          new User(
              accountId,
              u.string("userName"),
              u.string("userId"),
              u.optional("displayName"),
              u.instant("createDate"));
      users.put(user.userName(), user);
    }
    Map<String, KeyEntry> keys = new LinkedHashMap<>();
    Base64.Decoder b64 = Base64.getDecoder();
    for (Values k : v.objects("accessKeys")) {
      String id = k.string("accessKeyId");
      String owner = k.optional("userName");
      if (owner != null && !users.containsKey(owner)) {
        throw new IOException("access key " + id + " belongs to an unknown user " + owner);
      }
      SealedSecret sealed =
          new SealedSecret(b64.decode(k.string("secretIv")), b64.decode(k.string("sealedSecret")));
      String secret;
      try {
        secret = new String(cipher.open(id, sealed), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IllegalStateException e) {
        throw new IOException(e.getMessage(), e);
      }
      AccessKey key =
          new AccessKey(accountId, owner, id, k.bool("active"), k.instant("createDate"));
      keys.put(id, new KeyEntry(key, sealed, secret));
    }
    Map<String, PolicyEntry> policies = new HashMap<>();
    for (Values p : v.objects("policies")) {
      Policy policy =
          new Policy(
              accountId,
              p.string("policyName"),
              p.optional("description"),
              p.string("document"),
              p.instant("createDate"));
      CompiledPolicy compiled;
      try {
        compiled = PolicyDocument.compile(policy.document());
      } catch (OpenTrailException e) {
        throw new IOException("policy " + policy.policyName() + ": " + e.getMessage(), e);
      }
      policies.put(policy.policyName(), new PolicyEntry(policy, compiled));
    }
    Map<String, Role> roles = new HashMap<>();
    for (Values r : v.objects("roles")) {
      Role role =
          new Role(
              accountId,
              r.string("roleName"),
              r.string("roleId"),
              r.optional("description"),
              r.string("assumeRolePolicyDocument"),
              r.instant("createDate"));
      roles.put(AccountState.roleKey(role.roleName()), role);
    }
    Map<String, Set<String>> userPolicies = v.attachments("userPolicies", users.keySet(), policies);
    Map<String, Set<String>> rolePolicies = v.attachments("rolePolicies", roles.keySet(), policies);
    return new AccountState(
        accountId,
        v.instant("createDate"),
        users,
        keys,
        policies,
        roles,
        userPolicies,
        rolePolicies,
        entitlements(root.get("entitlements")));
  }

  /** The entitlements of an account file; files written before they existed have none. */
  private static Set<String> entitlements(Object value) throws IOException {
    if (value == null) {
      return Set.of();
    }
    if (!(value instanceof List<?> list) || !list.stream().allMatch(e -> e instanceof String)) {
      throw new IOException("entitlements is not a list of names");
    }
    Set<String> out = new java.util.TreeSet<>();
    for (Object e : list) {
      out.add((String) e);
    }
    return out;
  }

  private static void optional(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  private static void attachments(
      JsonGenerator g, String name, Map<String, ? extends Set<String>> m) throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, ? extends Set<String>> e : m.entrySet()) {
      g.writeArrayFieldStart(e.getKey());
      for (String policy : e.getValue()) {
        g.writeString(policy);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** A parsed JSON object with typed, required-unless-said getters. */
  private record Values(Map<String, Object> m, String what) {
    static Map<String, Object> object(JsonParser p) throws IOException {
      Map<String, Object> out = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        out.put(name, value(p, p.nextToken()));
      }
      return out;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
      return switch (t) {
        case START_OBJECT -> object(p);
        case START_ARRAY -> {
          List<Object> list = new ArrayList<>();
          for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            list.add(value(p, e));
          }
          yield list;
        }
        case VALUE_STRING -> p.getText();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
        case VALUE_NULL -> null;
        default -> throw new IOException("unexpected " + t);
      };
    }

    String string(String name) throws IOException {
      if (m.get(name) instanceof String s) {
        return s;
      }
      throw new IOException(what + " has no " + name);
    }

    String optional(String name) throws IOException {
      Object o = m.get(name);
      if (o == null || o instanceof String) {
        return (String) o;
      }
      throw new IOException(what + "'s " + name + " is not a string");
    }

    boolean bool(String name) throws IOException {
      if (m.get(name) instanceof Boolean b) {
        return b;
      }
      throw new IOException(what + " has no " + name + " (true or false)");
    }

    Instant instant(String name) throws IOException {
      try {
        return Instant.parse(string(name));
      } catch (DateTimeParseException e) {
        throw new IOException(what + "'s " + name + " is not a time", e);
      }
    }

    List<Values> objects(String name) throws IOException {
      List<Values> out = new ArrayList<>();
      if (m.get(name) instanceof List<?> list) {
        for (Object o : list) {
          if (!(o instanceof Map<?, ?>)) {
            throw new IOException(what + "'s " + name + " holds something not an object");
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> e = (Map<String, Object>) o;
          out.add(new Values(e, name + " entry"));
        }
        return out;
      }
      throw new IOException(what + " has no " + name);
    }

    Map<String, Set<String>> attachments(
        String name, Set<String> owners, Map<String, PolicyEntry> policies) throws IOException {
      Map<String, Set<String>> out = new HashMap<>();
      if (!(m.get(name) instanceof Map<?, ?> map)) {
        throw new IOException(what + " has no " + name);
      }
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String owner = (String) e.getKey();
        if (!owners.contains(owner) || !(e.getValue() instanceof List<?> list)) {
          throw new IOException(name + " names an unknown owner " + owner);
        }
        Set<String> names = new TreeSet<>();
        for (Object o : list) {
          if (!(o instanceof String s) || !policies.containsKey(s)) {
            throw new IOException(name + " of " + owner + " names an unknown policy " + o);
          }
          names.add(s);
        }
        out.put(owner, names);
      }
      return out;
    }
  }
}
