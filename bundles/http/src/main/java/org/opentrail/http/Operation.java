package org.opentrail.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One API operation: its name and version, the parameters it takes, what it is authorized as (RAM
 * action {@code <service>:<name>} on a resource named by one of its parameters), and what it does.
 *
 * @param name the {@code Action}, e.g. {@code CreateTrail}
 * @param version the API version it belongs to, e.g. {@code 2020-07-06}
 * @param service the RAM service code, {@code actiontrail} or {@code ram}; also the audit event's
 *     serviceName
 * @param write whether it changes anything (the audit event's eventRW)
 * @param parameters the parameters it takes besides the common ones
 * @param parameterPrefixes prefixes of numbered parameters, e.g. {@code LookupAttribute.}
 * @param resourceKind the kind of resource it acts on ({@code trail}, {@code user}, ...), or {@code
 *     null} for the whole account
 * @param resourceParameter the parameter naming that resource, or {@code null}
 * @param resourceType the audit event's resourceType, e.g. {@code ACS::ActionTrail::Trail}
 * @param bulky parameters an audit event records only the size of (event batches, documents)
 * @param callerByDefault whether a RAM user calling without the resource parameter acts on themself
 *     (e.g. CreateAccessKey without UserName)
 * @param readsEvents whether it answers events, or what it learnt from them (counts, matches), so
 *     that the caller also needs {@code actiontrail:LookupEvents}, as reading them that way would
 * @param handler what it does
 */
record Operation(
    String name,
    String version,
    String service,
    boolean write,
    Set<String> parameters,
    List<String> parameterPrefixes,
    String resourceKind,
    String resourceParameter,
    String resourceType,
    Set<String> bulky,
    boolean callerByDefault,
    boolean readsEvents,
    Handler handler) {

  static final String ACTIONTRAIL_VERSION = "2020-07-06";
  static final String RAM_VERSION = "2015-05-01";

  /** Runs an operation; answers the response's fields (the servlet adds {@code RequestId}). */
  @FunctionalInterface
  interface Handler {
    Map<String, Object> handle(ApiRequest request);
  }

  /** The RAM action authorized, e.g. {@code actiontrail:CreateTrail}. */
  String ramAction() {
    return service + ":" + name;
  }

  /** The resource's name in a request, or {@code null} if the operation has none. */
  String resourceName(ApiRequest request) {
    String name = resourceParameter == null ? null : request.optional(resourceParameter);
    if (name == null && callerByDefault && request.principal != null) {
      return request.principal.userName();
    }
    return name;
  }

  /**
   * The resource authorized, e.g. {@code acs:actiontrail:local:1234567890123456:trail/audit}: the
   * named one if the operation acts on one, else every resource of the account ({@code ...:*}).
   */
  String resourceArn(ApiRequest request, String region) {
    String name = resourceName(request);
    String prefix =
        "acs:" + service + ":" + (service.equals("ram") ? "*" : region) + ":" + request.account();
    if (resourceKind == null) {
      return prefix + ":*";
    }
    return prefix + ":" + resourceKind + "/" + (name == null ? "*" : name);
  }

  /** Starts describing an operation. */
  static Builder of(String service, String version, String name) {
    return new Builder(service, version, name);
  }

  /** Builds an {@link Operation}. */
  static final class Builder {
    private final String service;
    private final String version;
    private final String name;
    private boolean write;
    private Set<String> parameters = Set.of();
    private List<String> prefixes = List.of();
    private String kind;
    private String kindParameter;
    private String resourceType;
    private Set<String> bulky = Set.of();
    private boolean callerByDefault;
    private boolean readsEvents;

    private Builder(String service, String version, String name) {
      this.service = service;
      this.version = version;
      this.name = name;
    }

    Builder write() {
      this.write = true;
      return this;
    }

    Builder parameters(String... names) {
      this.parameters = Set.of(names);
      return this;
    }

    Builder prefixes(String... prefixes) {
      this.prefixes = List.of(prefixes);
      return this;
    }

    /** Acts on the resource {@code kind/<value of parameter>}, of the given resourceType. */
    Builder resource(String kind, String parameter, String resourceType) {
      this.kind = kind;
      this.kindParameter = parameter;
      this.resourceType = resourceType;
      return this;
    }

    /** Without the resource parameter, a RAM user acts on themself. */
    Builder callerByDefault() {
      this.callerByDefault = true;
      return this;
    }

    /** Answers events or what it learnt from them: also needs {@code actiontrail:LookupEvents}. */
    Builder readsEvents() {
      this.readsEvents = true;
      return this;
    }

    Builder bulky(String... names) {
      this.bulky = Set.of(names);
      return this;
    }

    Operation handler(Handler handler) {
      return new Operation(
          name,
          version,
          service,
          write,
          parameters,
          prefixes,
          kind,
          kindParameter,
          resourceType,
          bulky,
          callerByDefault,
          readsEvents,
          handler);
    }
  }
}
