package org.opentrail.logsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.LogExport;
import org.opentrail.api.logsearch.LogExport.Format;
import org.opentrail.api.logsearch.LogSearch;
import org.opentrail.api.store.EventStore;
import org.opentrail.store.EmbeddedEventStore;

/**
 * Exports of a real embedded store's history through the real search index, read back here (gzip
 * JSON lines parsed as JSON, CSV with an independent RFC 4180 reader) and compared with the events
 * generated, in the order they were appended (sequence order).
 */
class LogExportServiceTest {
  static final String A = LogSearchServiceTest.A;
  static final String B = LogSearchServiceTest.B;
  static final int N = 4500; // several scan chunks

  @TempDir Path dir;
  EmbeddedEventStore store;
  LogSearchService search;
  LogExportService export;
  final List<Event> events = new ArrayList<>();
  Instant start;
  Instant end;
  Event tricky;

  @BeforeEach
  void setUp() throws Exception {
    store = LogSearchServiceTest.store(dir.resolve("store"));
    start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(5));
    Random r = new Random(7);
    for (int i = 0; i < N; i++) {
      events.add(LogSearchServiceTest.event(i % 3 == 2 ? B : A, start.plusSeconds(3L * i), r));
    }
    Map<String, Object> t = new LinkedHashMap<>(events.get(1000).fields());
    t.put("eventId", "tricky-1");
    t.put("eventName", "@SUM(1+1)*cmd|' /C calc'!A0");
    t.put("errorCode", "+1");
    t.put("resourceType", "-1");
    t.put("resourceName", "acs:oss:*:1:bucket/a,b \"quoted\"\r\nsecond line\nthird");
    t.put("sourceIpAddress", "\tip");
    t.put("userIdentity", Map.of("type", "ram-user", "userName", "=cmd|' /C calc'!A0"));
    tricky = Event.of(t);
    events.set(1000, tricky);
    end = start.plusSeconds(3L * N);
    for (int i = 0; i < N; i += 500) {
      store.append(EventStore.HISTORY, events.subList(i, Math.min(N, i + 500)));
    }
    search = new LogSearchService(store, dir.resolve("logsearch"), 20);
    assertTrue(search.awaitCaughtUp(Duration.ofSeconds(60)));
    export = new LogExportService(search, 0);
    Files.createDirectories(dir.resolve("out"));
  }

  @AfterEach
  void tearDown() throws Exception {
    search.close();
    store.close();
  }

  /** Account A's events matching {@code p}, in the order appended (sequence order). */
  List<String> expected(Predicate<Event> p) {
    return events.stream()
        .filter(e -> A.equals(e.recipientAccountId()) && p.test(e))
        .map(Event::eventId)
        .toList();
  }

  static List<String> jsonlIds(Path f) throws Exception {
    List<String> ids = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(text.isEmpty() || text.endsWith("\n"));
      for (String line : text.split("\n")) {
        if (!line.isEmpty()) {
          Event e = EventJson.parseEvent(line.getBytes(StandardCharsets.UTF_8));
          ids.add(e.eventId());
        }
      }
    }
    return ids;
  }

  static List<List<String>> csv(Path f) throws Exception {
    return Csv.parse(Files.readString(f, StandardCharsets.UTF_8));
  }

  LogExport.Status run(String query, Path f, Format format, List<String> cols, boolean force) {
    return export.export(A, EventStore.HISTORY, start, end, query, f, format, cols, force, null);
  }

  @Test
  void everyMatchOnceInSequenceOrderInBothFormats() throws Exception {
    Map<String, Predicate<Event>> queries = new LinkedHashMap<>();
    queries.put("*", e -> true);
    queries.put("userIdentity.userName: alice", e -> "alice".equals(e.userName()));
    queries.put("errorCode: AccessDenied", e -> "AccessDenied".equals(e.getString("errorCode")));
    queries.put(
        "eventName: Delete* and not eventRW: Read",
        e -> e.eventName().startsWith("Delete") && !"Read".equals(e.eventRW()));
    int q = 0;
    for (Map.Entry<String, Predicate<Event>> c : queries.entrySet()) {
      List<String> want = expected(c.getValue());
      assertTrue(want.size() > 100, c.getKey());
      Path j = dir.resolve("out/q" + q + ".jsonl.gz");
      LogExport.Status s = run(c.getKey(), j, Format.JSONL_GZ, null, false);
      assertEquals(want, jsonlIds(j), c.getKey());
      assertEquals(want.size(), s.events());
      assertEquals(want.size(), s.total());
      assertEquals(Files.size(j), s.bytes());
      Path v = dir.resolve("out/q" + q + ".csv");
      run(c.getKey(), v, Format.CSV, null, false);
      List<List<String>> rows = csv(v);
      assertEquals(LogExport.DEFAULT_COLUMNS, rows.get(0));
      List<String> ids = new ArrayList<>();
      for (List<String> row : rows.subList(1, rows.size())) {
        assertEquals(LogExport.DEFAULT_COLUMNS.size(), row.size());
        ids.add(row.get(row.size() - 1));
      }
      assertEquals(want, ids, c.getKey());
      q++;
    }
    // another account's events never appear in A's export of the history
    Path all = dir.resolve("out/q0.jsonl.gz");
    List<String> bIds =
        events.stream().filter(e -> B.equals(e.recipientAccountId())).map(Event::eventId).toList();
    List<String> got = jsonlIds(all);
    assertFalse(got.stream().anyMatch(bIds::contains));
  }

  @Test
  void csvQuotesAndDefusesFormulas() throws Exception {
    Path v = dir.resolve("out/tricky.csv");
    List<String> cols =
        List.of(
            "eventId",
            "eventName",
            "errorCode",
            "resourceType",
            "resourceName",
            "sourceIpAddress",
            "userIdentity.userName",
            "userIdentity",
            "noSuchField");
    run("eventId: tricky-1", v, Format.CSV, cols, false);
    List<List<String>> rows = csv(v);
    assertEquals(2, rows.size());
    assertEquals(cols, rows.get(0));
    List<String> r = rows.get(1);
    assertEquals("tricky-1", r.get(0));
    assertEquals("'@SUM(1+1)*cmd|' /C calc'!A0", r.get(1));
    assertEquals("'+1", r.get(2));
    assertEquals("'-1", r.get(3));
    assertEquals("acs:oss:*:1:bucket/a,b \"quoted\"\r\nsecond line\nthird", r.get(4));
    assertEquals("'\tip", r.get(5));
    assertEquals("'=cmd|' /C calc'!A0", r.get(6));
    assertEquals(
        Map.of("type", "ram-user", "userName", "=cmd|' /C calc'!A0"),
        EventJson.read(r.get(7).getBytes(StandardCharsets.UTF_8)));
    assertEquals("", r.get(8));
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(v));
  }

  /** No file under the final name, and no temporary file left either. */
  void assertNothingLeft(Path f) throws Exception {
    assertFalse(Files.exists(f), f.toString());
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
    }
  }

  @Test
  void aStreamGetsTheFilesBytesAndIsToldTheTotalBeforeTheFirstByte() throws Exception {
    String q = "userIdentity.userName: alice";
    List<String> want = expected(e -> "alice".equals(e.userName()));
    for (Format f : Format.values()) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      List<LogExport.Status> told = new ArrayList<>();
      List<Integer> sizeWhenTold = new ArrayList<>();
      LogExport.Status s =
          export.write(
              A,
              EventStore.HISTORY,
              start,
              end,
              q,
              out,
              f,
              null,
              st -> {
                told.add(st);
                sizeWhenTold.add(out.size());
              });
      assertEquals(0, told.get(0).events());
      assertEquals(want.size(), told.get(0).total());
      assertEquals(0, sizeWhenTold.get(0), "told before the first byte");
      assertEquals(want.size(), s.events());
      assertEquals(out.size(), s.bytes());
      Path file = dir.resolve("out/stream." + f.label());
      Files.write(file, out.toByteArray());
      if (f == Format.JSONL_GZ) {
        assertEquals(want, jsonlIds(file));
      } else {
        Path viaFile = dir.resolve("out/file.csv");
        run(q, viaFile, f, null, false);
        assertEquals(Files.readString(viaFile), Files.readString(file), "one writer");
      }
    }
    // nothing matches: told with a total of 0, a CSV still has its header
    java.io.ByteArrayOutputStream none = new java.io.ByteArrayOutputStream();
    List<Long> totals = new ArrayList<>();
    export.write(
        A,
        EventStore.HISTORY,
        start,
        end,
        "eventName: NoSuchEvent",
        none,
        Format.CSV,
        List.of("eventId"),
        st -> totals.add(st.total()));
    assertEquals(List.of(0L), totals);
    assertEquals("eventId\r\n", none.toString(StandardCharsets.UTF_8));
    // errors come before the first byte and before the progress is told
    java.io.ByteArrayOutputStream bad = new java.io.ByteArrayOutputStream();
    List<LogExport.Status> badTold = new ArrayList<>();
    OpenTrailException e =
        assertThrows(
            OpenTrailException.class,
            () ->
                export.write(
                    A,
                    EventStore.HISTORY,
                    start,
                    end,
                    "eventName: (",
                    bad,
                    Format.CSV,
                    null,
                    badTold::add));
    assertEquals("InvalidQuery", e.code());
    assertTrue(badTold.isEmpty());
    assertEquals(0, bad.size());
    // a sink that fails once streaming started: ExportFailed, after the progress was told
    List<LogExport.Status> failTold = new ArrayList<>();
    java.io.OutputStream broken =
        new java.io.OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("Broken pipe");
          }
        };
    e =
        assertThrows(
            OpenTrailException.class,
            () ->
                export.write(
                    A,
                    EventStore.HISTORY,
                    start,
                    end,
                    "*",
                    broken,
                    Format.JSONL_GZ,
                    null,
                    failTold::add));
    assertEquals("ExportFailed", e.code());
    assertTrue(e.getMessage().contains("Broken pipe"), e.getMessage());
    assertEquals(0, failTold.get(0).events(), "streaming had started");
    assertTrue(failTold.get(failTold.size() - 1).events() < N, "it stopped early");
  }

  @Test
  void errorsLeaveNoFile() throws Exception {
    Path missingDir = dir.resolve("out/nope/x.csv");
    OpenTrailException e =
        assertThrows(OpenTrailException.class, () -> run("*", missingDir, Format.CSV, null, false));
    assertEquals("InvalidParameter", e.code());
    assertFalse(Files.exists(missingDir));

    Path bad = dir.resolve("out/bad.csv");
    e =
        assertThrows(
            OpenTrailException.class, () -> run("eventName: (", bad, Format.CSV, null, false));
    assertEquals("InvalidQuery", e.code());
    assertNothingLeft(bad);

    Path existing = dir.resolve("out/existing.jsonl.gz");
    Files.writeString(existing, "keep me");
    e =
        assertThrows(
            OpenTrailException.class, () -> run("*", existing, Format.JSONL_GZ, null, false));
    assertEquals("FileAlreadyExists", e.code());
    assertEquals("keep me", Files.readString(existing));
    run("errorCode: NoSuchKey", existing, Format.JSONL_GZ, null, true);
    assertEquals(expected(x -> "NoSuchKey".equals(x.getString("errorCode"))), jsonlIds(existing));

    e =
        assertThrows(
            OpenTrailException.class,
            () ->
                export.export(
                    A, "actiontrail_none", start, end, "*", bad, Format.CSV, null, false, null));
    assertEquals("LogStoreNotExist", e.code());
    assertNothingLeft(bad);
  }

  @Test
  void cancelledExportLeavesNoFile() throws Exception {
    for (Format f : Format.values()) {
      Path out = dir.resolve("out/cancelled." + f.label());
      long[] seen = {0};
      OpenTrailException e =
          assertThrows(
              OpenTrailException.class,
              () ->
                  export.export(
                      A,
                      EventStore.HISTORY,
                      start,
                      end,
                      "*",
                      out,
                      f,
                      null,
                      false,
                      s -> {
                        seen[0] = s.events();
                        if (s.events() >= 1000) {
                          Thread.currentThread().interrupt(); // as Gogo's Ctrl-C does
                        }
                      }));
      assertTrue(Thread.interrupted(), "the interrupt is kept");
      assertEquals("ExportCancelled", e.code(), e.getMessage());
      assertTrue(seen[0] >= 1000 && seen[0] < expected(x -> true).size());
      assertNothingLeft(out);
    }
  }

  @Test
  void scanDeliversChunksAndStopsWhenAsked() {
    List<Integer> sizes = new ArrayList<>();
    long[] last = {0};
    long done =
        search.scan(
            A,
            EventStore.HISTORY,
            start,
            end,
            "*",
            (chunk, n, total) -> {
              sizes.add(chunk.size());
              assertTrue(chunk.get(0).sequence() > last[0]);
              last[0] = chunk.get(chunk.size() - 1).sequence();
              assertEquals(expected(x -> true).size(), total);
              return sizes.size() < 2;
            });
    assertEquals(2, sizes.size());
    assertTrue(sizes.stream().allMatch(s -> s <= LogSearch.SCAN_CHUNK && s > 0));
    assertEquals(sizes.get(0) + sizes.get(1), done);
  }

  @Test
  void readRunsAnswersExactlyTheSequencesAsked() {
    long[] seqs = {1, 2, 3, 40, 41, 200, 4000, 4001, 4500};
    List<Long> got =
        search.scans.readRuns(EventStore.HISTORY, seqs, seqs.length).stream()
            .map(e -> e.sequence())
            .toList();
    assertEquals(List.of(1L, 2L, 3L, 40L, 41L, 200L, 4000L, 4001L, 4500L), got);
    ByteArrayOutputStream unused = new ByteArrayOutputStream();
    assertEquals(0, unused.size());
  }
}
