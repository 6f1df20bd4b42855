package org.opentrail.trail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resource claims, including patterns such as the dated indices of a search sink. */
class ResourceOwnersTest {
  static final String A = "111111111111";
  static final String B = "222222222222";
  @TempDir Path dir;

  @Test
  void aPatternAndTheResourcesItCoversBelongToOneAccount() {
    ResourceOwners owners = new ResourceOwners(dir);
    // A's dated indices logs-2026.11.30, logs-2026.12.01, ...
    assertNull(owners.claim("opensearch://h:9200/logs-*", A));
    // B names one of them as its own plain index, or a narrower pattern
    assertNotNull(owners.claim("opensearch://h:9200/logs-2026.11.30", B));
    assertNotNull(owners.claim("opensearch://h:9200/logs-2026-*", B));
    assertNull(owners.owner("opensearch://h:9200/logs-2026.11.30"));
    // and the other way round: a plain index of B, then a pattern covering it
    assertNull(owners.claim("opensearch://h:9200/audit-2026.11.30", B));
    assertNotNull(owners.claim("opensearch://h:9200/audit-*", A));
    assertNotNull(owners.claim("opensearch://h:9200/*", A));
    // what does not overlap stays free; the owner may claim what its pattern covers
    assertNull(owners.claim("opensearch://h:9200/logs", B));
    assertNull(owners.claim("opensearch://h:9200/logsx-*", B));
    assertNull(owners.claim("opensearch://h:9200/logs-extra", A));
    // claims survive a restart
    assertNotNull(new ResourceOwners(dir).claim("opensearch://h:9200/logs-2026.11.30", B));
    assertEquals(A, new ResourceOwners(dir).owner("opensearch://h:9200/logs-*"));
  }
}
