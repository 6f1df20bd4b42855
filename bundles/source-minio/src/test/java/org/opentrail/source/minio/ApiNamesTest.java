package org.opentrail.source.minio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiNamesTest {
  static boolean read(String name) {
    return (ApiNames.kind(name) & ApiNames.READ) != 0;
  }

  static boolean data(String name) {
    return (ApiNames.kind(name) & ApiNames.DATA) != 0;
  }

  @Test
  void theIssuesRuleHoldsForEveryNameInTheTable() {
    for (String n : ApiNames.names()) {
      if (n.startsWith("Get") || n.startsWith("Head") || n.startsWith("List")) {
        assertTrue(read(n), n + " must be a read");
      }
      for (String w :
          List.of(
              "Put",
              "Delete",
              "Copy",
              "Create",
              "Complete",
              "Abort",
              "Upload",
              "Restore",
              "Add",
              "Remove",
              "Set",
              "Update",
              "New",
              "Assume",
              "Import",
              "Start")) {
        if (n.startsWith(w)) {
          assertTrue(!read(n), n + " must be a write");
        }
      }
    }
    assertTrue(read("SelectObject"));
    assertTrue(read("SelectObjectContent"));
  }

  @Test
  void everyNameMinioLogsForS3IsInTheTable() {
    // cmd/*.go newContext(r, w, "<Name>") at minio/minio 7aac2a2c (2026-02-12)
    for (String n :
        ("AbortMultipartUpload CompleteMultipartUpload CopyObject CopyObjectPart DeleteBucket"
                + " DeleteBucketCors DeleteBucketEncryption DeleteBucketLifecycle DeleteBucketPolicy"
                + " DeleteBucketReplicationConfig DeleteBucketTagging DeleteMultipleObjects"
                + " DeleteObject DeleteObjectTagging GetBucketACL GetBucketAccelerate GetBucketCors"
                + " GetBucketEncryption GetBucketLifecycle GetBucketLocation GetBucketLogging"
                + " GetBucketNotification GetBucketObjectLockConfig GetBucketPolicy"
                + " GetBucketPolicyStatus GetBucketReplicationConfig GetBucketReplicationMetrics"
                + " GetBucketReplicationMetricsV2 GetBucketRequestPayment GetBucketTagging"
                + " GetBucketVersioning GetBucketWebsite GetObject GetObjectACL GetObjectAttributes"
                + " GetObjectLambda GetObjectLegalHold GetObjectRetention GetObjectTagging"
                + " GetReplicationMRF HeadBucket HeadObject KMSAPIs KMSCreateKey KMSKeyStatus"
                + " KMSListKeys KMSMetrics KMSStatus KMSVersion ListBuckets ListMultipartUploads"
                + " ListObjectParts ListObjectVersions ListObjectsV1 ListObjectsV2 ListObjectsV2M"
                + " ListenNotification NewMultipartUpload PostPolicyBucket PostRestoreObject"
                + " PutBucket PutBucketACL PutBucketCors PutBucketEncryption PutBucketLifecycle"
                + " PutBucketNotification PutBucketObjectLockConfig PutBucketPolicy"
                + " PutBucketReplicationConfig PutBucketTagging PutBucketVersioning PutObject"
                + " PutObjectACL PutObjectExtract PutObjectLegalHold PutObjectPart"
                + " PutObjectRetention PutObjectTagging ResetBucketReplicationStart"
                + " ResetBucketReplicationStatus SelectObject SiteReplicationUploadForwarding"
                + " ValidateBucketReplicationCreds AssumeRole AssumeRoleWithWebIdentity"
                + " AssumeRoleWithClientGrants AssumeRoleWithLDAPIdentity AssumeRoleWithCertificate"
                + " AssumeRoleWithCustomToken ClusterCheckHandler ClusterReadCheckHandler DevNull"
                + " DownloadProfiling ILMExpiry ILMFreeVersionDelete ILMTransition ReplicateObject"
                + " ReplicateDelete Scanner DecomCopyData DecomCopyDeleteMarker DecomDeleteObject"
                + " RebalanceCopyData Rebalance:DeleteMarker Rebalance:DeleteObject")
            .split(" ")) {
      assertTrue(ApiNames.known(n), n);
    }
  }

  @Test
  void objectOperationsAreDataTheRestManagement() {
    for (String n :
        List.of(
            "GetObject",
            "PutObject",
            "DeleteMultipleObjects",
            "ListObjectsV2",
            "HeadObject",
            "CompleteMultipartUpload",
            "SelectObject",
            "ILMExpiry",
            "ReplicateObject")) {
      assertTrue(data(n), n);
    }
    for (String n :
        List.of(
            "ListBuckets",
            "PutBucketPolicy",
            "HeadBucket",
            "AddUser",
            "AssumeRole",
            "ServerInfo",
            "Scanner")) {
      assertTrue(!data(n), n);
    }
  }

  @Test
  void namesNotInTheTableFollowTheirVerb() {
    assertEquals(ApiNames.READ, ApiNames.kind("GetBucketIntelligentTiering"));
    assertEquals(ApiNames.READ, ApiNames.kind("ListSomethingNew"));
    assertEquals(ApiNames.WRITE, ApiNames.kind("FrobnicateBucket"));
    assertEquals(ApiNames.READ, ApiNames.kind("ServerInfoHandler"), "Handler suffix dropped");
    assertEquals(ApiNames.WRITE, ApiNames.kind("SetConfigHandler"));
  }
}
