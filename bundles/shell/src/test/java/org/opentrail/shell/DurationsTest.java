package org.opentrail.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsSinceValues() {
    assertEquals(Duration.ofSeconds(90), Durations.parse("--since", "90s"));
    assertEquals(Duration.ofMinutes(30), Durations.parse("--since", "30m"));
    assertEquals(Duration.ofHours(1), Durations.parse("--since", " 1h "));
    assertEquals(Duration.ofDays(7), Durations.parse("--since", "7d"));
    for (String bad : new String[] {"", "h", "1w", "-1h", "1.5h", "99999999d"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Durations.parse("--since", bad));
      assertTrue(e.getMessage().contains("--since"));
    }
  }

  @Test
  void tablesAlignColumnsAndShortenLongCells() {
    String t = new Table(8, "A", "LONGER").row("x", "0123456789").row(null, "y").toString();
    assertEquals("A  LONGER\nx  0123456…\n-  y\n", t);
    assertEquals("1.5 KB", Durations.bytes(1536));
    assertEquals("12 B", Durations.bytes(12));
  }
}
