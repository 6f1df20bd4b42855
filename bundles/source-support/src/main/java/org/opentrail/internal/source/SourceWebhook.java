package org.opentrail.internal.source;

import jakarta.servlet.Servlet;
import java.util.Hashtable;
import org.opentrail.api.auth.IdentityService;
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

  /** The paths of this source bundle's registered senders: one configuration each. */
  private static final java.util.Set<String> TAKEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Registers the servlet of {@code instance}, which hands bodies to {@code translator}.
   *
   * @throws IllegalArgumentException if the instance's account does not exist, or another
   *     configuration of this source already has the instance name (the first keeps it; an edit of
   *     either never moves the path to the other)
   */
  public static SourceWebhook register(
      BundleContext context,
      SourceInstance instance,
      EventRecorder recorder,
      IdentityService identities,
      WebhookTranslator translator) {
    if (!identities.accounts().contains(instance.accountId())) {
      throw new IllegalArgumentException(
          "account.id=" + instance.accountId() + " is refused: there is no such account");
    }
    if (!TAKEN.add(instance.path())) {
      throw new IllegalArgumentException(
          "instance="
              + instance.instance()
              + " is refused: another configuration of source "
              + instance.source()
              + " has that instance already; give each sender its own");
    }
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("osgi.http.whiteboard.servlet.pattern", instance.path());
    props.put("osgi.http.whiteboard.servlet.name", "opentrail-source-" + instance.sender());
    ServiceRegistration<Servlet> reg;
    try {
      reg =
          context.registerService(
              Servlet.class, new WebhookServlet(instance, recorder, translator), props);
    } catch (RuntimeException e) {
      TAKEN.remove(instance.path());
      throw e;
    }
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
    TAKEN.remove(instance.path());
    try {
      registration.unregister();
      LOG.info("Source {} no longer receives at {}", instance.sender(), instance.path());
    } catch (IllegalStateException alreadyGone) {
      // the bundle is stopping and the framework unregistered it already
    }
  }
}
