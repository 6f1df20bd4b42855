package org.opentrail.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.opentrail.api.OpenTrailException;

/**
 * Checks a policy document and compiles it: {@code {"Version": "1", "Statement": [{"Effect":
 * "Allow"|"Deny", "Action": ..., "Resource": ...}]}}, Action and Resource a string or an array of
 * strings. Anything OpenTrail would not enforce exactly as written is refused rather than half
 * applied: {@code Condition}, {@code NotAction}, {@code NotResource}, unknown keys.
 */
final class PolicyDocument {
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_.-]+");

  private PolicyDocument() {}

  /**
   * The compiled document.
   *
   * @throws OpenTrailException {@code MalformedPolicyDocument} (400) saying what is wrong
   */
  static CompiledPolicy compile(String document) {
    if (document == null || document.isBlank()) {
      throw RamErrors.malformedPolicy("it is empty.");
    }
    int bytes = document.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Validation.POLICY_DOCUMENT_MAX_BYTES) {
      throw RamErrors.malformedPolicy(
          "it has " + bytes + " bytes; at most " + Validation.POLICY_DOCUMENT_MAX_BYTES + ".");
    }
    try (JsonParser p = JSON.createParser(document)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw RamErrors.malformedPolicy("it is not a JSON object.");
      }
      String version = null;
      List<CompiledPolicy.Statement> statements = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        switch (key) {
          case "Version" -> version = string(p, "Version");
          case "Statement" -> statements = statements(p);
          default -> throw RamErrors.malformedPolicy("unknown key '" + RamErrors.clip(key) + "'.");
        }
      }
      if (p.nextToken() != null) {
        throw RamErrors.malformedPolicy("there is more after the JSON object.");
      }
      if (!"1".equals(version)) {
        throw RamErrors.malformedPolicy(
            version == null
                ? "the Version is missing (it must be \"1\")."
                : "the Version must be \"1\", not \"" + RamErrors.clip(version) + "\".");
      }
      if (statements == null || statements.isEmpty()) {
        throw RamErrors.malformedPolicy("it has no Statement.");
      }
      return new CompiledPolicy(statements);
    } catch (JsonProcessingException e) {
      throw RamErrors.malformedPolicy("it is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw RamErrors.malformedPolicy("it cannot be read: " + e.getMessage());
    }
  }

  /** Checks that {@code document} is one JSON object (a trust policy, which is only kept). */
  static void requireJsonObject(String document, String what) {
    try (JsonParser p = JSON.createParser(document)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw RamErrors.malformedPolicy("the " + what + " is not a JSON object.");
      }
      p.skipChildren();
      if (p.nextToken() != null) {
        throw RamErrors.malformedPolicy("there is more after the " + what + "'s JSON object.");
      }
    } catch (JsonProcessingException e) {
      throw RamErrors.malformedPolicy(
          "the " + what + " is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw RamErrors.malformedPolicy("the " + what + " cannot be read: " + e.getMessage());
    }
  }

  private static List<CompiledPolicy.Statement> statements(JsonParser p) throws IOException {
    List<CompiledPolicy.Statement> out = new ArrayList<>();
    if (p.currentToken() == JsonToken.START_OBJECT) {
      out.add(statement(p, 1));
      return out;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      throw RamErrors.malformedPolicy("the Statement must be an array of statements.");
    }
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw RamErrors.malformedPolicy("statement " + (out.size() + 1) + " is not an object.");
      }
      out.add(statement(p, out.size() + 1));
    }
    return out;
  }

  private static CompiledPolicy.Statement statement(JsonParser p, int n) throws IOException {
    String effect = null;
    List<Wildcard> actions = null;
    List<Wildcard> resources = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      switch (key) {
        case "Effect" -> effect = string(p, "Effect of statement " + n);
        case "Action" -> actions = patterns(p, "Action", n);
        case "Resource" -> resources = patterns(p, "Resource", n);
        case "Condition" ->
            throw RamErrors.malformedPolicy(
                "statement "
                    + n
                    + " has a Condition; OpenTrail does not evaluate conditions, so it refuses the"
                    + " policy rather than apply it without them.");
        case "NotAction", "NotResource", "Principal" ->
            throw RamErrors.malformedPolicy(
                "statement " + n + " has " + key + ", which OpenTrail does not support.");
        default ->
            throw RamErrors.malformedPolicy(
                "statement " + n + " has an unknown key '" + RamErrors.clip(key) + "'.");
      }
    }
    if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
      throw RamErrors.malformedPolicy(
          effect == null
              ? "statement " + n + " has no Effect (Allow or Deny)."
              : "the Effect of statement "
                  + n
                  + " must be Allow or Deny, not \""
                  + RamErrors.clip(effect)
                  + "\".");
    }
    if (actions == null) {
      throw RamErrors.malformedPolicy("statement " + n + " has no Action.");
    }
    if (resources == null) {
      throw RamErrors.malformedPolicy("statement " + n + " has no Resource.");
    }
    return new CompiledPolicy.Statement("Allow".equals(effect), actions, resources);
  }

  private static List<Wildcard> patterns(JsonParser p, String key, int n) throws IOException {
    List<String> values = new ArrayList<>();
    String what = key + " of statement " + n;
    if (p.currentToken() == JsonToken.START_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) {
        values.add(string(p, what));
      }
    } else {
      values.add(string(p, what));
    }
    if (values.isEmpty()) {
      throw RamErrors.malformedPolicy("the " + what + " is empty.");
    }
    List<Wildcard> out = new ArrayList<>(values.size());
    for (String v : values) {
      if (key.equals("Action")) {
        if (!ACTION.matcher(v).matches()) {
          throw RamErrors.malformedPolicy(
              "'" + RamErrors.clip(v) + "' in the " + what + " is not service:Action or *.");
        }
        out.add(new Wildcard(v.toLowerCase(Locale.ROOT)));
      } else {
        if (!v.equals("*") && !v.startsWith("acs:") || hasControl(v)) {
          throw RamErrors.malformedPolicy(
              "'" + RamErrors.clip(v) + "' in the " + what + " is not acs:... or *.");
        }
        out.add(new Wildcard(Arns.normalize(v)));
      }
    }
    return out;
  }

  private static String string(JsonParser p, String what) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw RamErrors.malformedPolicy("the " + what + " must be a string.");
    }
    return p.getText();
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
