package org.opentrail.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads feature files: named groups of bundles. A feature file {@code <name>.feature} lists one
 * bundle per line as {@code groupId:artifactId} (found in the distribution as {@code
 * bundles/<artifactId>.jar}), may {@code include} other features, and ignores blank lines and
 * {@code #} comments.
 */
final class Features {
  private final Path featuresDir;
  private final Path bundlesDir;

  Features(Path featuresDir, Path bundlesDir) {
    this.featuresDir = featuresDir;
    this.bundlesDir = bundlesDir;
  }

  /** The names of the features the distribution has. */
  List<String> available() throws IOException {
    try (Stream<Path> s = Files.list(featuresDir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".feature"))
          .map(n -> n.substring(0, n.length() - ".feature".length()))
          .sorted()
          .toList();
    }
  }

  /** The bundle jars of the given features and what they include, in order, each once. */
  List<Path> bundles(List<String> names) throws LaunchException {
    Set<Path> out = new LinkedHashSet<>();
    Set<String> done = new LinkedHashSet<>();
    for (String n : names) {
      add(n, out, done, new ArrayList<>());
    }
    return List.copyOf(out);
  }

  private void add(String name, Set<Path> out, Set<String> done, List<String> path)
      throws LaunchException {
    if (path.contains(name)) {
      throw new LaunchException(
          "Feature " + name + " includes itself: " + String.join(" -> ", path) + " -> " + name);
    }
    if (!done.add(name)) {
      return;
    }
    Path file = featuresDir.resolve(name + ".feature");
    if (!name.matches("[a-z0-9][a-z0-9._-]*") || !Files.isRegularFile(file)) {
      String known;
      try {
        known = String.join(", ", available());
      } catch (IOException e) {
        known = "(unreadable: " + e.getMessage() + ")";
      }
      throw new LaunchException("There is no feature '" + name + "'; the features are: " + known);
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new LaunchException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    path.add(name);
    int lineNo = 0;
    for (String raw : lines) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("include ")) {
        add(line.substring("include ".length()).strip(), out, done, path);
        continue;
      }
      String[] ga = line.split(":");
      if (ga.length != 2 || ga[0].isBlank() || ga[1].isBlank()) {
        throw new LaunchException(
            file
                + " line "
                + lineNo
                + ": expected groupId:artifactId or 'include <feature>', found '"
                + line
                + "'");
      }
      Path jar = bundlesDir.resolve(ga[1] + ".jar");
      if (!Files.isRegularFile(jar)) {
        throw new LaunchException(
            "Feature "
                + name
                + " names "
                + line
                + " but the distribution has no "
                + jar
                + "; rebuild it (mvn package)");
      }
      out.add(jar.toAbsolutePath().normalize());
    }
    path.remove(path.size() - 1);
  }
}
