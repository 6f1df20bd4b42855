package org.opentrail.api.source;

import java.util.List;
import java.util.Objects;

/**
 * A supported service, as {@code ListSupportedServices} shows it.
 *
 * @param name the source's short name, also its path segment: lowercase letters, digits and {@code
 *     -}, 1 to 32 characters (e.g. {@code minio})
 * @param serviceName the {@code serviceName} its events carry (e.g. {@code MinIO})
 * @param displayName a name for people (e.g. {@code "MinIO object storage"})
 * @param resourceTypes the {@code resourceType}s its events name (e.g. {@code ACS::OSS::Bucket})
 * @param eventNames the {@code eventName}s it records
 * @param serviceInternal whether it records service-internal operations (for the inner trail)
 * @param path where senders post, {@code /sources/<name>/<instance>}, with {@code <instance>} the
 *     configured sender
 */
public record SourceInfo(
    String name,
    String serviceName,
    String displayName,
    List<String> resourceTypes,
    List<String> eventNames,
    boolean serviceInternal,
    String path) {
  /** What a source name may be. */
  public static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public SourceInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(serviceName, "serviceName");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "A source name is 1 to 32 lowercase letters, digits or '-', starting with a letter: "
              + name);
    }
    displayName = displayName == null ? serviceName : displayName;
    resourceTypes = resourceTypes == null ? List.of() : List.copyOf(resourceTypes);
    eventNames = eventNames == null ? List.of() : List.copyOf(eventNames);
    path = path == null ? EventSource.PATH_PREFIX + name + "/<instance>" : path;
  }
}
