package org.opentrail.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU profiles of the child OpenTrail over exactly one timed phase: async-profiler ({@code
 * --profile <path of libasyncProfiler.so>}) is loaded into the running server through the attach
 * API at the start of the phase ({@code start,event=itimer,interval=2ms}) and told to stop and
 * write collapsed stacks at its end, so neither the start, the warm-up nor the index catch-up are
 * in it. Read back, the samples are put into the server's parts by the first marker found in each
 * stack ({@link #PARTS}), with the heaviest leaf frames. Shares are of the samples taken: with both
 * cores busy, SIGPROF signals of itimer coalesce, and the samples then cover only part of the CPU
 * time the kernel counts (about half in the runs of 2026-11-30).
 */
final class ServerProfile {
  /** Where a stack's time goes: the first part whose marker is in it, in this order. */
  private static final String[][] PARTS = {
    {"JIT compiler threads", "CompileBroker::compiler_thread_loop"},
    {"GC threads", "GangWorker::", "ConcurrentGCThread::", "VMThread::"},
    {"Lucene merge threads", "ConcurrentMergeScheduler$MergeThread.run"},
    {"indexer thread (Lucene documents, flushes, refreshes)", "store/index/Indexer.run"},
    {"journal writer thread (encode, zstd, write, fsync)", "store/journal/JournalWriter.run"},
    {"request: the source's translator (parse, map)", "Translator.translate"},
    {"request: the recorder (normalize, append, await durable)", "EventRecorderService.record"},
    {
      "request: sizing events for slices (their JSON, written before the recorder's copy)",
      "WebhookServlet.inSlices;org/opentrail/api/event/Event.jsonSize"
    },
    {"request: writing the answer", "WebhookServlet.answer"},
    {"request: the rest (Jetty, reading the body, the token)", "QueuedThreadPool$Runner.run"},
  };

  /** Inclusive shares worth knowing inside the parts above. */
  private static final String[][] WITHIN = {
    {"recorder: EventNormalizer.normalize", "recorder/EventNormalizer.normalize"},
    {"recorder: store append (StreamStore.append)", "store/StreamStore.append"},
    {"writing events' JSON (Event.json), all callers", "api/event/Event.json"},
    {
      "  in the normalizer (the JSON the journal stores)",
      "EventNormalizer.normalize;org/opentrail/api/event/Event.jsonSize"
    },
    {
      "  in WebhookServlet.inSlices (to size slices; not kept)",
      "WebhookServlet.inSlices;org/opentrail/api/event/Event.jsonSize"
    },
    {"translator: JSON parse of the entries", "AuditJson.readObject", "AuditEntryReader.read"},
    {"translator: mapping to events", "AuditEntries.map", "MinioEvents.build"},
    {"request: reading the body", "WebhookServlet$Bodies.read"},
    {"request: Jetty's HTTP parsing", "jetty/http/HttpParser.parseNext"},
  };

  private ServerProfile() {}

  /** Loads async-profiler into {@code pid} and starts CPU sampling. */
  static void start(long pid, String library) throws Exception {
    load(pid, library, "start,event=itimer,interval=2ms");
  }

  /** Stops sampling in {@code pid} and writes collapsed stacks to {@code file}. */
  static void stop(long pid, String library, Path file) throws Exception {
    load(pid, library, "stop,file=" + file.toAbsolutePath() + ",collapsed");
  }

  private static void load(long pid, String library, String options) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      vm.loadAgentPath(library, options);
    } finally {
      vm.detach();
    }
  }

  /**
   * Prints where the samples of {@code collapsed} went, indented by two.
   *
   * @return the CPU time the samples stand for, in nanoseconds
   */
  static long summarize(Path collapsed, PrintStream out, int top) throws IOException {
    long total = 0;
    Map<String, Long> parts = new LinkedHashMap<>();
    Map<String, Long> within = new LinkedHashMap<>();
    Map<String, Long> leaves = new HashMap<>();
    for (String[] p : PARTS) {
      parts.put(p[0], 0L);
    }
    parts.put("other", 0L);
    for (String[] w : WITHIN) {
      within.put(w[0], 0L);
    }
    for (String line : Files.readAllLines(collapsed)) {
      int space = line.lastIndexOf(' ');
      if (space < 0) {
        continue;
      }
      long n = Long.parseLong(line.substring(space + 1).strip());
      String stack = line.substring(0, space);
      total += n;
      String part = "other";
      for (String[] p : PARTS) {
        if (containsAny(stack, p)) {
          part = p[0];
          break;
        }
      }
      parts.merge(part, n, Long::sum);
      for (String[] w : WITHIN) {
        if (containsAny(stack, w)) {
          within.merge(w[0], n, Long::sum);
        }
      }
      leaves.merge(stack.substring(stack.lastIndexOf(';') + 1), n, Long::sum);
    }
    if (total == 0) {
      out.println("  (no samples)");
      return 0;
    }
    out.printf(
        Locale.ROOT, "  %,d samples of 2 ms CPU (%.1f s) in %s%n", total, total * 0.002, collapsed);
    for (Map.Entry<String, Long> e : parts.entrySet()) {
      if (e.getValue() > 0) {
        out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey());
      }
    }
    out.println("  inclusive:");
    for (Map.Entry<String, Long> e : within.entrySet()) {
      out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey());
    }
    out.println("  hottest frames (self):");
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(leaves.entrySet());
    sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(top, sorted.size()))) {
      out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total, e.getKey());
    }
    return total * 2_000_000L;
  }

  private static boolean containsAny(String stack, String[] labelAndMarkers) {
    for (int i = 1; i < labelAndMarkers.length; i++) {
      if (stack.contains(labelAndMarkers[i])) {
        return true;
      }
    }
    return false;
  }
}
