package org.opentrail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
