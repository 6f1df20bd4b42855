package org.opentrail.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * What the installed bundles must register before the instance counts as ready, derived from what
 * they declare rather than from a list kept in the launcher: each Declarative Services component
 * (the XML its {@code Service-Component} header names, as bnd generates it) provides its services
 * once its mandatory references can be met. So a sink or source bundle added to a feature is waited
 * for without touching the launcher.
 *
 * <p>Left out: components that are disabled at first, that require a configuration ({@code
 * configuration-policy="require"}: they come when configured, e.g. a source's webhook instances),
 * and, repeatedly, components with a mandatory reference to an interface that nothing installed
 * provides (no expected component, and no service registered when all bundles have started, such as
 * those bundle activators register), e.g. the shell's trail commands without the trail feature.
 */
final class Readiness {
  /** One service a component provides, with the component that provides it. */
  record Wanted(String component, String filter) {}

  private record Component(
      String name, Bundle bundle, List<String> provides, List<String> mandatory) {}

  private Readiness() {}

  /** The services to wait for: a filter each, restricted to the bundle that declares it. */
  static List<Wanted> of(List<Bundle> bundles, BundleContext ctx) {
    List<Component> components = new ArrayList<>();
    for (Bundle b : bundles) {
      components.addAll(components(b));
    }
    boolean removed = true;
    while (removed) {
      Set<String> provided = new HashSet<>();
      for (Component c : components) {
        provided.addAll(c.provides());
      }
      removed =
          components.removeIf(
              c ->
                  c.mandatory().stream()
                      .anyMatch(i -> !provided.contains(i) && !registered(ctx, i)));
    }
    List<Wanted> out = new ArrayList<>();
    for (Component c : components) {
      for (String i : c.provides()) {
        out.add(
            new Wanted(
                c.name(),
                "(&(objectClass=" + i + ")(service.bundleid=" + c.bundle().getBundleId() + "))"));
      }
    }
    return out;
  }

  private static boolean registered(BundleContext ctx, String iface) {
    try {
      return ctx.getAllServiceReferences(iface, null) != null;
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The components a bundle declares that provide services and come without configuration. */
  private static List<Component> components(Bundle b) {
    String header = b.getHeaders("").get("Service-Component");
    if (header == null || header.isBlank()) {
      return List.of();
    }
    List<Component> out = new ArrayList<>();
    for (String path : header.split(",")) {
      URL url = b.getEntry(path.strip());
      if (url == null) {
        continue; // a wildcard or a missing entry: SCR reports it; nothing to wait for
      }
      try (InputStream in = url.openStream()) {
        component(b, parse(in)).ifPresent(out::add);
      } catch (IOException | SAXException | ParserConfigurationException e) {
        throw new IllegalStateException(
            "Bundle " + b.getSymbolicName() + ": cannot read its component " + path, e);
      }
    }
    return out;
  }

  private static Document parse(InputStream in)
      throws ParserConfigurationException, SAXException, IOException {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setExpandEntityReferences(false);
    return f.newDocumentBuilder().parse(in);
  }

  private static java.util.Optional<Component> component(Bundle b, Document doc) {
    Element root = doc.getDocumentElement();
    if ("false".equals(root.getAttribute("enabled"))
        || "require".equals(root.getAttribute("configuration-policy"))) {
      return java.util.Optional.empty();
    }
    List<String> provides = new ArrayList<>();
    NodeList p = root.getElementsByTagNameNS("*", "provide");
    if (p.getLength() == 0) {
      p = root.getElementsByTagName("provide");
    }
    for (int i = 0; i < p.getLength(); i++) {
      provides.add(((Element) p.item(i)).getAttribute("interface"));
    }
    if (provides.isEmpty()) {
      return java.util.Optional.empty();
    }
    List<String> mandatory = new ArrayList<>();
    NodeList refs = root.getElementsByTagNameNS("*", "reference");
    if (refs.getLength() == 0) {
      refs = root.getElementsByTagName("reference");
    }
    for (int i = 0; i < refs.getLength(); i++) {
      Element r = (Element) refs.item(i);
      String cardinality = r.getAttribute("cardinality");
      if (cardinality.isEmpty() || cardinality.startsWith("1")) {
        mandatory.add(r.getAttribute("interface"));
      }
    }
    return java.util.Optional.of(
        new Component(root.getAttribute("name"), b, List.copyOf(provides), mandatory));
  }
}
