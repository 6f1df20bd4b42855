package org.opentrail.selfaudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which command lines change something, and what of them is never recorded. */
class OperatorCommandsTest {
  @Test
  void changingCommandsAreTheWritesOfEachStatement() {
    assertEquals(
        List.of("auth:grant", "trail:create", "felix:start", "felix:uninstall", "event:record"),
        OperatorCommands.changingCommands(
            "auth:grant; trail:create t1 file:bucket=b; trail:list; start file:/x.jar;"
                + " felix:uninstall 12 | grep x; event:record e.json; event:lookup --since 1h"));
    assertEquals(List.of(), OperatorCommands.changingCommands("trail:status t1; store:status; lb"));
    assertEquals(
        List.of("store:repair"), OperatorCommands.changingCommands("store:repair --from t/d"));
    assertEquals(
        List.of("proof:rotatekey"),
        OperatorCommands.changingCommands("proof:keys --json keys.json; proof:rotatekey -a 123"));
  }

  @Test
  void secretValuesAreRedacted() {
    String r =
        OperatorCommands.redact(
            "cm:put org.opentrail.x api.password=hunter2 endpoint=https://e --token abc user=bob");
    assertFalse(r.contains("hunter2") || r.contains("abc"), r);
    assertEquals(
        "cm:put org.opentrail.x api.password=<redacted> endpoint=https://e --token <redacted>"
            + " user=bob",
        r);
  }

  @Test
  void secretsInsideADestinationAreRedacted() {
    String r =
        OperatorCommands.redact(
            "trail:create t1-trail --start s3:bucket=b,secretAccessKey=AbC/123+x,accessKeyId=AK"
                + " jdbc:url=jdbc:postgresql://h/db,user=u,password=pw,table=t"
                + " opensearch:apiKey=k9");
    assertFalse(r.contains("AbC") || r.contains("pw,") || r.contains("k9"), r);
    assertEquals(
        "trail:create t1-trail --start s3:bucket=b,secretAccessKey=<redacted>,accessKeyId=AK"
            + " jdbc:url=jdbc:postgresql://h/db,user=u,password=<redacted>,table=t"
            + " opensearch:apiKey=<redacted>",
        r);
  }

  @Test
  void secretsInUrlsAreRedacted() {
    String r =
        OperatorCommands.redact(
            "trail:create u1-trail"
                + " 'jdbc:url=jdbc:postgresql://h/db?user=u&password=UrlPw-1,user=u'"
                + " jdbc:url=jdbc:postgresql://u:UrlPw-2@h/db");
    assertFalse(r.contains("UrlPw"), r);
  }

  @Test
  void secretsSpacedFromTheirKeyOrInsideAUrlAreRedacted() {
    // the shell strips the spaces around a destination's key, so this stores secretAccessKey
    String spaced =
        OperatorCommands.redact(
            "trail:create t2-trail \"s3:bucket=b, secretAccessKey = Hunter2x ,accessKeyId=AK\"");
    assertFalse(spaced.contains("Hunter2x"), spaced);
    String glued =
        OperatorCommands.redact("trail:create t3-trail \"s3:bucket=b,secretAccessKey =Hunter2y\"");
    assertFalse(glued.contains("Hunter2y"), glued);
    // a refused URL with credentials is recorded as typed: never its password
    String url =
        OperatorCommands.redact(
            "trail:create t4-trail jdbc:url=jdbc:postgresql://h/db?user=u&password=Pw1x"
                + " opensearch:endpoint=https://elastic:Pw2x@search.example.com:9200");
    assertFalse(url.contains("Pw1x") || url.contains("Pw2x"), url);
    assertTrue(url.contains("search.example.com:9200"), url);
  }
}
