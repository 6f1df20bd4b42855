package org.opentrail.internal.source;

import jakarta.servlet.Servlet;
import java.util.Hashtable;
import org.opentrail.api.event.EventRecorder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sender's webhook on the HTTP whiteboard at {@code /sources/<source>/<instance>}, registered
 * by a source's per-instance component when its configuration appears and closed when it goes.
 */
public final class SourceWebhook implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SourceWebhook.class);

  private final ServiceRegistration<Servlet> registration;
  private final SourceInstance instance;

  private SourceWebhook(ServiceRegistration<Servlet> registration, SourceInstance instance) {
    this.registration = registration;
    this.instance = instance;
  }

  /** Registers the servlet of {@code instance}, which hands bodies to {@code translator}. */
  public static SourceWebhook register(
      BundleContext context,
      SourceInstance instance,
      EventRecorder recorder,
      WebhookTranslator translator) {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("osgi.http.whiteboard.servlet.pattern", instance.path());
    props.put("osgi.http.whiteboard.servlet.name", "opentrail-source-" + instance.sender());
    ServiceRegistration<Servlet> reg =
        context.registerService(
            Servlet.class, new WebhookServlet(instance, recorder, translator), props);
    LOG.info(
        "Source {} receives at {} for account {}",
        instance.sender(),
        instance.path(),
        instance.accountId());
    return new SourceWebhook(reg, instance);
  }

  /** The servlet alone, outside OSGi (tests and benchmarks serve it themselves). */
  public static jakarta.servlet.http.HttpServlet servlet(
      SourceInstance instance, EventRecorder recorder, WebhookTranslator translator) {
    return new WebhookServlet(instance, recorder, translator);
  }

  @Override
  public void close() {
    try {
      registration.unregister();
      LOG.info("Source {} no longer receives at {}", instance.sender(), instance.path());
    } catch (IllegalStateException alreadyGone) {
      // the bundle is stopping and the framework unregistered it already
    }
  }
}
