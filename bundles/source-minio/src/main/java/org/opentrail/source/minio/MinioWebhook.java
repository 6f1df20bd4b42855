package org.opentrail.source.minio;

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
 * One MinIO deployment sending its audit log: a factory configuration {@value #PID} per sender
 * (e.g. {@code data/etc/org.opentrail.source.minio-prod.cfg}), received at {@code
 * /sources/minio/<instance>}. On the MinIO side (minio/minio {@code docs/logging/README.md}, "Audit
 * Targets"):
 *
 * <pre>
 * mc admin config set ALIAS audit_webhook:opentrail \
 *     endpoint="https://opentrail.example.com/sources/minio/prod" auth_token="Bearer $TOKEN"
 * </pre>
 *
 * MinIO sends {@code auth_token} as the {@code Authorization} header exactly as configured
 * (minio/docs #996), so it must include {@code Bearer }; this configuration holds only the token's
 * SHA-256 ({@code printf %s "$TOKEN" | sha256sum}). {@code batch_size} above 1 is fine (the entries
 * come newline-delimited); MinIO retries what is not answered 2xx, and a retried entry is a
 * duplicate (see {@link EventIds}).
 */
@Component(configurationPid = MinioWebhook.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MinioWebhook.Config.class, factory = true)
public final class MinioWebhook {
  static final String PID = "org.opentrail.source.minio";
  private static final Logger LOG = LoggerFactory.getLogger(MinioWebhook.class);

  @ObjectClassDefinition(
      name = "OpenTrail MinIO source",
      description = "A MinIO deployment that posts its audit log (audit_webhook) to OpenTrail.")
  @interface Config {
    @AttributeDefinition(
        description =
            "The sender's name, the last path segment it posts to (/sources/minio/<instance>):"
                + " 1 to 64 lowercase letters, digits, '-' or '_'.")
    String instance() default "";

    @AttributeDefinition(
        description =
            "The account its events are recorded for (12 to 16 digits); empty means the"
                + " installation's default account.")
    String account_id() default "";

    @AttributeDefinition(
        description =
            "The hex SHA-256 of the bearer token MinIO sends (its auth_token is 'Bearer <token>');"
                + " never the token itself.")
    String auth_token_sha256() default "";

    @AttributeDefinition(
        description =
            "The largest body accepted, in bytes after gzip decompression (1024 to 67108864).")
    int max_body_bytes() default 8 << 20;

    @AttributeDefinition(
        description =
            "Posts handled at once for this sender; more are answered 429 with Retry-After"
                + " (1 to 1024).")
    int max_concurrent_requests() default 16;
  }

  private final SourceWebhook webhook;

  /**
   * Registers the sender's webhook.
   *
   * @param identities says which account is the installation's default (for {@code account.id} left
   *     empty)
   * @throws IllegalArgumentException naming the configuration key that is wrong (logged, and the
   *     component does not start)
   */
  @Activate
  public MinioWebhook(
      BundleContext context,
      @Reference EventRecorder recorder,
      @Reference IdentityService identities,
      Config config) {
    SourceInstance instance;
    try {
      instance =
          SourceInstance.of(
              MinioSource.NAME,
              config.instance(),
              config.account_id(),
              identities.defaultAccountId(),
              config.auth_token_sha256(),
              config.max_body_bytes(),
              config.max_concurrent_requests());
    } catch (IllegalArgumentException e) {
      LOG.error("Configuration {}: {}; this MinIO sender is not received", PID, e.getMessage());
      throw e;
    }
    try {
      webhook =
          SourceWebhook.register(context, instance, recorder, identities, new MinioTranslator());
    } catch (IllegalArgumentException e) {
      LOG.error("Configuration {}: {}; this MinIO sender is not received", PID, e.getMessage());
      throw e;
    }
  }

  @Deactivate
  void stop() {
    webhook.close();
  }
}
