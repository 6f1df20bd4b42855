package org.opentrail.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.trail.DestinationSpec;
import org.opentrail.api.trail.TrailSpec;

/**
 * How ActionTrail's storage parameters become destinations of the sink types the operator chose.
 */
class TrailParametersTest {
  private static final TrailParameters OPENSEARCH =
      new TrailParameters(new TrailParameters.SinkTypes("file", "opensearch", "jdbc"));

  private static ApiRequest request(Map<String, String> params) {
    return new ApiRequest("r-1", "127.0.0.1", "test", params, Map.of());
  }

  private static DestinationSpec sls(TrailSpec spec) {
    return spec.destinations().stream().filter(d -> d.id().equals("sls")).findFirst().orElseThrow();
  }

  @Test
  void anOpenSearchIndexIsNamedAfterTheProjectAndTheTrail() {
    TrailSpec a =
        OPENSEARCH.create(
            request(
                Map.of(
                    "Name", "audit",
                    "SlsProjectArn", "acs:log:cn-hangzhou:1000000000000001:project/team-a")));
    TrailSpec b =
        OPENSEARCH.create(
            request(
                Map.of(
                    "Name", "audit",
                    "SlsProjectArn", "acs:log:cn-hangzhou:2000000000000002:project/team-b")));
    assertEquals("opensearch", sls(a).type());
    assertEquals("team-a.actiontrail_audit", sls(a).config().get("index"));
    // two accounts' trails of one name never meet in one index
    assertNotEquals(sls(a).config().get("index"), sls(b).config().get("index"));
    // the project is kept for DescribeTrails and the engine's ownership check
    assertEquals(
        "acs:log:cn-hangzhou:1000000000000001:project/team-a",
        sls(a).config().get(DestinationSpec.PROJECT_ARN));
    // UpdateTrail to another project moves the index with it
    TrailSpec moved =
        OPENSEARCH.update(
            request(Map.of("SlsProjectArn", "acs:log:cn-hangzhou:1000000000000001:project/other")),
            a);
    assertEquals("other.actiontrail_audit", sls(moved).config().get("index"));
  }

  @Test
  void theEmbeddedLogstoreNeedsNoIndex() {
    TrailSpec t =
        new TrailParameters(TrailParameters.SinkTypes.DEFAULTS)
            .create(
                request(
                    Map.of(
                        "Name", "audit",
                        "SlsProjectArn", "acs:log:cn-hangzhou:1000000000000001:project/team-a")));
    assertEquals(null, sls(t).config().get("index"));
  }
}
