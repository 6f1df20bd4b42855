package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opentrail.source.minio.Samples.assertAbsent;
import static org.opentrail.source.minio.Samples.at;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.LookupKey;
import org.opentrail.internal.source.PayloadException;
import org.opentrail.internal.source.Translation;

/** Entries in the shapes MinIO's code writes for cases no public sample shows (SOURCES.md). */
class DerivedPayloadsTest {
  @Test
  void temporaryCredentialsAreAnAssumedRoleOfTheirParentUser() {
    Event e = Samples.one("derived-sts-parentuser-claims.json");
    assertEquals(
        Map.of("type", "assumed-role", "userName", "alice", "accessKeyId", "Q3AM3UQ867SPQQA43P2F"),
        e.get("userIdentity"));
    assertEquals("<redacted>", at(e, "requestParameters", "requestHeader", "X-Amz-Security-Token"));
    assertEquals("<redacted>", at(e, "requestParameters", "requestHeader", "Cookie"));
    assertEquals("<redacted>", at(e, "additionalEventData", "requestClaims", "refresh_token"));
    assertEquals("alice", at(e, "additionalEventData", "requestClaims", "parent"));
    assertEquals("Read", e.eventRW());
    assertEquals("Data", e.eventCategory());
  }

  @Test
  void aServiceAccountIsItsParentUsersKey() {
    Event e = Samples.one("derived-service-account.json");
    assertEquals(
        Map.of("type", "ram-user", "userName", "alice", "accessKeyId", "svc-backup-7Q2"),
        e.get("userIdentity"));
    assertEquals("2001:db8::7", e.getString("sourceIpAddress"));
    assertEquals("2025-03-04T10:11:13Z", e.eventTime());
    Map<?, ?> headers = (Map<?, ?>) at(e, "requestParameters", "requestHeader");
    assertEquals("<redacted>", headers.get("X-Amz-Server-Side-Encryption-Customer-Key"));
    assertEquals("c2VjcmV0bWQ1", headers.get("X-Amz-Server-Side-Encryption-Customer-Key-Md5"));
    assertEquals("AES256", headers.get("X-Amz-Server-Side-Encryption-Customer-Algorithm"));
  }

  @Test
  void aRequestWithoutAnyCredentialIsAnonymous() {
    Event e = Samples.one("derived-anonymous-get.json");
    assertEquals(Map.of("type", "anonymous"), e.get("userIdentity"));
    assertEquals(List.of(), LookupKey.USER.valuesOf(e));
    assertEquals(List.of(), LookupKey.EVENT_ACCESS_KEY_ID.valuesOf(e));
  }

  @Test
  void legacySigV2RequestsNameTheirKeyOnlyWhenTheyWereAccepted() {
    Translation t = Samples.translate("derived-legacy-sigv2-presigned.ndjson");
    assertEquals(3, t.events().size());
    Event header = t.events().get(0);
    assertEquals("minio", header.accessKeyId());
    assertEquals(
        "AWS minio:<redacted>", at(header, "requestParameters", "requestHeader", "Authorization"));
    Event presigned = t.events().get(1);
    assertEquals("minio", presigned.accessKeyId());
    assertEquals(
        "requestQuery.AWSAccessKeyId", at(presigned, "additionalEventData", "accessKeyIdFrom"));
    assertEquals("<redacted>", at(presigned, "requestParameters", "requestQuery", "Signature"));
    Event refused = t.events().get(2);
    assertEquals(
        Map.of("type", "unknown"), refused.get("userIdentity"), "mallory was not verified");
    assertEquals("403", refused.getString("errorCode"));
    assertEquals(
        "AWS mallory:<redacted>",
        at(refused, "requestParameters", "requestHeader", "Authorization"));
  }

  @Test
  void adminStsMultiDeleteAndHeadErrors() {
    Translation t = Samples.translate("derived-admin-and-sts.ndjson");
    assertEquals(List.of(), t.skipped());
    List<Event> e = t.events();
    assertEquals(5, e.size());

    Event addUser = e.get(0);
    assertEquals("AddUser", addUser.eventName());
    assertEquals("Write", addUser.eventRW());
    assertEquals("Management", addUser.eventCategory());
    assertNull(addUser.resourceName());
    assertEquals("bob", at(addUser, "requestParameters", "requestQuery", "accessKey"));

    Event sts = e.get(1);
    assertEquals("AssumeRoleWithWebIdentity", sts.eventName());
    assertEquals("Write", sts.eventRW());
    assertEquals("<redacted>", at(sts, "requestParameters", "requestQuery", "WebIdentityToken"));
    assertEquals(Map.of("type", "unknown"), sts.get("userIdentity"));

    Event multi = e.get(2);
    assertEquals("DeleteMultipleObjects", multi.eventName());
    assertEquals("ACS::OSS::Bucket", multi.resourceType());
    assertEquals("logs", multi.resourceName());
    assertEquals(
        List.of("logs/2025/03/01.log", "logs/2025/03/02.log", "logs/2025/03/03.log"),
        at(multi, "referencedResources", "ACS::OSS::Object"));
    assertTrue(LookupKey.RESOURCE_NAME.valuesOf(multi).contains("logs/2025/03/02.log"));

    Event head = e.get(3);
    assertEquals("Read", head.eventRW());
    assertEquals("NoSuchKey", head.getString("errorCode"));
    assertEquals("The specified key does not exist.", head.getString("errorMessage"));

    Event refused = e.get(4);
    assertEquals("403", refused.getString("errorCode"));
    assertEquals("Forbidden", refused.getString("errorMessage"));
    assertNull(refused.accessKeyId());
  }

  @Test
  void whatMinioDoesByItselfGoesToTheInnerTrail() {
    Translation t = Samples.translate("derived-internal.ndjson");
    assertEquals(List.of(), t.events());
    assertEquals(List.of(), t.skipped());
    List<Event> e = t.serviceInternal();
    assertEquals(7, e.size());
    for (Event x : e) {
      assertEquals("AliyunServiceEvent", x.eventType());
      assertEquals(Map.of("type", "system"), x.get("userIdentity"));
    }
    Event replicated = e.get(0);
    assertEquals("ReplicateObject", replicated.eventName());
    assertEquals("Write", replicated.eventRW());
    assertEquals("reports/2025/q1.pdf", replicated.resourceName());
    assertAbsent(replicated, "errorCode");
    assertEquals("COMPLETED", at(replicated, "additionalEventData", "api", "status"));

    Event failed = e.get(1);
    assertEquals("FAILED", failed.getString("errorCode"));
    assertAbsent(failed, "errorMessage");

    Event heal = e.get(2);
    assertEquals("HealObject", heal.eventName(), "no api.name: named by its trigger");
    assertEquals("FAILED", heal.getString("errorCode"));
    assertEquals("unable to heal 2 corrupted blocks on drives", heal.getString("errorMessage"));

    Event scanner = e.get(3);
    assertEquals("Scanner", scanner.eventName());
    assertEquals("Read", scanner.eventRW());

    Event decom = e.get(4);
    assertEquals("DecomCopyData", decom.eventName());
    assertEquals(
        "Storage resources are insufficient for the write operation",
        decom.getString("errorMessage"));

    Event callhome = e.get(5);
    assertEquals("callhome:diagnostics", callhome.eventName());
    assertEquals("Read", callhome.eventRW());
    assertNull(callhome.resourceName());

    Event alert = e.get(6);
    assertEquals("PutObject", alert.eventName());
    assertEquals("Read", alert.eventRW(), "a scanner alert changes nothing");
    assertEquals("scanner:manyversions", at(alert, "additionalEventData", "trigger"));
  }

  @Test
  void serverLogsAndNotificationsPostedHereByMistakeAreRefusedAndSaySo() {
    PayloadException e =
        assertThrows(
            PayloadException.class,
            () -> Samples.TRANSLATOR.translate(Samples.bytes("derived-not-audit.ndjson")));
    assertTrue(e.getMessage().contains("server log entry (logger_webhook)"), e.getMessage());
    assertTrue(e.getMessage().contains("bucket notification (notify_webhook)"), e.getMessage());
  }
}
