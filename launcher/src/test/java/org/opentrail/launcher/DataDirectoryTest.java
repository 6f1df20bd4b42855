package org.opentrail.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {
  @TempDir Path root;

  @Test
  void firstStartMakesAnIdentityThatLaterStartsKeep() throws IOException {
    Properties first = new DataDirectory(root).prepare();
    String id = first.getProperty(DataDirectory.ACCOUNT);
    assertTrue(id.matches("[0-9]{16}"), id);
    assertEquals("local", first.getProperty("opentrail.region"));
    Files.writeString(root.resolve("credentials"), "account_id=" + id + "\n");
    assertEquals(id, new DataDirectory(root).prepare().getProperty(DataDirectory.ACCOUNT));
  }

  @Test
  void anEmptyInstanceFileIsAnErrorNamingIt() throws IOException {
    new DataDirectory(root).prepare();
    Path file = root.resolve(DataDirectory.INSTANCE);
    Files.write(file, new byte[0]);
    IOException e = assertThrows(IOException.class, () -> new DataDirectory(root).prepare());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertEquals(0, Files.size(file), "the damaged file is left for the operator");
  }

  @Test
  void aCorruptInstanceFileIsAnErrorNamingIt() throws IOException {
    new DataDirectory(root).prepare();
    Path file = root.resolve(DataDirectory.INSTANCE);
    Files.writeString(file, "opentrail.account.id=12345\u0000\u0000garbage\n");
    IOException e = assertThrows(IOException.class, () -> new DataDirectory(root).prepare());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    Files.writeString(file, "opentrail.account.id=\\uZZZZ\n"); // a malformed escape
    e = assertThrows(IOException.class, () -> new DataDirectory(root).prepare());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void aMissingInstanceFileInAUsedDirectoryIsAnError() throws IOException {
    new DataDirectory(root).prepare();
    Files.writeString(root.resolve("credentials"), "account_id=1234567890123456\n");
    Path file = root.resolve(DataDirectory.INSTANCE);
    Files.delete(file);
    IOException e = assertThrows(IOException.class, () -> new DataDirectory(root).prepare());
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("credentials"), e.getMessage());
    assertTrue(Files.notExists(file), "no new identity was made");
  }

  @Test
  void aMissingRegionIsFilledIn() throws IOException {
    Files.writeString(root.resolve(DataDirectory.INSTANCE), "opentrail.account.id=1234567890123\n");
    Properties p = new DataDirectory(root).prepare();
    assertEquals("1234567890123", p.getProperty(DataDirectory.ACCOUNT));
    assertEquals("local", p.getProperty("opentrail.region"));
  }
}
