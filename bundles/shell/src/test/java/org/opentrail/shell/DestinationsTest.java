package org.opentrail.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrail.api.trail.DestinationSpec;

class DestinationsTest {
  @Test
  void readsIdTypeAndConfiguration() {
    assertEquals(new DestinationSpec("", "logstore", Map.of()), Destinations.parse("logstore"));
    assertEquals(
        new DestinationSpec("", "file", Map.of("bucket", "audit-log", "prefix", "a/b")),
        Destinations.parse("file:bucket=audit-log,prefix=a/b"));
    assertEquals(
        new DestinationSpec("backup", "file", Map.of("bucket", "b2")),
        Destinations.parse("backup@file:bucket=b2"));
    assertEquals(
        "backup@file:bucket=b2",
        Destinations.format(new DestinationSpec("backup", "file", Map.of("bucket", "b2"))));
    assertThrows(IllegalArgumentException.class, () -> Destinations.parse("file:bucket"));
    assertThrows(IllegalArgumentException.class, () -> Destinations.parse(":bucket=x"));
  }
}
