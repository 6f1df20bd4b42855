package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Damaged or lost identity, key and nonce files: reported naming the file, never replaced. */
class AuthDamageTest extends AuthFixture {
  private Path accountFile() {
    return paths.directory().resolve(A + ".json");
  }

  private IOException refused(String file) {
    IOException e = assertThrows(IOException.class, this::reopen);
    assertTrue(e.getMessage().contains(file), e.getMessage());
    return e;
  }

  @Test
  void aCorruptAccountFileStopsTheStoreNamingIt() throws Exception {
    Files.writeString(accountFile(), "{\"format\": 1, \"accountId\": \"1234");
    refused(accountFile().toString());
    Files.writeString(accountFile(), "[]");
    refused(accountFile().toString());
  }

  @Test
  void anEmptyAccountFileStopsTheStoreNamingIt() throws Exception {
    Files.write(accountFile(), new byte[0]);
    refused(accountFile().toString());
    assertEquals(0, Files.size(accountFile()), "left for the operator to restore");
  }

  @Test
  void aLostAccountFileIsNotAFirstStartEvenWithoutTheCredentials() throws Exception {
    Files.delete(paths.credentials()); // as the file itself recommends once a key is made
    Files.delete(accountFile());
    byte[] key = Files.readAllBytes(paths.masterKey());
    refused(accountFile().toString());
    assertFalse(Files.exists(accountFile()), "no new root account");
    assertFalse(Files.exists(paths.credentials()), "no new root key");
    assertArrayEquals(key, Files.readAllBytes(paths.masterKey()));
  }

  @Test
  void aLostFirstAccountBesideOthersIsReported() throws Exception {
    String other = registry.createAccount().key().accountId();
    Files.delete(accountFile());
    refused(accountFile().toString());
    assertTrue(Files.exists(paths.directory().resolve(other + ".json")));
  }

  @Test
  void aCorruptOrEmptyMasterKeyIsAnErrorNeverANewKey() throws Exception {
    for (String bad : List.of("not base64 at all!", "", "AAAA")) {
      Files.writeString(paths.masterKey(), bad);
      refused(paths.masterKey().toString());
      assertEquals(bad, Files.readString(paths.masterKey()), "the key file is not replaced");
    }
  }

  @Test
  void aLostMasterKeyIsAnErrorNeverANewKey() throws Exception {
    Files.delete(paths.masterKey());
    refused(paths.masterKey().toString());
    assertFalse(Files.exists(paths.masterKey()));
    // with the accounts gone too, the first-start marker still shows the instance was set up
    Files.delete(accountFile());
    refused(paths.masterKey().toString());
    assertFalse(Files.exists(paths.masterKey()));
  }

  @Test
  void aDamagedNonceCacheIsDiscardedWithAWarningNamingIt() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(NonceCache.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    log.addAppender(logs);
    try {
      Path file = data.resolve("nonces.bin");
      assertNull(NonceCache.load(file, 15, 100), "missing: nothing to load");
      assertTrue(logs.list.isEmpty(), "and nothing to warn about");
      for (byte[] bad : List.of(new byte[0], new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, truncated())) {
        Files.write(file, bad);
        assertNull(NonceCache.load(file, 15, 100));
        ILoggingEvent warn = logs.list.get(logs.list.size() - 1);
        assertEquals(Level.WARN, warn.getLevel());
        assertTrue(warn.getFormattedMessage().contains(file.toString()));
      }
      assertEquals(3, logs.list.size());
    } finally {
      log.detachAppender(logs);
    }
  }

  private byte[] truncated() throws IOException {
    NonceCache c = new NonceCache(15, 100);
    long now = System.currentTimeMillis();
    c.consume("LTAIkey", "n1", now, now);
    c.consume("LTAIkey", "n2", now, now);
    Path f = data.resolve("whole.bin");
    c.save(f);
    byte[] whole = Files.readAllBytes(f);
    return java.util.Arrays.copyOf(whole, whole.length - 5);
  }
}
