package org.opentrail.logsearch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.logsearch.IndexConfig;
import org.opentrail.api.logsearch.IndexConfig.FieldType;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Each stream's index configuration, kept durably as {@code <dir>/<stream>.json} ({@code
 * {"fullText":true,"fields":{"eventName":"keyword",...}}}); a stream without a file has {@link
 * LogFields#defaults its defaults}.
 */
final class IndexConfigs {
  /** A field name: letters, digits, '_', '-', '.', as Log Service's keys (at most 128). */
  static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

  static final int MAX_FIELDS = 100;

  private final Path dir;
  private final Map<String, IndexConfig> cache = new ConcurrentHashMap<>();

  IndexConfigs(Path dir) throws IOException {
    this.dir = dir;
    DurableFiles.createPrivateDirectories(dir);
  }

  IndexConfig get(String stream) {
    return cache.computeIfAbsent(stream, this::load);
  }

  private IndexConfig load(String stream) {
    Path file = dir.resolve(stream + ".json");
    if (!Files.exists(file)) {
      return LogFields.defaults(stream);
    }
    try {
      return parse(EventJson.read(Files.readAllBytes(file)));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("cannot read the index configuration " + file + ": " + e, e);
    }
  }

  /** Saves a stream's configuration durably. */
  void set(String stream, IndexConfig config) throws IOException {
    DurableFiles.write(dir.resolve(stream + ".json"), EventJson.write(toJson(config)));
    cache.put(stream, config);
  }

  /** Forgets a deleted stream's configuration. */
  void delete(String stream) throws IOException {
    cache.remove(stream);
    Files.deleteIfExists(dir.resolve(stream + ".json"));
  }

  /**
   * The configuration as JSON: {@code
   * {"fullText":bool,"fields":{name:"keyword|text|long|double"}}}.
   */
  static Map<String, Object> toJson(IndexConfig c) {
    Map<String, Object> fields = new LinkedHashMap<>();
    c.fields().forEach((k, v) -> fields.put(k, v.name().toLowerCase(Locale.ROOT)));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fullText", c.fullText());
    m.put("fields", fields);
    return m;
  }

  /**
   * A configuration from its JSON form.
   *
   * @throws InvalidParameterException naming what is wrong
   */
  static IndexConfig parse(Object json) {
    if (!(json instanceof Map<?, ?> m)) {
      throw new InvalidParameterException(
          "IndexConfig", "An index configuration is a JSON object.");
    }
    Object full = m.containsKey("fullText") ? m.get("fullText") : Boolean.TRUE;
    if (!(full instanceof Boolean)) {
      throw new InvalidParameterException("IndexConfig", "fullText must be true or false.");
    }
    if (!(m.get("fields") instanceof Map<?, ?> f)) {
      throw new InvalidParameterException(
          "IndexConfig",
          "fields must be an object of field name to keyword, text, long or double.");
    }
    if (f.size() > MAX_FIELDS) {
      throw new InvalidParameterException(
          "IndexConfig", "At most " + MAX_FIELDS + " fields can be indexed, not " + f.size() + ".");
    }
    Map<String, FieldType> fields = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : f.entrySet()) {
      String name = String.valueOf(e.getKey());
      if (!FIELD.matcher(name).matches()) {
        throw new InvalidParameterException(
            "IndexConfig", "'" + name + "' is not a field name (letters, digits, '_', '-', '.').");
      }
      try {
        fields.put(name, FieldType.valueOf(String.valueOf(e.getValue()).toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException bad) {
        throw new InvalidParameterException(
            "IndexConfig",
            "The type of field "
                + name
                + " must be keyword, text, long or double, not '"
                + e.getValue()
                + "'.");
      }
    }
    return new IndexConfig((Boolean) full, fields);
  }
}
