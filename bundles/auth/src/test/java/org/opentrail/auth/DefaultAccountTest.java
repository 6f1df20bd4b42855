package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default account: configured, else the framework's, else generated once and kept. */
class DefaultAccountTest {
  @TempDir Path dir;

  @Test
  void configuredBeatsTheFrameworkPropertyAndABadOneIsRefused() {
    assertEquals("123456789012", DefaultAccount.of("123456789012", "999999999999", dir));
    assertEquals("999999999999", DefaultAccount.of(" ", "999999999999", dir));
    assertThrows(IllegalArgumentException.class, () -> DefaultAccount.of("12", null, dir));
    assertTrue(Files.notExists(dir.resolve("account.id")), "nothing generated when configured");
  }

  @Test
  void aGeneratedIdIsKeptAndADamagedOneIsAnErrorNamingTheFile() throws Exception {
    String first = DefaultAccount.of("", null, dir);
    Path file = dir.resolve("account.id");
    assertEquals(first, Files.readString(file).strip());
    assertEquals(first, DefaultAccount.of("", null, dir), "kept across restarts");
    for (String bad : List.of("", "12345", "garbage\n")) {
      Files.writeString(file, bad);
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> DefaultAccount.of("", null, dir));
      assertTrue(e.getCause().getMessage().contains(file.toString()), e.getCause().getMessage());
      assertEquals(bad, Files.readString(file), "never replaced by a new id");
    }
  }
}
