package org.opentrail.source.minio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each MinIO API name ({@code api.name} of an audit entry) reads or writes, and whether it
 * works on objects (ActionTrail's {@code Data} category) or on buckets, the deployment, identities
 * and configuration ({@code Management}).
 *
 * <p>The names are those MinIO puts in {@code api.name}, collected from its source (github.com/
 * minio/minio, 2019 to 2026): the S3 handlers' {@code newContext(r, w, "<Name>")}, the admin
 * handlers' method names without {@code Handler} ({@code adminMiddleware} takes them by reflection
 * through {@code getHandlerName}), the STS actions, the browser handlers of releases before 2021
 * ({@code Web*}), health checks, KMS, and the names of service-internal entries ({@code
 * auditLogInternal}: lifecycle, replication, decommission, rebalance, scanner).
 *
 * <p>Read means the operation changes nothing (its answer is information); everything that changes
 * data, configuration, identities or credentials, or that makes the deployment do work (healing,
 * speed tests, profiling, restarts), is Write. Names not in the table: a trailing {@code Handler}
 * is dropped and the table asked again; else names starting {@code Get, Head, List, Describe, Info,
 * Stat, Status, Download, Export} are Read, the rest Write (a write-filtered trail then never
 * misses an operation this table does not know yet), and all are Management.
 */
final class ApiNames {
  static final int WRITE = 0;
  static final int READ = 1;
  static final int DATA = 2;

  private static final Map<String, Integer> TABLE = new HashMap<>(512);
  private static final List<String> NAMES;

  static {
    put(
        READ | DATA,
        "GetObject GetObjectACL GetObjectAttributes GetObjectLambda GetObjectLegalHold"
            + " GetObjectRetention GetObjectTagging HeadObject ListObjectsV1 ListObjectsV2"
            + " ListObjectsV2M ListObjectVersions ListObjectVersionsM ListBucketObjectVersions"
            + " ListMultipartUploads ListObjectParts SelectObject SelectObjectContent WebDownload"
            + " WebDownloadZip WebListObjects WebPresignedGet");
    put(
        WRITE | DATA,
        "PutObject PutObjectPart CopyObject CopyObjectPart NewMultipartUpload"
            + " CompleteMultipartUpload AbortMultipartUpload DeleteObject DeleteMultipleObjects"
            + " PutObjectACL PutObjectLegalHold PutObjectRetention PutObjectTagging"
            + " DeleteObjectTagging PutObjectExtract PostPolicyBucket PostRestoreObject"
            + " SiteReplicationUploadForwarding WebUpload WebRemoveObject"
            // service-internal: lifecycle, replication, decommission, rebalance, healing
            + " ILMExpiry ILMFreeVersionDelete ILMTransition ReplicateObject ReplicateDelete"
            + " DecomCopyData DecomCopyDeleteMarker DecomDeleteObject RebalanceCopyData"
            + " Rebalance:DeleteMarker Rebalance:DeleteObject HealObject DeleteDanglingObject"
            + " KeyRotate");
    put(
        READ,
        "ListBuckets HeadBucket GetBucketACL GetBucketAccelerate GetBucketCors GetBucketEncryption"
            + " GetBucketLifecycle GetBucketLocation GetBucketLogging GetBucketNotification"
            + " GetBucketObjectLockConfig GetBucketPolicy GetBucketPolicyStatus"
            + " GetBucketReplication GetBucketReplicationConfig GetBucketReplicationMetrics"
            + " GetBucketReplicationMetricsV2 GetBucketRequestPayment GetBucketTagging"
            + " GetBucketVersioning GetBucketWebsite GetReplicationMRF ListenNotification"
            + " ListenBucketNotification ResetBucketReplicationStatus"
            + " ValidateBucketReplicationCreds WebListBuckets WebGetBucketPolicy"
            + " WebListAllBucketPolicies WebServerInfo WebStorageInfo WebGenerateAuth"
            // admin API (mc admin), reads
            + " AccountInfo AccountUsageInfo BackgroundHealStatus HealBackgroundStatus"
            + " BandwidthMonitor BatchJobStatus CPULoadInfo ConsoleLog DataUsageInfo"
            + " DescribeBatchJob DownloadProfiling DriveInfo DriveOBDInfo DrivePerfInfo"
            + " ExportBucketMetadata ExportIAM GetBucketQuotaConfig GetConfig GetConfigKV"
            + " GetConfigKeys GetGroup GetIdentityProviderCfg GetLastDayTierStats GetUserInfo"
            + " HealthInfo HelpConfigKV InfoAccessKey InfoCannedPolicy InfoCannedPolicyV2"
            + " InfoServiceAccount InspectData ListAccessKeysBulk ListAccessKeysLDAP"
            + " ListAccessKeysLDAPBulk ListAccessKeysOpenIDBulk ListBatchJobs ListBucketPolicies"
            + " ListBucketTargets ListBucketUsers ListCannedPolicies ListCannedPoliciesV2"
            + " ListConfigHistoryKV ListGroups ListIdentityProviderCfg"
            + " ListLDAPPolicyMappingEntities ListPolicyMappingEntities ListPools"
            + " ListRemoteTargets ListServiceAccounts ListTier ListUsers MemUsageInfo Metrics"
            + " NetInfo NetOBDInfo OBDInfo PerfInfo RebalanceStatus ReplicationDiff"
            + " ReplicationMRF ServerInfo ServiceStatus SiteReplicationInfo"
            + " SiteReplicationMetaInfo SiteReplicationStatus SiteReplicationGetIDPSettings"
            + " SRPeerGetIDPSettings StatusPool StorageInfo LocalStorageInfo"
            + " TemporaryAccountInfo TierStats TopLocks Trace HTTPTrace Version VerifyTier"
            + " DispatchNetInfo DispatchNetOBDInfo GetLocks GetLocalDiskIDs GetMetacacheListing"
            + " TargetExists ClientDevNull ClientDevNullExtraTime SiteReplicationDevNull DevNull"
            // KMS API reads, health checks, the scanner's and call home's reports
            + " KMSAPIs KMSKeyStatus KMSStatus KMSListKeys KMSMetrics KMSVersion"
            + " KMSDescribeIdentity KMSDescribePolicy KMSDescribeSelfIdentity KMSGetPolicy"
            + " KMSListIdentities KMSListPolicies ClusterCheckHandler ClusterReadCheckHandler"
            + " LivenessCheckHandler ReadinessCheckHandler Scanner callhome:diagnostics");
    put(
        WRITE,
        "PutBucket DeleteBucket PutBucketACL PutBucketCors DeleteBucketCors PutBucketEncryption"
            + " DeleteBucketEncryption PutBucketLifecycle DeleteBucketLifecycle"
            + " PutBucketNotification PutBucketObjectLockConfig PutBucketPolicy DeleteBucketPolicy"
            + " PutBucketReplicationConfig DeleteBucketReplicationConfig PutBucketTagging"
            + " DeleteBucketTagging PutBucketVersioning DeleteBucketWebsite"
            + " ResetBucketReplicationStart WebMakeBucket WebDeleteBucket WebSetBucketPolicy"
            + " WebSetAuth WebLogin WebLoginSTS WebCreateURLToken"
            // STS: issuing credentials is a write (trails filtered to writes must see it)
            + " AssumeRole AssumeRoleWithClientGrants AssumeRoleWithWebIdentity"
            + " AssumeRoleWithLDAPIdentity AssumeRoleWithCertificate AssumeRoleWithCustomToken"
            + " AssumeRoleWithSSO AssumeRoleSSOCommon AssumeRoleJWTCommon"
            // admin API, writes and actions
            + " AddCannedPolicy AddIdentityProviderCfg addOrUpdateIDP AddServiceAccount"
            + " AddServiceAccountLDAP AddTier AddUser AttachDetachPolicyBuiltin"
            + " AttachDetachPolicyLDAP AttachPolicyBuiltin DetachPolicyBuiltin CancelBatchJob"
            + " CancelDecommission ClearConfigHistoryKV CycleServerBloomFilter DelConfigKV"
            + " DeleteConfigKV DeleteIdentityProviderCfg DeleteServiceAccount DriveSpeedtest"
            + " EditTier ForceUnlock Heal BackgroundHeal ImportBucketMetadata ImportIAM"
            + " ImportIAMV2 importIAM LoadSiteReplication Netperf NetSpeedtest ObjectSpeedTest"
            + " ObjectSpeedtest SpeedTest Speedtest SitePerf SiteReplicationNetPerf Profile"
            + " StartProfiling PutBucketQuotaConfig RebalanceStart RebalanceStop"
            + " RemoveBucketTarget RemoveCannedPolicy RemoveRemoteTarget RemoveTier RemoveUser"
            + " RestoreConfigHistoryKV RevokeTokens SetBucketTarget SetConfig SetConfigKV"
            + " SetConfigKeys SetGroupStatus SetPolicyForUserOrGroup SetRemoteTarget"
            + " SetUserPolicy SetUserStatus SiteReplicationAdd SiteReplicationEdit"
            + " SiteReplicationRemove SiteReplicationResyncOp SRPeerBucketOps SRPeerEdit"
            + " SRPeerJoin SRPeerRemove SRPeerReplicateBucketItem SRPeerReplicateIAMItem"
            + " SRStateEdit ServerUpdate ServerUpdateV2 Service ServiceV2 ServiceStopNRestart"
            + " StartBatchJob StartDecommission UpdateGroupMembers UpdateIdentityProviderCfg"
            + " UpdateServiceAccount UpdateCredentials UpdateMetacacheListing SendEvent Lock"
            + " RLock Unlock RUnlock KMSCreateKey KMSAssignPolicy KMSDeleteIdentity KMSDeleteKey"
            + " KMSDeletePolicy KMSImportKey KMSSetPolicy");
    List<String> names = new ArrayList<>(TABLE.keySet());
    Collections.sort(names);
    NAMES = List.copyOf(names);
  }

  private ApiNames() {}

  private static void put(int kind, String names) {
    for (String name : names.split(" ")) {
      if (TABLE.put(name, kind) != null) {
        throw new IllegalStateException("MinIO API name listed twice: " + name);
      }
    }
  }

  /** {@link #READ} and {@link #DATA} bits of an API name (an unknown one by the fallback rule). */
  static int kind(String name) {
    Integer k = TABLE.get(name);
    if (k != null) {
      return k;
    }
    if (name.endsWith("Handler") && name.length() > 7) {
      k = TABLE.get(name.substring(0, name.length() - 7));
      if (k != null) {
        return k;
      }
    }
    return readPrefix(name) ? READ : WRITE;
  }

  /** Whether the table lists the name as it is. */
  static boolean known(String name) {
    return TABLE.containsKey(name);
  }

  /** Every name in the table, sorted. */
  static List<String> names() {
    return NAMES;
  }

  private static boolean readPrefix(String n) {
    return n.startsWith("Get")
        || n.startsWith("Head")
        || n.startsWith("List")
        || n.startsWith("Describe")
        || n.startsWith("Info")
        || n.startsWith("Stat")
        || n.startsWith("Download")
        || n.startsWith("Export");
  }
}
