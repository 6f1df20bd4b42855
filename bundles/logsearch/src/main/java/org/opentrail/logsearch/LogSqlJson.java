package org.opentrail.logsearch;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonProvider;
import com.jayway.jsonpath.spi.json.JsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log Service's JSON functions (Simple Log Service, "JSON functions", Presto's) on JSON text such
 * as the {@code event} column of {@code actiontrail_*} logstores, with JSONPath (Jayway json-path
 * over Jackson, both already embedded for Calcite): {@code json_extract(json, path)} answers the
 * value at {@code path} as JSON text ({@code "alice"}, {@code {"a":1}}), {@code
 * json_extract_scalar(json, path)} a string, number or boolean as text ({@code alice}, {@code 1},
 * {@code true}) and NULL for an object, array or JSON null. Both answer NULL when the text is not
 * JSON or nothing is at the path, as Log Service does; a path JSONPath cannot read (or longer than
 * {@link #MAX_PATH}) is {@code InvalidQuery} naming it. Paths are {@code $.a.b}, {@code $.a[0]},
 * {@code $["a.b"]}; each distinct path is compiled once (at most {@link #CACHED} kept).
 */
public final class LogSqlJson {
  /** The longest path accepted, in characters. */
  static final int MAX_PATH = 1000;

  static final int CACHED = 256;

  private static final Map<String, JsonPath> PATHS = new ConcurrentHashMap<>();

  /** Jackson (keys stay in their order); missing keys read as null rather than failing. */
  private static final Configuration CONF =
      Configuration.builder()
          .jsonProvider(new JacksonJsonProvider())
          .mappingProvider(new JacksonMappingProvider())
          .options(Option.SUPPRESS_EXCEPTIONS)
          .build();

  private LogSqlJson() {}

  /** {@code json_extract(json, path)}: the value at {@code path} as JSON text, NULL if none. */
  public static String jsonExtract(String json, String path) {
    Object v = read("json_extract", json, path);
    if (v == null) {
      return null;
    }
    return LogSqlFunctions.limited(provider().toJson(v), "json_extract");
  }

  /** {@code json_extract_scalar(json, path)}: the scalar at {@code path} as text, else NULL. */
  public static String jsonExtractScalar(String json, String path) {
    Object v = read("json_extract_scalar", json, path);
    if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) {
      return null;
    }
    // a path's functions ($.concat(...)) build strings too
    return LogSqlFunctions.limited(v.toString(), "json_extract_scalar");
  }

  private static JsonProvider provider() {
    return CONF.jsonProvider();
  }

  private static Object read(String function, String json, String path) {
    if (json == null || path == null) {
      return null;
    }
    JsonPath p = compile(function, path);
    Object doc;
    try {
      doc = provider().parse(json);
    } catch (RuntimeException notJson) {
      return null;
    }
    try {
      return p.read(doc, CONF);
    } catch (RuntimeException nothingThere) {
      return null;
    }
  }

  private static JsonPath compile(String function, String path) {
    JsonPath p = PATHS.get(path);
    if (p != null) {
      return p;
    }
    if (path.length() > MAX_PATH) {
      throw LogSqlFunctions.invalid(
          function
              + ": the JSON path '"
              + LogSqlRegex.shown(path)
              + "' is longer than "
              + MAX_PATH
              + " characters.");
    }
    try {
      p = JsonPath.compile(path);
    } catch (InvalidPathException | IllegalArgumentException bad) {
      throw LogSqlFunctions.invalid(
          function
              + ": '"
              + LogSqlRegex.shown(path)
              + "' is not a JSON path (e.g. '$.userIdentity.userName'): "
              + SqlAnalysis.firstLine(bad.getMessage())
              + ".");
    }
    if (PATHS.size() >= CACHED) {
      PATHS.clear();
    }
    PATHS.put(path, p);
    return p;
  }
}
