package org.opentrail.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NextToken key: made once, owner-only and durably; a damaged one is refused by name. */
class TokenKeyTest {
  @TempDir Path dir;

  @Test
  void madeOnceOwnerOnlyAndKept() throws IOException {
    Path file = dir.resolve("nexttoken.key");
    byte[] key = LookupEventsService.tokenKey(file);
    assertEquals(32, key.length);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(key, LookupEventsService.tokenKey(file));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count(), "no temporary file left");
    }
  }

  @Test
  void anEmptyOrTruncatedKeyIsRefusedNamingTheFile() throws IOException {
    Path file = dir.resolve("nexttoken.key");
    for (byte[] bad : new byte[][] {new byte[0], new byte[7]}) {
      Files.write(file, bad);
      IOException e = assertThrows(IOException.class, () -> LookupEventsService.tokenKey(file));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      assertArrayEquals(bad, Files.readAllBytes(file), "not replaced");
    }
  }
}
