package org.opentrail.source.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resource of an audit entry, from its <a
 * href="https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-ObjectReference">objectRef</a>.
 *
 * <ul>
 *   <li>{@code resourceType} = {@value #TYPE_PREFIX}{@code <resource>[.<apiGroup>]}: the resource
 *       in Kubernetes' own fully qualified spelling ({@code kubectl get deployments.apps}, {@code
 *       GroupResource.String()}), so two API groups' {@code certificates} never share a type:
 *       {@code ACS::CS::Kubernetes::pods}, {@code ACS::CS::Kubernetes::deployments.apps}. The
 *       prefix is ActionTrail's for Container Service resources. A subresource is not a type: a
 *       {@code pods/exec} request is on a pod.
 *   <li>{@code resourceName} = {@code <namespace>/<name>} for a namespaced object, {@code <name>}
 *       for a cluster-scoped one; absent when the request names no object (a list, a create whose
 *       name is not known yet). A {@code namespaces} request carries its own name as namespace too;
 *       it is cluster-scoped and named {@code <name>}.
 *   <li>{@code referencedResources}: the type with both name forms, so {@code LookupEvents
 *       ResourceName=webhook-audit} and {@code ResourceName=kube-system/webhook-audit} both find
 *       it, plus {@code ACS::CS::Kubernetes::namespaces: [<namespace>]}, so {@code
 *       ResourceName=<namespace>} finds what happened in a namespace.
 *   <li>{@code apiVersion} = {@code <apiGroup>/<apiVersion>}, or {@code <apiVersion>} for the core
 *       group: the form of an object's own {@code apiVersion} field.
 * </ul>
 */
record Resources(
    String resource,
    String subresource,
    String group,
    String namespace,
    String name,
    String version) {
  static final String TYPE_PREFIX = "ACS::CS::Kubernetes::";
  static final String NAMESPACES = TYPE_PREFIX + "namespaces";

  /**
   * The resource of {@code objectRef}, or {@code null} if it names none (non-resource requests).
   */
  static Resources of(Map<String, Object> objectRef) {
    String resource = nonBlank(objectRef, "resource");
    if (resource == null) {
      return null;
    }
    return new Resources(
        resource,
        nonBlank(objectRef, "subresource"),
        nonBlank(objectRef, "apiGroup"),
        nonBlank(objectRef, "namespace"),
        nonBlank(objectRef, "name"),
        nonBlank(objectRef, "apiVersion"));
  }

  /** What the verb acts on, as RBAC rules spell it: {@code pods} or {@code pods/exec}. */
  String operand() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  String type() {
    return AuditEntries.lookupValue(
        TYPE_PREFIX + (group == null ? resource : resource + "." + group));
  }

  boolean isCoreSecrets() {
    return group == null && resource.equals("secrets");
  }

  private boolean isNamespace() {
    return group == null && resource.equals("namespaces");
  }

  String apiVersion() {
    if (version == null) {
      return null;
    }
    return group == null ? version : group + "/" + version;
  }

  /** Sets {@code resourceType}, {@code resourceName} and {@code referencedResources}. */
  void putInto(Map<String, Object> event) {
    String type = type();
    event.put("resourceType", type);
    String ns = isNamespace() ? null : namespace;
    String full = name == null ? null : ns == null ? name : ns + "/" + name;
    Map<String, Object> refs = new LinkedHashMap<>();
    if (full != null) {
      String fullName = AuditEntries.lookupValue(full);
      event.put("resourceName", fullName);
      List<String> names = new ArrayList<>(2);
      names.add(fullName);
      if (ns != null) {
        names.add(AuditEntries.lookupValue(name));
      }
      refs.put(type, names);
    }
    if (ns != null) {
      refs.put(NAMESPACES, List.of(AuditEntries.lookupValue(ns)));
    }
    if (!refs.isEmpty()) {
      event.put("referencedResources", refs);
    }
  }

  private static String nonBlank(Map<String, Object> m, String key) {
    Object v = m == null ? null : m.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("objectRef." + key + " must be a string");
    }
    return s.isBlank() ? null : s;
  }
}
