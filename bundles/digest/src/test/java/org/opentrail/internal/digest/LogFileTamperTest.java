package org.opentrail.internal.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.opentrail.api.event.EventJson;

/** The tamper suite, part one: the untouched destination, and its log files tampered with. */
class LogFileTamperTest extends TamperFixture {
  @Test
  void theUntouchedDestinationPassesAcrossTheKeyRotation() throws IOException {
    DestinationVerifier.Report r = verify();
    assertFindings(r);
    assertEquals(SyntheticDestination.INTERVALS, r.digestsChecked());
    assertEquals(dest.allFiles().size(), r.logFilesChecked());
    long bytes = 0;
    for (String f : dest.allFiles()) {
      bytes += Files.size(root.resolve(f));
    }
    assertEquals(bytes, r.bytesHashed());
    assertEquals(1, r.chains().size());
    DestinationVerifier.Chain c = r.chains().get(0);
    assertEquals(dest.digests.get(0), c.firstDigest());
    assertEquals(SyntheticDestination.T0, c.begins());
    assertEquals(SyntheticDestination.end(), c.ends());
    assertNotEquals(
        fingerprint(0), fingerprint(SyntheticDestination.INTERVALS - 1), "the key was rotated");
  }

  @Test
  void oneByteOfAnEventChangedInsideAGzipIsFound() throws IOException {
    String file = pick(dest.allFiles());
    byte[] json = SyntheticDestination.gunzip(read(file));
    int[] letters =
        IntStream.range(0, json.length).filter(i -> json[i] >= 'a' && json[i] <= 'z').toArray();
    int at = letters[random.nextInt(letters.length)];
    json[at] = (byte) ('a' + (json[at] - 'a' + 1 + random.nextInt(25)) % 26);
    EventJson.read(json); // still JSON: a valid file with one changed byte
    dest.write(file, SyntheticDestination.gzip(json));
    assertFindings(verify(), Finding.FILE_MODIFIED + " " + file);
  }

  @Test
  void anEventDeletedFromAFileIsFound() throws IOException {
    String file = pick(dest.allFiles());
    List<Object> events = events(file);
    events.remove(random.nextInt(events.size()));
    writeEvents(file, events);
    assertFindings(verify(), Finding.FILE_MODIFIED + " " + file);
  }

  @Test
  void aForgedEventInsertedIsFound() throws IOException {
    String file = pick(dest.allFiles());
    List<Object> events = events(file);
    Instant t = Instant.parse((String) ((Map<?, ?>) events.get(0)).get("eventTime"));
    events.add(random.nextInt(events.size() + 1), dest.event("cn-hangzhou", t));
    writeEvents(file, events);
    assertFindings(verify(), Finding.FILE_MODIFIED + " " + file);
  }

  @Test
  void twoFilesSwappedAreBothFound() throws IOException {
    List<String> all = new ArrayList<>(dest.allFiles());
    String a = all.remove(random.nextInt(all.size()));
    String b = pick(all);
    byte[] bytesA = read(a);
    dest.write(a, read(b));
    dest.write(b, bytesA);
    assertFindings(verify(), Finding.FILE_MODIFIED + " " + a, Finding.FILE_MODIFIED + " " + b);
  }

  @Test
  void aDeletedLogFileIsFound() throws IOException {
    String file = pick(dest.allFiles());
    Files.delete(root.resolve(file));
    assertFindings(verify(), Finding.FILE_MISSING + " " + file);
  }

  @Test
  void anInsertedLogFileIsFoundUnlessNoDigestCoversItsTimeYet() throws IOException {
    int hour = random.nextInt(SyntheticDestination.INTERVALS);
    Instant t = SyntheticDestination.T0.plusSeconds(hour * 3600L + random.nextInt(3600));
    String inserted = logFileName(t, "00112233445566778899aabbccddeeff");
    dest.write(
        inserted,
        SyntheticDestination.gzip(EventJson.write(List.of(dest.event("cn-hangzhou", t)))));
    Instant later = SyntheticDestination.end().plusSeconds(60);
    String pending = logFileName(later, "ffeeddccbbaa99887766554433221100");
    dest.write(
        pending,
        SyntheticDestination.gzip(EventJson.write(List.of(dest.event("cn-hangzhou", later)))));
    // the times the files would have had, had they been delivered then
    java.nio.file.Files.setLastModifiedTime(
        root.resolve(inserted), java.nio.file.attribute.FileTime.from(t));
    java.nio.file.Files.setLastModifiedTime(
        root.resolve(pending), java.nio.file.attribute.FileTime.from(later));
    DestinationVerifier.Report r = verify();
    assertFindings(r, Finding.FILE_INSERTED + " " + inserted);
    assertTrue(r.findings().get(0).detail().contains(t.toString()), why(r.findings()));
  }

  @Test
  void aFileWithAnotherNameOrDatedAfterTheVerificationIsFound() throws IOException {
    Instant t = SyntheticDestination.T0.plusSeconds(1800);
    byte[] gz = SyntheticDestination.gzip(EventJson.write(List.of(dest.event("cn-hangzhou", t))));
    String odd = "AliyunLogs/Actiontrail/cn-hangzhou/2026/11/29/extra.gz";
    dest.write(odd, gz);
    Instant future = Instant.parse("2099-01-01T00:00:00Z");
    String dated = logFileName(future, "00112233445566778899aabbccddeeff");
    dest.write(dated, gz);
    DestinationVerifier.Report r = verify();
    assertFindings(r, Finding.FILE_INSERTED + " " + dated, Finding.FILE_INSERTED + " " + odd);
  }

  @Test
  void aSymbolicLinkUnderTheLogsIsFoundAndNotFollowed() throws IOException {
    java.nio.file.Path logs = root.resolve("AliyunLogs/Actiontrail");
    java.nio.file.Path copy = root.resolveSibling(root.getFileName() + "-copy");
    java.nio.file.Files.move(logs, copy);
    java.nio.file.Files.createSymbolicLink(logs, copy);
    DestinationVerifier.Report r = verify();
    assertTrue(
        r.findings().stream()
            .anyMatch(
                f ->
                    f.kind().equals(Finding.FILE_INSERTED)
                        && f.subject().equals("AliyunLogs/Actiontrail")),
        why(r.findings()));
  }

  @Test
  void aFileDeliveredAfterTheNewestDigestIsPendingNotInserted() throws IOException {
    // a batch whose first event is before the newest digest's end, delivered after it
    Instant t = SyntheticDestination.end().minusSeconds(30);
    String late = logFileName(t, "0123456789abcdef0123456789abcdef");
    dest.write(
        late, SyntheticDestination.gzip(EventJson.write(List.of(dest.event("cn-hangzhou", t)))));
    java.nio.file.Files.setLastModifiedTime(
        root.resolve(late),
        java.nio.file.attribute.FileTime.from(SyntheticDestination.end().plusSeconds(20)));
    DestinationVerifier.Report r = verify();
    assertFindings(r);
    assertEquals(1, r.pendingFiles(), why(r));
    assertEquals(
        dest.allFiles().size(), r.logFilesChecked(), "the listed files, not the pending one");
  }

  static String logFileName(Instant t, String md5) {
    String stamp = t.toString().replaceAll("[-:TZ]", "");
    return "AliyunLogs/Actiontrail/cn-hangzhou/"
        + t.toString().substring(0, 10).replace('-', '/')
        + "/Actiontrail_cn-hangzhou_"
        + stamp
        + "_999999_1_"
        + md5
        + ".gz";
  }

  @Test
  void logFileNamesGiveTheirTime() {
    Instant t = Instant.parse("2026-11-30T21:05:09Z");
    String md5 = "0123456789abcdef0123456789abcdef";
    // the file sink's names and ActionTrail's documented ones (with 1002 and the size)
    assertEquals(
        t, LogFileChecker.nameTime("Actiontrail_cn-hangzhou_20261130210509_77_3_" + md5 + ".gz"));
    assertEquals(
        t,
        LogFileChecker.nameTime(
            "Actiontrail_ap_south_1_20261130210509_1002_3_5120_" + md5 + ".gz"));
    assertNull(
        LogFileChecker.nameTime("Actiontrail_cn-hangzhou_2026113021050_77_3_" + md5 + ".gz"));
    assertNull(LogFileChecker.nameTime("notes.txt"));
  }
}
