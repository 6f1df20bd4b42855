package org.opentrail.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** What to tell an operator when OpenTrail does not come up: the bundles that are not active. */
final class Diagnostics {
  private Diagnostics() {}

  static String describe(BundleContext ctx) {
    StringBuilder b = new StringBuilder("Bundles that are not active:");
    int n = 0;
    for (Bundle bundle : ctx.getBundles()) {
      if (bundle.getState() != Bundle.ACTIVE && bundle.getHeaders().get("Fragment-Host") == null) {
        b.append("\n  ")
            .append(bundle.getBundleId())
            .append(' ')
            .append(bundle.getSymbolicName())
            .append(' ')
            .append(state(bundle.getState()));
        n++;
      }
    }
    if (n == 0) {
      b.append(
          " none (see the log in <data>/log/opentrail.log for components that failed to activate)");
    }
    return b.toString();
  }

  static String state(int s) {
    return switch (s) {
      case Bundle.INSTALLED ->
          "INSTALLED (unresolved: a required package or capability is missing)";
      case Bundle.RESOLVED -> "RESOLVED (not started)";
      case Bundle.STARTING -> "STARTING";
      case Bundle.STOPPING -> "STOPPING";
      case Bundle.ACTIVE -> "ACTIVE";
      default -> "UNINSTALLED";
    };
  }
}
