package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aliyun.actiontrail20200706.Client;
import com.aliyun.actiontrail20200706.models.CreateDeliveryHistoryJobRequest;
import com.aliyun.actiontrail20200706.models.CreateTrailRequest;
import com.aliyun.actiontrail20200706.models.CreateTrailResponseBody;
import com.aliyun.actiontrail20200706.models.DeleteDeliveryHistoryJobRequest;
import com.aliyun.actiontrail20200706.models.DeleteTrailRequest;
import com.aliyun.actiontrail20200706.models.DescribeRegionsRequest;
import com.aliyun.actiontrail20200706.models.DescribeTrailsRequest;
import com.aliyun.actiontrail20200706.models.GetDeliveryHistoryJobRequest;
import com.aliyun.actiontrail20200706.models.GetTrailStatusRequest;
import com.aliyun.actiontrail20200706.models.GetTrailStatusResponseBody;
import com.aliyun.actiontrail20200706.models.ListDeliveryHistoryJobsRequest;
import com.aliyun.actiontrail20200706.models.LookupEventsRequest;
import com.aliyun.actiontrail20200706.models.LookupEventsResponseBody;
import com.aliyun.actiontrail20200706.models.StartLoggingRequest;
import com.aliyun.actiontrail20200706.models.StopLoggingRequest;
import com.aliyun.actiontrail20200706.models.UpdateTrailRequest;
import com.aliyun.tea.TeaException;
import com.aliyun.teaopenapi.models.Config;
import com.aliyun.teaopenapi.models.OpenApiRequest;
import com.aliyun.teautil.models.RuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official ActionTrail SDK, unchanged, against a running OpenTrail over HTTP. */
class HttpApiTest {
  @TempDir Path dir;

  static Client sdk(int port, ApiClient.Key key) throws Exception {
    return new Client(
        new Config()
            .setAccessKeyId(key.id())
            .setAccessKeySecret(key.secret())
            .setEndpoint("127.0.0.1:" + port)
            .setProtocol("HTTP")
            .setRegionId("local"));
  }

  static String events(String name, int n) {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",")
          .append("{\"eventName\":\"")
          .append(name)
          .append("\",\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",")
          .append("\"userIdentity\":{\"type\":\"ram-user\",\"userName\":\"ops\"},")
          .append("\"resourceName\":\"i-")
          .append(i)
          .append("\"}");
    }
    return b.append(']').toString();
  }

  /** Whether a delivered file (ActionTrail's OSS layout, gzip) is under {@code dir}. */
  static boolean delivered(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.anyMatch(
          f ->
              f.getFileName().toString().startsWith("Actiontrail_")
                  && f.toString().endsWith(".gz"));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  @Test
  void theOfficialSdkDrivesATrailFromCreationToDeletion() throws Exception {
    Path data = dir.resolve("data");
    try (Instance ot = Instance.withHttp(data)) {
      Path credentials = data.resolve("credentials");
      assertEquals(
          "rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)),
          "the first root key is written owner-only");
      ApiClient.Key root = ot.rootKey();
      Client at = sdk(ot.httpPort, root);
      String account = ot.account();

      CreateTrailResponseBody created =
          at.createTrail(
                  new CreateTrailRequest()
                      .setName("sdk-trail")
                      .setOssBucketName("sdk-bucket")
                      .setOssKeyPrefix("audit")
                      .setSlsProjectArn("acs:log:local:" + account + ":project/sdk-project")
                      .setEventRW("All"))
              .getBody();
      assertEquals("sdk-trail", created.getName());
      // read your writes: the call's own audit event is found at once, not after an index refresh
      List<Map<String, ?>> createAudit =
          at.lookupEvents(
                  new LookupEventsRequest()
                      .setLookupAttribute(
                          List.of(
                              new LookupEventsRequest.LookupEventsRequestLookupAttribute()
                                  .setKey("EventName")
                                  .setValue("CreateTrail"))))
              .getBody()
              .getEvents();
      assertEquals(
          1, createAudit.size(), "CreateTrail's audit event, looked up right after the call");
      assertEquals(created.getRequestId(), createAudit.get(0).get("requestId"));
      assertEquals("sdk-bucket", created.getOssBucketName());
      assertEquals("All", created.getEventRW());
      assertNotNull(created.getRequestId());
      at.updateTrail(new UpdateTrailRequest().setName("sdk-trail").setOssKeyPrefix("audit-logs"));
      assertEquals(
          "audit-logs",
          at.describeTrails(new DescribeTrailsRequest().setNameList("sdk-trail"))
              .getBody()
              .getTrailList()
              .get(0)
              .getOssKeyPrefix());

      at.startLogging(new StartLoggingRequest().setName("sdk-trail"));
      Map<String, ?> put =
          at.doRPCRequest(
              "PutEvents",
              ApiClient.VERSION,
              "HTTPS",
              "POST",
              "AK",
              "json",
              new OpenApiRequest().setBody(Map.of("Events", events("StartInstance", 25))),
              new RuntimeOptions());
      assertEquals(
          "25", String.valueOf(((Map<?, ?>) put.get("body")).get("Accepted")), put.toString());

      // OpenTrail's own form of PutEvents: the batch as a JSON body, signed with ACS3-HMAC-SHA256
      ApiClient.Answer json =
          new ApiClient(ot.httpPort)
              .putEventsJson(
                  root,
                  events("StartInstance", 5).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(200, json.status(), json.toString());
      assertTrue(json.body().contains("\"Accepted\":5"), json.body());

      // the account has not granted the delivery role yet: nothing is delivered, visibly
      Instance.await(
          Duration.ofSeconds(10),
          () ->
              new ApiClient(ot.httpPort)
                  .call(root, "GetTrailStatus", Map.of("Name", "sdk-trail"))
                  .body()
                  .contains("NO_PERMISSION"),
          "the destinations to show that the delivery role is missing");
      assertFalse(
          Files.exists(data.resolve("oss/sdk-bucket")), "nothing delivered without the role");
      ot.run("auth:grant");
      Instance.await(
          Duration.ofSeconds(30),
          () -> {
            try {
              GetTrailStatusResponseBody s =
                  at.getTrailStatus(new GetTrailStatusRequest().setName("sdk-trail")).getBody();
              return s.getLatestDeliveryTime() != null
                  && s.getLatestDeliveryLogServiceTime() != null
                  && delivered(data.resolve("oss/sdk-bucket/audit-logs"));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          "both destinations to deliver once the role is granted");
      GetTrailStatusResponseBody status =
          at.getTrailStatus(new GetTrailStatusRequest().setName("sdk-trail")).getBody();
      assertTrue(status.getIsLogging());
      assertTrue(status.getOssBucketStatus());
      assertTrue(status.getSlsLogStoreStatus());

      ot.awaitIndexed();
      LookupEventsResponseBody found =
          at.lookupEvents(
                  new LookupEventsRequest()
                      .setLookupAttribute(
                          List.of(
                              new LookupEventsRequest.LookupEventsRequestLookupAttribute()
                                  .setKey("EventName")
                                  .setValue("StartInstance")))
                      .setMaxResults("50"))
              .getBody();
      assertEquals(30, found.getEvents().size());
      assertEquals("Ecs", found.getEvents().get(0).get("serviceName"));

      assertEquals(
          "local",
          at.describeRegions(new DescribeRegionsRequest())
              .getBody()
              .getRegions()
              .getRegion()
              .get(0)
              .getRegionId());
      Integer job =
          at.createDeliveryHistoryJob(
                  new CreateDeliveryHistoryJobRequest().setTrailName("sdk-trail"))
              .getBody()
              .getJobId();
      assertNotNull(job);
      assertEquals(
          "sdk-trail",
          at.getDeliveryHistoryJob(new GetDeliveryHistoryJobRequest().setJobId(job.longValue()))
              .getBody()
              .getTrailName());
      assertEquals(
          1,
          at.listDeliveryHistoryJobs(new ListDeliveryHistoryJobsRequest())
              .getBody()
              .getDeliveryHistoryJobs()
              .size());
      try {
        Instance.await(
            Duration.ofSeconds(30),
            () -> {
              try {
                return at.getDeliveryHistoryJob(
                            new GetDeliveryHistoryJobRequest().setJobId(job.longValue()))
                        .getBody()
                        .getJobStatus()
                    != 1;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "the delivery history job to finish");
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\n" + ot.run("trail:jobs; trail:status sdk-trail"), e);
      }
      assertEquals(
          2,
          at.getDeliveryHistoryJob(new GetDeliveryHistoryJobRequest().setJobId(job.longValue()))
              .getBody()
              .getJobStatus(),
          () ->
              "the job finished: "
                  + new ApiClient(ot.httpPort)
                      .call(root, "GetDeliveryHistoryJob", Map.of("JobId", job.toString()))
                      .body());
      at.deleteDeliveryHistoryJob(new DeleteDeliveryHistoryJobRequest().setJobId(job));

      at.stopLogging(new StopLoggingRequest().setName("sdk-trail"));
      assertFalse(
          at.getTrailStatus(new GetTrailStatusRequest().setName("sdk-trail"))
              .getBody()
              .getIsLogging());
      at.deleteTrail(new DeleteTrailRequest().setName("sdk-trail"));
      assertTrue(at.describeTrails(new DescribeTrailsRequest()).getBody().getTrailList().isEmpty());

      TeaException gone =
          org.junit.jupiter.api.Assertions.assertThrows(
              TeaException.class,
              () -> at.deleteTrail(new DeleteTrailRequest().setName("sdk-trail")));
      assertEquals("TrailNotFound", gone.getCode());
      assertNotNull(gone.getData().get("RequestId"));

      // the calls above are in the history, as the root key made them
      ot.awaitIndexed();
      LookupEventsResponseBody audit =
          at.lookupEvents(
                  new LookupEventsRequest()
                      .setLookupAttribute(
                          List.of(
                              new LookupEventsRequest.LookupEventsRequestLookupAttribute()
                                  .setKey("EventName")
                                  .setValue("CreateTrail"))))
              .getBody();
      Map<String, ?> e = audit.getEvents().get(0);
      assertEquals("actiontrail", e.get("serviceName"));
      assertEquals("Write", e.get("eventRW"));
      assertEquals(created.getRequestId(), e.get("requestId"));
      assertEquals("127.0.0.1", e.get("sourceIpAddress"));
      assertTrue(
          String.valueOf(e.get("userAgent")).contains("AlibabaCloud"),
          String.valueOf(e.get("userAgent")));
      Map<?, ?> who = (Map<?, ?>) e.get("userIdentity");
      assertEquals("root-account", who.get("type"));
      assertEquals(root.id(), who.get("accessKeyId"));
      assertNull(e.get("errorCode"));
      String text = e.toString();
      assertFalse(text.contains(root.secret()) || text.contains("Signature"), text);
    }
  }
}
