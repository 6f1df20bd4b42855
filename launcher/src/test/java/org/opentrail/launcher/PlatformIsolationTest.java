package org.opentrail.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The launcher's class path holds the API, jackson-core and the digest helper for {@code opentrail
 * verify}; bundles must never see them there (they get the API and jackson-core as bundles, and two
 * copies of a class would break their wiring). A bundle that imports anything it can find still
 * finds none of them.
 */
class PlatformIsolationTest {
  static final List<String> LAUNCHER_ONLY =
      List.of(
          "org.opentrail.api.event.EventJson",
          "org.opentrail.api.proof.PublicKeyInfo",
          "com.fasterxml.jackson.core.JsonFactory",
          "org.opentrail.internal.digest.DestinationVerifier",
          "org.opentrail.internal.durable.DurableFiles",
          "org.opentrail.launcher.VerifyCommand");

  @Test
  void bundlesDoNotSeeTheLaunchersClassPath(@TempDir Path dir) throws Exception {
    for (String c : LAUNCHER_ONLY) {
      Class.forName(c); // on this class path, as on the launcher's
    }
    Path home = dir.resolve("home");
    Files.createDirectories(home.resolve("features"));
    Files.createDirectories(home.resolve("bundles"));
    try (Platform p =
        Platform.start(home, dir.resolve("data"), List.of(), Map.of(), Duration.ofSeconds(30))) {
      Bundle probe = p.context().installBundle("probe", new ByteArrayInputStream(probeBundle()));
      probe.start();
      assertEquals(String.class, probe.loadClass("java.lang.String"));
      // it does import what the framework exports: the probe really imports anything it can find
      assertEquals(Bundle.class.getName(), probe.loadClass("org.osgi.framework.Bundle").getName());
      for (String c : LAUNCHER_ONLY) {
        assertThrows(ClassNotFoundException.class, () -> probe.loadClass(c), c);
      }
      BundleWiring system = p.context().getBundle(0).adapt(BundleWiring.class);
      for (BundleCapability cap : system.getCapabilities("osgi.wiring.package")) {
        String pkg = (String) cap.getAttributes().get("osgi.wiring.package");
        assertTrue(
            !pkg.startsWith("org.opentrail") && !pkg.startsWith("com.fasterxml"),
            "the system bundle exports " + pkg);
      }
    }
  }

  /** A bundle with no classes that imports every package anyone exports. */
  static byte[] probeBundle() throws Exception {
    Manifest m = new Manifest();
    Attributes a = m.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Bundle-ManifestVersion", "2");
    a.putValue("Bundle-SymbolicName", "org.opentrail.test.probe");
    a.putValue("DynamicImport-Package", "*");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(out, m)) {
      jar.flush();
    }
    return out.toByteArray();
  }
}
