package org.opentrail.tests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** What the file sink wrote: how often each eventId appears across all delivered files. */
final class Delivered {
  private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([^\"]+)\"");

  private Delivered() {}

  static Map<String, Integer> fileSink(Path ossRoot) {
    Map<String, Integer> counts = new HashMap<>();
    if (!Files.isDirectory(ossRoot)) {
      return counts;
    }
    try (Stream<Path> files = Files.walk(ossRoot)) {
      for (Path f :
          files
              .filter(
                  p ->
                      p.getFileName().toString().endsWith(".gz")
                          && !p.getFileName().toString().startsWith("."))
              .toList()) {
        String json;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
          json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = EVENT_ID.matcher(json);
        while (m.find()) {
          counts.merge(m.group(1), 1, Integer::sum);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  /**
   * Ids missing from, or found more than once in, what was delivered (at most 10 of each shown).
   */
  static String problems(List<String> recorded, Map<String, Integer> delivered) {
    List<String> missing =
        recorded.stream().filter(id -> !delivered.containsKey(id)).limit(10).toList();
    List<String> twice =
        delivered.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .limit(10)
            .toList();
    long missingCount = recorded.stream().filter(id -> !delivered.containsKey(id)).count();
    return missing.isEmpty() && twice.isEmpty()
        ? ""
        : missingCount + " missing " + missing + ", more than once " + twice;
  }
}
