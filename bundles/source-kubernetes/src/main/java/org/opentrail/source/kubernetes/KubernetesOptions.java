package org.opentrail.source.kubernetes;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What an instance's configuration asks of the translation, checked.
 *
 * @param instance the configured sender's name (the cluster), shown as {@code eventSource}
 * @param recordStages the audit stages recorded; the others are skipped as superseded
 * @param keepObjects whether {@code requestObject} and {@code responseObject} are kept (with Secret
 *     data and known secret fields redacted) instead of dropped
 * @param internalUsers usernames whose requests are the control plane acting on its own behalf:
 *     exact names, or prefixes ending in {@code *}
 */
record KubernetesOptions(
    String instance, Set<Stage> recordStages, boolean keepObjects, List<String> internalUsers) {

  /**
   * The audit stages of a request, in the order the API server reaches them (<a
   * href="https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Stage">Stage</a>).
   */
  enum Stage {
    /** As soon as the request is received, before it is handled: no outcome, often no name. */
    RequestReceived,
    /** Once the response headers are sent, for long-running requests (watch, exec) only. */
    ResponseStarted,
    /** Once the response is complete: the whole request with its outcome. */
    ResponseComplete,
    /** When the request handler panicked: the request and its (failed) outcome. */
    Panic;

    /** Whether no later stage follows for the same request. */
    boolean isFinal() {
      return this == ResponseComplete || this == Panic;
    }

    static Stage parse(String s) {
      for (Stage stage : values()) {
        if (stage.name().equals(s)) {
          return stage;
        }
      }
      return null;
    }
  }

  /** The default of {@code record.stages}. */
  static final String DEFAULT_STAGES = "ResponseComplete,Panic";

  /**
   * The default of {@code service.internal.users}: the control plane's own components (<a
   * href="https://kubernetes.io/docs/reference/access-authn-authz/rbac/#core-component-roles">core
   * component roles</a>), kubelets ({@code system:node:<name>}) and the service accounts of {@code
   * kube-system}, which the controller manager's controllers run as.
   */
  static final List<String> DEFAULT_INTERNAL_USERS =
      List.of(
          "system:apiserver",
          "system:kube-controller-manager",
          "system:kube-scheduler",
          "system:kube-proxy",
          "system:cloud-controller-manager",
          "system:node:*",
          "system:serviceaccount:kube-system:*");

  KubernetesOptions {
    recordStages = Set.copyOf(recordStages);
    internalUsers = List.copyOf(internalUsers);
  }

  /** The defaults, for instance {@code instance}. */
  static KubernetesOptions defaults(String instance) {
    return of(instance, new String[] {DEFAULT_STAGES}, false, null);
  }

  /**
   * Checked options.
   *
   * @param stages stage names, each element possibly a comma-separated list
   * @param users internal user patterns; {@code null} for {@link #DEFAULT_INTERNAL_USERS}
   * @throws IllegalArgumentException naming the configuration key and what it must be
   */
  static KubernetesOptions of(String instance, String[] stages, boolean keep, String[] users) {
    Set<Stage> recorded = EnumSet.noneOf(Stage.class);
    for (String element : stages == null ? new String[] {DEFAULT_STAGES} : stages) {
      for (String name : element.split(",")) {
        if (name.isBlank()) {
          continue;
        }
        Stage s = Stage.parse(name.strip());
        if (s == null) {
          throw new IllegalArgumentException(
              "record.stages has '"
                  + name.strip()
                  + "': each must be one of RequestReceived, ResponseStarted, ResponseComplete,"
                  + " Panic");
        }
        recorded.add(s);
      }
    }
    if (recorded.isEmpty()) {
      throw new IllegalArgumentException(
          "record.stages is empty: name at least one stage (default " + DEFAULT_STAGES + ")");
    }
    List<String> patterns = new ArrayList<>();
    for (String u : users == null ? DEFAULT_INTERNAL_USERS.toArray(String[]::new) : users) {
      for (String p : u.split(",")) {
        String s = p.strip();
        if (s.isEmpty()) {
          continue;
        }
        if (s.indexOf('*') >= 0 && s.indexOf('*') != s.length() - 1) {
          throw new IllegalArgumentException(
              "service.internal.users has '" + s + "': '*' may only end a prefix");
        }
        patterns.add(s);
      }
    }
    return new KubernetesOptions(instance, recorded, keep, patterns);
  }

  /** Whether {@code username} is one of {@link #internalUsers}. */
  boolean isInternalUser(String username) {
    if (username == null) {
      return false;
    }
    for (String p : internalUsers) {
      if (p.endsWith("*")
          ? username.startsWith(p.substring(0, p.length() - 1))
          : username.equals(p)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "record.stages="
        + recordStages
        + ", keep.request.objects="
        + keepObjects
        + ", service.internal.users="
        + String.join(",", internalUsers);
  }
}
