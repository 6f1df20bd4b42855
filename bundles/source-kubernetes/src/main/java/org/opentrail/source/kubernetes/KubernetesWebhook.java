package org.opentrail.source.kubernetes;

import org.opentrail.api.auth.IdentityService;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.internal.source.SourceInstance;
import org.opentrail.internal.source.SourceWebhook;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's audit webhook, at {@code /sources/kubernetes/<instance>}: one per factory
 * configuration of {@value #PID}, e.g. the file {@code
 * <data>/etc/org.opentrail.source.kubernetes-prod.cfg} (File Install makes a file named {@code
 * <factory pid>-<name>.cfg} the factory configuration {@code <factory pid>~<name>}; a file named
 * with {@code ~} is a plain configuration no factory component sees):
 *
 * <pre>
 * instance=prod
 * auth.token.sha256=&lt;printf %s "$TOKEN" | sha256sum&gt;
 * record.stages=ResponseComplete,Panic
 * </pre>
 *
 * <p>On the cluster, give kube-apiserver {@code --audit-webhook-config-file} with a kubeconfig
 * whose {@code clusters[0].cluster.server} is {@code
 * https://<opentrail>/sources/kubernetes/<instance>} and whose {@code users[0].user.token} is the
 * token whose SHA-256 is {@code auth.token.sha256}, plus an audit policy ({@code
 * --audit-policy-file}); batch mode is the default and fits: one POST carries up to {@code
 * --audit-webhook-batch-max-size} (400) entries. See <a
 * href="https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#webhook-backend">the webhook
 * backend</a>. Keys:
 *
 * <ul>
 *   <li>{@code instance}, {@code account.id}, {@code auth.token.sha256}, {@code max.body.bytes},
 *       {@code max.concurrent.requests}: as for every source ({@link SourceInstance});
 *   <li>{@code record.stages}: the audit stages recorded (an array, or one comma-separated string
 *       as in a {@code .cfg} file), default {@code ResponseComplete,Panic} (see {@link
 *       KubernetesTranslator} for what adding {@code RequestReceived} or {@code ResponseStarted}
 *       does);
 *   <li>{@code keep.request.objects}: keep {@code requestObject}/{@code responseObject} (redacted,
 *       {@link Redaction}) instead of dropping them; default {@code false};
 *   <li>{@code service.internal.users}: users whose requests go to the inner trail, exact or {@code
 *       prefix*}, an array or comma-separated; default {@link
 *       KubernetesOptions#DEFAULT_INTERNAL_USERS}.
 * </ul>
 *
 * A configuration with a bad value is refused with a message naming the key, and nothing is
 * received for that instance until it is corrected.
 */
@Component(
    configurationPid = KubernetesWebhook.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = KubernetesWebhook.Config.class, factory = true)
public final class KubernetesWebhook {
  static final String PID = "org.opentrail.source.kubernetes";
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWebhook.class);

  @ObjectClassDefinition(
      name = "OpenTrail Kubernetes audit webhook",
      description = "One Kubernetes cluster posting its API server audit log to OpenTrail.")
  @interface Config {
    @AttributeDefinition(
        description =
            "The sender's name, the last path segment: /sources/kubernetes/<instance> (1 to 64"
                + " lowercase letters, digits, '-' or '_').")
    String instance();

    @AttributeDefinition(
        description = "The account its events are recorded for; empty for the default account.")
    String account_id() default "";

    @AttributeDefinition(
        description =
            "SHA-256 (64 hex digits) of the bearer token in the webhook kubeconfig; never the"
                + " token itself.")
    String auth_token_sha256();

    @AttributeDefinition(description = "Largest body accepted, after gzip, in bytes.")
    int max_body_bytes() default 8 << 20;

    @AttributeDefinition(description = "Posts handled at once; more are answered 429.")
    int max_concurrent_requests() default 16;

    @AttributeDefinition(
        description =
            "Audit stages recorded (RequestReceived, ResponseStarted, ResponseComplete, Panic);"
                + " the others are skipped as superseded by the complete stage.")
    String[] record_stages() default {KubernetesOptions.DEFAULT_STAGES};

    @AttributeDefinition(
        description =
            "Keep requestObject and responseObject (Secret data and known secret fields"
                + " redacted) instead of dropping them.")
    boolean keep_request_objects() default false;

    @AttributeDefinition(
        description =
            "Users whose requests are the control plane's own (recorded for the inner trail):"
                + " exact names or prefixes ending in '*'.")
    String[] service_internal_users() default {
      "system:apiserver",
      "system:kube-controller-manager",
      "system:kube-scheduler",
      "system:kube-proxy",
      "system:cloud-controller-manager",
      "system:node:*",
      "system:serviceaccount:kube-system:*"
    };
  }

  private final SourceWebhook webhook;

  /**
   * Registers the instance's webhook.
   *
   * @param identities answers the installation's default account, for an empty {@code account.id}
   * @throws IllegalArgumentException for a bad configuration value, naming its key
   */
  @Activate
  public KubernetesWebhook(
      BundleContext context,
      @Reference EventRecorder recorder,
      @Reference IdentityService identities,
      Config c) {
    SourceInstance instance;
    KubernetesTranslator translator;
    try {
      instance = instance(c, identities.defaultAccountId());
      translator = translator(c);
    } catch (IllegalArgumentException e) {
      LOG.error("Configuration {} (instance {}) is refused: {}", PID, c.instance(), e.getMessage());
      throw e;
    }
    try {
      webhook = SourceWebhook.register(context, instance, recorder, identities, translator);
    } catch (IllegalArgumentException e) {
      LOG.error("Configuration {} (instance {}) is refused: {}", PID, c.instance(), e.getMessage());
      throw e;
    }
    LOG.info("Kubernetes source {}: {}", instance.sender(), translator.options());
  }

  static SourceInstance instance(Config c, String defaultAccount) {
    return SourceInstance.of(
        KubernetesSource.NAME,
        c.instance(),
        c.account_id(),
        defaultAccount,
        c.auth_token_sha256(),
        c.max_body_bytes(),
        c.max_concurrent_requests());
  }

  static KubernetesTranslator translator(Config c) {
    return new KubernetesTranslator(
        KubernetesOptions.of(
            c.instance(), c.record_stages(), c.keep_request_objects(), c.service_internal_users()));
  }

  @Deactivate
  void stop() {
    webhook.close();
  }
}
