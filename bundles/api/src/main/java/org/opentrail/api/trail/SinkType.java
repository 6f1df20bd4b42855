package org.opentrail.api.trail;

/**
 * An installed sink type.
 *
 * @param type its name, e.g. {@code file}
 * @param bundle the symbolic name of the bundle that provides it
 * @param version that bundle's version
 */
public record SinkType(String type, String bundle, String version) {}
