package org.opentrail.console;

import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

/**
 * The console's static files, from inside the bundle: its script and stylesheet, and ECharts from
 * its WebJar ({@code org.webjars.npm:echarts}). Served gzip-compressed (each compressed once, kept
 * in memory), cacheable for a day; any other name is 404.
 */
final class Assets {
  private static final String ECHARTS =
      "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private static final Map<String, String[]> FILES =
      Map.of(
          "console.js", new String[] {"org/opentrail/console/static/console.js", "text/javascript"},
          "console.css", new String[] {"org/opentrail/console/static/console.css", "text/css"},
          "echarts.min.js", new String[] {ECHARTS, "text/javascript"});

  private final Map<String, byte[]> gzipped = new ConcurrentHashMap<>();

  void serve(String name, HttpServletResponse resp) throws IOException {
    String[] f = FILES.get(name);
    if (f == null) {
      resp.setHeader("Cache-Control", "no-store");
      resp.sendError(404);
      return;
    }
    byte[] body = gzipped.computeIfAbsent(name, n -> gzip(f[0]));
    resp.setContentType(f[1] + ";charset=utf-8");
    resp.setHeader("Content-Encoding", "gzip");
    resp.setHeader("Cache-Control", "private, max-age=86400");
    resp.setContentLength(body.length);
    resp.getOutputStream().write(body);
  }

  private static byte[] gzip(String resource) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the bundle lacks " + resource);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream z = new GZIPOutputStream(out)) {
        in.transferTo(z);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
