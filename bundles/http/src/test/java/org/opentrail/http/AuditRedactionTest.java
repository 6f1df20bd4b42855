package org.opentrail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What the history records of a CreateTrail's Destinations holds no secret. */
class AuditRedactionTest {
  @Test
  void secretConfigValuesAreRedacted() {
    String json =
        "[{\"Id\":\"s3\",\"Type\":\"s3\",\"Config\":{\"bucket\":\"b\",\"secretAccessKey\" : \"x\\\"y\","
            + "\"sessionToken\":\"t\",\"password\":\"p\",\"apiKey\":\"k\",\"user\":\"u\"}}]";
    assertEquals(
        "[{\"Id\":\"s3\",\"Type\":\"s3\",\"Config\":{\"bucket\":\"b\",\"secretAccessKey\" :"
            + " \"<redacted>\",\"sessionToken\":\"<redacted>\",\"password\":\"<redacted>\","
            + "\"apiKey\":\"<redacted>\",\"user\":\"u\"}}]",
        org.opentrail.api.trail.DestinationSpec.redactSecrets(json));
    assertEquals(
        "{\"url\":\"jdbc:postgresql://u:<redacted>@h/db?user=u&password=<redacted>\"}",
        org.opentrail.api.trail.DestinationSpec.redactSecrets(
            "{\"url\":\"jdbc:postgresql://u:pw1@h/db?user=u&password=pw2\"}"));
    assertEquals("not json", org.opentrail.api.trail.DestinationSpec.redactSecrets("not json"));
  }

  @Test
  void escapedKeysAndCredentialsInUrlsAreRedactedToo() {
    // "pass\u0077ord" is the key password once parsed, and is stored sealed
    String escaped =
        "[{\"Type\":\"jdbc\",\"Config\":{\"pass\\u0077ord\":\"Pw0x\",\"user\":\"u\"}}]";
    String r = org.opentrail.api.trail.DestinationSpec.redactSecrets(escaped);
    assertFalse(r.contains("Pw0x"), r);
    // refused for their credentials, but recorded as given: never with the password
    String urls =
        "[{\"Type\":\"jdbc\",\"Config\":{\"url\":\"jdbc:postgresql://h/db?user=u&password=Pw1x\"}},"
            + "{\"Type\":\"opensearch\",\"Config\":{\"endpoint\":"
            + "\"https://elastic:Pw2x@search.example.com:9200\"}},"
            + "{\"Type\":\"jdbc\",\"Config\":{\"url\":\"jdbc:postgresql://u:Pw3x@h/db\"}}]";
    r = org.opentrail.api.trail.DestinationSpec.redactSecrets(urls);
    assertFalse(r.contains("Pw1x") || r.contains("Pw2x") || r.contains("Pw3x"), r);
    assertTrue(r.contains("search.example.com:9200"), r);
  }
}
