package org.opentrail.source.kubernetes;

import java.util.List;
import org.opentrail.api.source.EventSource;
import org.opentrail.api.source.SourceInfo;
import org.osgi.service.component.annotations.Component;

/**
 * Makes the Kubernetes API server a supported service: its audit webhook is received at {@code
 * /sources/kubernetes/<instance>}, one instance per configured cluster ({@link KubernetesWebhook}).
 *
 * <p>Event names are {@code <verb> <resource>[/<subresource>]} for resource requests and {@code
 * <verb> <path>} for non-resource ones (verbs as Kubernetes defines them, <a
 * href="https://kubernetes.io/docs/reference/access-authn-authz/authorization/#determine-the-request-verb">request
 * verbs</a>); {@link #info()} lists the standard verbs in that form. Resource types are {@code
 * ACS::CS::Kubernetes::<resource>[.<apiGroup>]} ({@link Resources}).
 */
@Component(immediate = true)
public final class KubernetesSource implements EventSource {
  /** The source's name and path segment. */
  public static final String NAME = "kubernetes";

  /** The serviceName its events carry. */
  public static final String SERVICE_NAME = "Kubernetes";

  private static final SourceInfo INFO =
      new SourceInfo(
          NAME,
          SERVICE_NAME,
          "Kubernetes API server audit webhook",
          List.of(Resources.TYPE_PREFIX + "<resource>[.<apiGroup>]", Resources.NAMESPACES),
          List.of(
              "get <resource>",
              "list <resource>",
              "watch <resource>",
              "create <resource>",
              "update <resource>",
              "patch <resource>",
              "delete <resource>",
              "deletecollection <resource>",
              "create <resource>/<subresource>",
              "<verb> <non-resource path>"),
          true,
          null);

  @Override
  public SourceInfo info() {
    return INFO;
  }
}
