package org.opentrail.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when the HTTP runtime listens on an address other than loopback without TLS: signed
 * requests resist tampering and replay, but what they carry (events, lookups) would travel in the
 * clear. Watches the servlet runtimes' {@code osgi.http.endpoint} property, so a reconfigured
 * listener is checked again.
 */
@Component(immediate = true)
public final class EndpointCheck implements ServiceListener {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointCheck.class);
  private static final String FILTER =
      "(|(objectClass=org.osgi.service.servlet.runtime.HttpServiceRuntime)"
          + "(objectClass=org.osgi.service.http.runtime.HttpServiceRuntime))";

  private final BundleContext context;
  private final List<String> warned = new ArrayList<>();

  @Activate
  public EndpointCheck(BundleContext context) throws InvalidSyntaxException {
    this.context = context;
    context.addServiceListener(this, FILTER);
    ServiceReference<?>[] refs = context.getServiceReferences((String) null, FILTER);
    if (refs != null) {
      for (ServiceReference<?> ref : refs) {
        check(ref);
      }
    }
  }

  @Deactivate
  void deactivate() {
    context.removeServiceListener(this);
  }

  @Override
  public void serviceChanged(ServiceEvent event) {
    if (event.getType() != ServiceEvent.UNREGISTERING) {
      check(event.getServiceReference());
    }
  }

  private synchronized void check(ServiceReference<?> ref) {
    for (String endpoint : endpoints(ref.getProperty("osgi.http.endpoint"))) {
      if (insecure(endpoint) && !warned.contains(endpoint)) {
        warned.add(endpoint);
        LOG.warn(
            "The HTTP API listens on {} without TLS: requests and answers (events, lookups) travel"
                + " in the clear. Listen on 127.0.0.1 or configure HTTPS (org.apache.felix.https.*).",
            endpoint);
      }
    }
  }

  /** Whether an endpoint URL is plain HTTP on an address other than loopback. */
  static boolean insecure(String endpoint) {
    try {
      URI uri = URI.create(endpoint);
      String host = uri.getHost();
      if (!"http".equalsIgnoreCase(uri.getScheme()) || host == null) {
        return false;
      }
      String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
      return !(h.equals("localhost")
          || h.startsWith("127.")
          || h.equals("::1")
          || h.equals("0:0:0:0:0:0:0:1"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static List<String> endpoints(Object property) {
    List<String> out = new ArrayList<>();
    if (property instanceof String s) {
      out.add(s);
    } else if (property instanceof String[] a) {
      out.addAll(List.of(a));
    } else if (property instanceof Collection<?> c) {
      c.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }
}
