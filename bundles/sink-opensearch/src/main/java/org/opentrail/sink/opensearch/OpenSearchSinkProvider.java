package org.opentrail.sink.opensearch;

import java.util.Map;
import java.util.Set;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sink type {@code opensearch}: ActionTrail's Log Service delivery into an OpenSearch 2 (or
 * Elasticsearch 7.8+) index. A destination writes into {@code actiontrail_<trail>} unless it names
 * an {@code index}, optionally dated by eventTime ({@code dateSuffix=yyyy.MM.dd} gives {@code
 * <index>-2026.11.30}), on the operator's server ({@link OpenSearchSinkConfig}) unless it names an
 * {@code endpoint} the operator allows, with its own {@code username}/{@code password} or {@code
 * apiKey} (secrets). Its resource is {@code opensearch://<host>:<port>/<index>}.
 */
@Component(
    service = {SinkProvider.class, ResourceSinkProvider.class},
    property = SinkProvider.TYPE + "=opensearch",
    configurationPid = OpenSearchSinkConfig.PID)
@Designate(ocd = OpenSearchSinkConfig.class)
public final class OpenSearchSinkProvider implements ResourceSinkProvider {
  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchSinkProvider.class);

  private volatile Server server;

  /**
   * The provider with the operator's configuration.
   *
   * @throws IllegalArgumentException naming the key, if the configuration is invalid (the sink type
   *     then stays absent, so destinations wait rather than deliver somewhere unintended)
   */
  @Activate
  public OpenSearchSinkProvider(OpenSearchSinkConfig config) {
    this.server = checked(config);
    LOG.info("OpenSearch sink: default server {}", server);
  }

  /** A provider with checked settings (tests, benchmarks). */
  OpenSearchSinkProvider(Server server) {
    this.server = server;
  }

  /** A changed configuration applies to destinations opened from now on; a bad one is refused. */
  @Modified
  void modified(OpenSearchSinkConfig config) {
    try {
      server = Server.of(config);
      LOG.info("OpenSearch sink: default server now {}", server);
    } catch (IllegalArgumentException e) {
      LOG.error(
          "Configuration {}: {}; the change is refused", OpenSearchSinkConfig.PID, e.getMessage());
    }
  }

  private static Server checked(OpenSearchSinkConfig config) {
    try {
      return Server.of(config);
    } catch (IllegalArgumentException e) {
      LOG.error("Configuration {}: {}", OpenSearchSinkConfig.PID, e.getMessage());
      throw new IllegalArgumentException(
          "Configuration " + OpenSearchSinkConfig.PID + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void validate(Map<String, String> config) {
    Destination.of(config, null, server);
  }

  /**
   * {@code opensearch://<host>:<port>/<index>}, or {@code <index>-*} for dated indices (so that no
   * other account names one of them as its index): host lower case, port explicit, no secret.
   */
  @Override
  public String resource(SinkTarget target) {
    Destination d = Destination.of(target.config(), target.trailName(), server);
    return "opensearch://" + d.endpoint().authority() + "/" + d.pattern();
  }

  @Override
  public Set<String> secretKeys() {
    return Destination.SECRETS;
  }

  /**
   * A sink for the destination; the server is not contacted until the first delivery (which puts
   * the index template, then writes).
   */
  @Override
  public Sink open(SinkTarget target) throws java.io.IOException {
    Server s = server;
    Destination d = Destination.of(target.config(), target.trailName(), s);
    return new OpenSearchSink(d, s, Clients.open(d, s));
  }
}
