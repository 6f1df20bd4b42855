package org.opentrail.sink.kafka;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@link KafkaSinkConfig} as Configuration Admin would give it: defaults plus overrides. */
final class Configs {
  private Configs() {}

  /**
   * @param overrides by method name, e.g. {@code bootstrap_servers}
   */
  static KafkaSinkConfig of(Map<String, Object> overrides) {
    return (KafkaSinkConfig)
        Proxy.newProxyInstance(
            KafkaSinkConfig.class.getClassLoader(),
            new Class<?>[] {KafkaSinkConfig.class},
            (proxy, method, args) ->
                overrides.containsKey(method.getName())
                    ? overrides.get(method.getName())
                    : method.getDefaultValue());
  }
}
