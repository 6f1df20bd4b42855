package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentrail.api.OpenTrailException;

class PolicyDocumentTest {
  static String doc(String statement) {
    return "{\"Version\":\"1\",\"Statement\":[" + statement + "]}";
  }

  static OpenTrailException malformed(String document) {
    OpenTrailException e =
        AuthFixture.fails("MalformedPolicyDocument", 400, () -> PolicyDocument.compile(document));
    assertTrue(e.getMessage().startsWith("The policy document is malformed: "), e.getMessage());
    return e;
  }

  @Test
  void acceptsStringsArraysAndASingleStatement() {
    CompiledPolicy p =
        PolicyDocument.compile(
            doc(
                "{\"Effect\":\"Allow\",\"Action\":[\"actiontrail:Describe*\",\"ram:Get?ser\"],\"Resource\":\"*\"},"
                    + "{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":[\"acs:ActionTrail:*:1:trail/x\"]}"));
    assertEquals(2, p.statements().size());
    assertEquals(
        "[actiontrail:describe*, ram:get?ser]", p.statements().get(0).actions().toString());
    assertEquals("[acs:actiontrail:*:1:trail/x]", p.statements().get(1).resources().toString());
    PolicyDocument.compile(
        "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"ram:*\",\"Resource\":\"*\"},\"Version\":\"1\"}");
  }

  @Test
  void refusesWhatItWouldNotEnforceExactly() {
    String ok = "\"Action\":\"actiontrail:*\",\"Resource\":\"*\"";
    malformed("not json");
    malformed("");
    malformed(null);
    malformed("[]");
    malformed("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\"," + ok + "}]} trailing");
    malformed("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\"," + ok + "}]");
    malformed("{\"Statement\":[{\"Effect\":\"Allow\"," + ok + "}]}");
    assertTrue(
        malformed("{\"Version\":\"2\",\"Statement\":[{\"Effect\":\"Allow\"," + ok + "}]}")
            .getMessage()
            .contains("Version"));
    malformed("{\"Version\":1,\"Statement\":[{\"Effect\":\"Allow\"," + ok + "}]}");
    assertTrue(malformed("{\"Version\":\"1\"}").getMessage().contains("no Statement"));
    malformed("{\"Version\":\"1\",\"Statement\":[]}");
    malformed("{\"Version\":\"1\",\"Statement\":\"x\"}");
    malformed("{\"Version\":\"1\",\"Id\":\"x\",\"Statement\":[{\"Effect\":\"Allow\"," + ok + "}]}");
    malformed(
        "{\"Version\":\"1\",\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\"," + ok + "}]}");
    assertTrue(
        malformed(doc("{\"Effect\":\"allow\"," + ok + "}")).getMessage().contains("Allow or Deny"));
    malformed(doc("{" + ok + "}"));
    assertTrue(
        malformed(doc("{\"Effect\":\"Allow\",\"Resource\":\"*\"}"))
            .getMessage()
            .contains("no Action"));
    assertTrue(
        malformed(doc("{\"Effect\":\"Allow\",\"Action\":\"ram:*\"}"))
            .getMessage()
            .contains("no Resource"));
    malformed(doc("{\"Effect\":\"Allow\",\"Action\":[],\"Resource\":\"*\"}"));
    malformed(doc("{\"Effect\":\"Allow\",\"Action\":\"ListTrails\",\"Resource\":\"*\"}"));
    malformed(
        doc("{\"Effect\":\"Allow\",\"Action\":\"actiontrail:*\",\"Resource\":\"arn:aws:s3:::x\"}"));
    malformed(doc("{\"Effect\":\"Allow\",\"Action\":[1],\"Resource\":\"*\"}"));
    String condition =
        malformed(
                doc(
                    "{\"Effect\":\"Allow\","
                        + ok
                        + ",\"Condition\":{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}}"))
            .getMessage();
    assertTrue(condition.contains("does not evaluate conditions"), condition);
    malformed(doc("{\"Effect\":\"Allow\",\"NotAction\":\"ram:*\",\"Resource\":\"*\"}"));
    malformed(doc("{\"Effect\":\"Allow\"," + ok + ",\"Sid\":\"x\"}"));
    String big =
        doc(
            "{\"Effect\":\"Allow\",\"Action\":["
                + "\"actiontrail:DescribeTrails\",".repeat(250)
                + "\"ram:*\"],\"Resource\":\"*\"}");
    assertTrue(big.length() > 6144);
    assertTrue(malformed(big).getMessage().contains("6144"));
  }

  @Test
  void evaluationOrder() {
    CompiledPolicy allow =
        PolicyDocument.compile(doc("{\"Effect\":\"Allow\",\"Action\":\"a:*\",\"Resource\":\"*\"}"));
    CompiledPolicy deny =
        PolicyDocument.compile(
            doc("{\"Effect\":\"Deny\",\"Action\":\"a:b\",\"Resource\":\"acs:a:*\"}"));
    java.util.List<CompiledPolicy> both = java.util.List.of(allow, deny);
    assertEquals(CompiledPolicy.Decision.DENY, CompiledPolicy.evaluate(both, "a:b", "acs:a:r:1:x"));
    assertEquals(
        CompiledPolicy.Decision.ALLOW, CompiledPolicy.evaluate(both, "a:c", "acs:a:r:1:x"));
    assertEquals(CompiledPolicy.Decision.NONE, CompiledPolicy.evaluate(both, "b:c", "acs:a:r:1:x"));
    assertEquals(
        CompiledPolicy.Decision.NONE, CompiledPolicy.evaluate(java.util.List.of(), "a:c", "x"));
  }
}
