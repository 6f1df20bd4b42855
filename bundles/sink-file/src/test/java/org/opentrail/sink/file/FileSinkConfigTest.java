package org.opentrail.sink.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.framework.BundleContext;
import org.osgi.util.converter.Converters;

/** A bad gzip.level never makes the file sink type disappear, and never replaces a good one. */
class FileSinkConfigTest {
  @TempDir Path data;

  private BundleContext context() {
    return (BundleContext)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class},
            (proxy, m, args) ->
                m.getName().equals("getProperty") && "opentrail.data".equals(args[0])
                    ? data.toString()
                    : null);
  }

  private static FileSinkConfig config(Map<String, Object> m) {
    return Converters.standardConverter().convert(m).to(FileSinkConfig.class);
  }

  @Test
  void anInvalidLevelAtActivationGivesTheDefaultAndTheSinkWorks() throws Exception {
    for (int bad : new int[] {0, -1, 10, 99}) {
      FileSinkProvider p = new FileSinkProvider(context(), config(Map.of("gzip.level", bad)));
      assertEquals(FileSinkProvider.DEFAULT_GZIP_LEVEL, p.gzipLevel());
    }
    FileSinkProvider p = new FileSinkProvider(context(), config(Map.of("gzip.level", 0)));
    Map<String, String> dest = Map.of("bucket", "audit-log");
    Sink sink = p.open(new SinkTarget("1234567890123456", "my-trail", "file", dest));
    sink.deliver(
        new DeliveryBatch(
            "1-1", 1, 1, List.of(FileSinkTest.event(1, "cn-x", "2026-11-21T00:00:01Z"))));
    try (Stream<Path> s = Files.walk(data.resolve("oss"))) {
      assertEquals(1, s.filter(Files::isRegularFile).count());
    }
  }

  @Test
  void anInvalidChangeKeepsTheCurrentLevelAndAValidOneApplies() {
    FileSinkProvider p = new FileSinkProvider(context(), config(Map.of("gzip.level", 6)));
    p.modified(context(), config(Map.of("gzip.level", 12)));
    assertEquals(6, p.gzipLevel());
    p.modified(context(), config(Map.of("gzip.level", 0)));
    assertEquals(6, p.gzipLevel());
    p.modified(context(), config(Map.of("gzip.level", 9)));
    assertEquals(9, p.gzipLevel());
  }

  @Test
  void outsideOsgiAnInvalidLevelIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new FileSinkProvider(data, 0));
  }

  /** A bucket is one resource whether or not its directory exists yet (issue 10). */
  @Test
  void theResourceOfABucketDoesNotChangeOnceItsDirectoryExists(@TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path root = dir.resolve("oss");
    FileSinkProvider p = new FileSinkProvider(root, 1);
    var target =
        new org.opentrail.api.sink.SinkTarget(
            "1234567890123456", "some-trail", "file", java.util.Map.of("bucket", "audit-log"));
    String before = p.resource(target);
    java.nio.file.Files.createDirectories(root.resolve("audit-log"));
    assertEquals(before, p.resource(target));
    assertEquals("file://" + root.toAbsolutePath().normalize() + "/audit-log", before);
  }
}
