package org.opentrail.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.opentrail.api.event.EventJson;

/**
 * Kubernetes API server audit webhook bodies: {@code {"kind":"EventList","apiVersion":
 * "audit.k8s.io/v1","metadata":{},"items":[...]}} of {@code ResponseComplete} entries shaped like
 * the real capture {@code /work/shared/realworld/09-k8s-two-stages-same-auditid/
 * input-2-ResponseComplete.json} and the payloads of {@code bundles/source-kubernetes/src/test/
 * resources/payloads/} (field order, {@code responseStatus}, {@code annotations}, microsecond
 * timestamps), under a common audit policy: reads (get, list, watch) at level {@code Metadata},
 * writes (create, update, patch, delete) at {@code RequestResponse} with their {@code
 * requestObject} and {@code responseObject} as the capture has them (which the source drops by
 * default, {@code keep.request.objects=false}, but must still read past).
 *
 * <p>Every entry is a client operation (people, CI and operator service accounts outside {@code
 * kube-system}), so each one is recorded in the history: none goes to the inner trail, none is
 * skipped. Varied: auditID (a random UUID whose first group is the {@link WebhookBody} slot), user
 * and groups (Zipf over 60 people and 14 service accounts), verb, namespace (26), resource (20
 * types, 4 subresources), object name, source IP (300), user agent, outcome (about 5% 403, 404 or
 * 409), and times spread over the last {@code hours} hours, increasing through the pool.
 */
final class KubernetesAuditGenerator {
  private record Resource(
      String resource, String group, String version, String kind, boolean namespaced) {
    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    String prefix() {
      return group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version;
    }
  }

  private record User(
      String name, String uid, List<String> groups, String agent, boolean person, String ns) {}

  private static final Resource[] RESOURCES = {
    new Resource("pods", "", "v1", "Pod", true),
    new Resource("configmaps", "", "v1", "ConfigMap", true),
    new Resource("secrets", "", "v1", "Secret", true),
    new Resource("services", "", "v1", "Service", true),
    new Resource("deployments", "apps", "v1", "Deployment", true),
    new Resource("replicasets", "apps", "v1", "ReplicaSet", true),
    new Resource("statefulsets", "apps", "v1", "StatefulSet", true),
    new Resource("endpoints", "", "v1", "Endpoints", true),
    new Resource("events", "", "v1", "Event", true),
    new Resource("serviceaccounts", "", "v1", "ServiceAccount", true),
    new Resource("persistentvolumeclaims", "", "v1", "PersistentVolumeClaim", true),
    new Resource("jobs", "batch", "v1", "Job", true),
    new Resource("cronjobs", "batch", "v1", "CronJob", true),
    new Resource("ingresses", "networking.k8s.io", "v1", "Ingress", true),
    new Resource("networkpolicies", "networking.k8s.io", "v1", "NetworkPolicy", true),
    new Resource("roles", "rbac.authorization.k8s.io", "v1", "Role", true),
    new Resource("rolebindings", "rbac.authorization.k8s.io", "v1", "RoleBinding", true),
    new Resource("applications", "argoproj.io", "v1alpha1", "Application", true),
    new Resource("namespaces", "", "v1", "Namespace", false),
    new Resource("nodes", "", "v1", "Node", false),
  };

  private static final String[] NAMESPACES = {
    "default",
    "payments",
    "checkout",
    "web",
    "api",
    "search",
    "data",
    "ml",
    "monitoring",
    "logging",
    "argocd",
    "ci",
    "cert-manager",
    "ingress-nginx",
    "flux-system",
    "team-a",
    "team-b",
    "team-c",
    "team-d",
    "team-e",
    "staging",
    "preview-1841",
    "preview-1852",
    "batch",
    "auth",
    "platform",
  };

  private static final String[] APPS = {
    "frontend",
    "cart",
    "checkout",
    "payment-gateway",
    "catalog",
    "search-api",
    "indexer",
    "recommendation",
    "user-service",
    "auth-proxy",
    "notification",
    "email-worker",
    "reporting",
    "billing",
    "ledger",
    "inventory",
    "shipping",
    "pricing",
    "ads",
    "feature-flags",
    "gateway",
    "image-resizer",
    "pdf-renderer",
    "scheduler",
    "etl-nightly",
    "kafka-connect",
    "redis",
    "postgres",
    "grafana",
    "prometheus",
    "loki",
    "tempo",
    "alertmanager",
    "vault-agent",
    "oauth2-proxy",
    "argocd-server",
    "argocd-repo-server",
    "cert-manager",
    "ingress-nginx-controller",
    "web-admin",
  };

  private static final String[] FIRST = {
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "wen", "yuki", "zoe",
    "li", "mei", "arjun", "priya", "omar", "sara", "lukas", "anna",
  };

  private static final String[] KUBECTL = {
    "kubectl/v1.29.3 (linux/amd64) kubernetes/6813625",
    "kubectl/v1.30.1 (darwin/arm64) kubernetes/6911225",
    "kubectl/v1.28.8 (windows/amd64) kubernetes/fc11ff3",
    "k9s/v0.32.4 (darwin/arm64) kubernetes/$Format",
    "Lens/2024.3.191333-latest",
    "helm/v3.14.3 (linux/amd64) kubernetes/$Format",
  };

  private final SplittableRandom random;
  private final List<User> users = new ArrayList<>();
  private final Zipf userZipf;
  private final Zipf nsZipf = new Zipf(NAMESPACES.length, 0.8);
  private final Zipf appZipf = new Zipf(APPS.length, 0.7);
  private final String[] ips = new String[300];
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final long spanMicros;
  private long made;

  KubernetesAuditGenerator(long seed, int hours) {
    this.random = new SplittableRandom(seed);
    this.spanMicros = hours * 3_600_000_000L;
    String[][] accounts = {
      {"argocd", "argocd-application-controller", "argocd-application-controller/v2.10.4"},
      {"argocd", "argocd-server", "argocd-server/v2.10.4 (linux/amd64) kubernetes/$Format"},
      {"ci", "gitlab-runner", "gitlab-runner 16.10.0 (16-10-stable; go1.21.5; linux/amd64)"},
      {"ci", "deployer", "helm/v3.14.3 (linux/amd64) kubernetes/$Format"},
      {"monitoring", "prometheus-k8s", "Prometheus/2.51.1"},
      {"monitoring", "kube-state-metrics", "kube-state-metrics/v2.12.0"},
      {"cert-manager", "cert-manager", "cert-manager-controller/v1.14.4 (linux/amd64)"},
      {"ingress-nginx", "ingress-nginx", "nginx-ingress-controller/v1.10.0 (linux/amd64)"},
      {"flux-system", "kustomize-controller", "kustomize-controller/v1.2.2"},
      {"flux-system", "helm-controller", "helm-controller/v0.37.4"},
      {"logging", "fluent-bit", "fluent-bit/3.0.2"},
      {"data", "spark-operator", "spark-operator/v1beta2-1.3.8"},
      {"team-a", "default", "Go-http-client/2.0"},
      {"batch", "job-runner", "python-requests/2.31.0"},
    };
    // service accounts first: controllers make most of a cluster's calls
    for (String[] a : accounts) {
      users.add(
          new User(
              "system:serviceaccount:" + a[0] + ":" + a[1],
              uuid(),
              List.of(
                  "system:serviceaccounts",
                  "system:serviceaccounts:" + a[0],
                  "system:authenticated"),
              a[2],
              false,
              a[0]));
    }
    users.add(
        new User(
            "kubernetes-admin",
            null,
            List.of("system:masters", "system:authenticated"),
            KUBECTL[0],
            true,
            null));
    for (int i = 0; users.size() < 75; i++) {
      String who =
          FIRST[i % FIRST.length] + (i < FIRST.length ? "" : Integer.toString(i / FIRST.length));
      String group = i % 5 == 0 ? "sre" : i % 3 == 0 ? "data-eng" : "developers";
      users.add(
          new User(
              "oidc:" + who + "@example.com",
              null,
              List.of("oidc:" + group, "system:authenticated"),
              KUBECTL[random.nextInt(KUBECTL.length)],
              true,
              null));
    }
    userZipf = new Zipf(users.size(), 1.0);
    for (int i = 0; i < ips.length; i++) {
      ips[i] =
          switch (i % 3) {
            case 0 -> "10.0." + random.nextInt(256) + "." + (1 + random.nextInt(254));
            case 1 -> "198.51.100." + (1 + random.nextInt(254));
            default -> "203.0.113." + (1 + random.nextInt(254));
          };
    }
  }

  /** One webhook body of {@code items} entries. */
  WebhookBody body(int items, int poolEntries) {
    StringBuilder b = new StringBuilder(items * 1400);
    b.append(
        "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":[");
    for (int i = 0; i < items; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(EventJson.toString(entry(poolEntries)));
    }
    b.append("]}");
    return WebhookBody.of(b.toString(), items, false);
  }

  /** A pool of {@code count} bodies of {@code items} entries each. */
  List<WebhookBody> pool(int count, int items) {
    List<WebhookBody> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(body(items, count * items));
    }
    return out;
  }

  private String uuid() {
    return hex(8)
        + "-"
        + hex(4)
        + "-4"
        + hex(3)
        + "-"
        + "89ab".charAt(random.nextInt(4))
        + hex(3)
        + "-"
        + hex(12);
  }

  private String hex(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append("0123456789abcdef".charAt(random.nextInt(16)));
    }
    return b.toString();
  }

  private String podName(String app) {
    return app + "-" + hex(9) + "-" + hex(5);
  }

  private Map<String, Object> entry(int poolEntries) {
    User u = users.get(userZipf.next(random));
    int roll = random.nextInt(1000);
    String verb;
    if (roll < 300) {
      verb = "get";
    } else if (roll < 520) {
      verb = "list";
    } else if (roll < 600) {
      verb = "watch";
    } else if (roll < 690) {
      verb = "create";
    } else if (roll < 790) {
      verb = "update";
    } else if (roll < 930) {
      verb = "patch";
    } else {
      verb = "delete";
    }
    Resource r = RESOURCES[pickResource()];
    if (!r.namespaced() && !verb.equals("get") && !verb.equals("list") && !verb.equals("watch")) {
      r = RESOURCES[0];
    }
    String ns =
        r.namespaced() ? (u.ns() != null && random.nextInt(3) > 0 ? u.ns() : namespace()) : null;
    String app = APPS[appZipf.next(random)];
    String name =
        switch (r.resource()) {
          case "pods" -> podName(app);
          case "replicasets" -> app + "-" + hex(9).substring(0, 9);
          case "events" -> podName(app) + "." + hex(16);
          case "namespaces" -> NAMESPACES[nsZipf.next(random)];
          case "nodes" -> "node-pool-" + (1 + random.nextInt(3)) + "-" + hex(5);
          case "secrets" -> app + (random.nextBoolean() ? "-tls" : "-credentials");
          case "configmaps" -> app + (random.nextBoolean() ? "-config" : "-env");
          default -> app;
        };
    String subresource = null;
    if (r.resource().equals("pods") && verb.equals("get") && random.nextInt(10) == 0) {
      subresource = "log";
    } else if (r.resource().equals("pods") && verb.equals("create") && random.nextInt(4) == 0) {
      subresource = "exec";
    } else if (r.resource().equals("deployments")
        && verb.equals("patch")
        && random.nextInt(4) == 0) {
      subresource = "scale";
    } else if (r.resource().equals("pods") && verb.equals("patch") && random.nextInt(3) == 0) {
      subresource = "status";
    }
    boolean collection =
        verb.equals("list")
            || verb.equals("watch")
            || (verb.equals("create") && subresource == null);
    boolean read = verb.equals("get") || verb.equals("list") || verb.equals("watch");

    // outcome
    int code;
    int fail = random.nextInt(1000);
    if (fail < 25) {
      code = 403;
    } else if (fail < 45 && (verb.equals("get") || verb.equals("delete") || verb.equals("patch"))) {
      code = 404;
    } else if (fail < 55 && (verb.equals("create") || verb.equals("update"))) {
      code = 409;
    } else {
      code = verb.equals("create") && subresource == null ? 201 : verb.equals("create") ? 101 : 200;
    }
    if ("exec".equals(subresource) && code == 200) {
      code = 101;
    }
    boolean ok = code < 400;

    // times: spread over the window, increasing through the pool
    long index = made++;
    long at =
        now.toEpochMilli() * 1000
            - spanMicros
            + index * spanMicros / Math.max(1, poolEntries)
            + random.nextInt(1_000_000);
    long tookMicros =
        verb.equals("watch")
            ? 60_000_000L * (1 + random.nextInt(9))
            : "exec".equals(subresource)
                ? 5_000_000L + random.nextInt(600_000_000)
                : 800 + random.nextInt(read ? 30_000 : 60_000);

    StringBuilder uri = new StringBuilder(120).append(r.prefix());
    if (ns != null) {
      uri.append("/namespaces/").append(ns);
    }
    uri.append('/').append(r.resource());
    if (!collection) {
      uri.append('/').append(name);
    }
    if (subresource != null) {
      uri.append('/').append(subresource);
    }
    switch (verb) {
      case "list" ->
          uri.append(
              random.nextBoolean() ? "?limit=500" : "?labelSelector=app%3D" + app + "&limit=500");
      case "watch" ->
          uri.append("?allowWatchBookmarks=true&resourceVersion=")
              .append(1_000_000 + random.nextInt(90_000_000))
              .append("&timeout=9m32s&timeoutSeconds=572&watch=true");
      case "create" ->
          uri.append(
              "exec".equals(subresource)
                  ? "?command=sh&container=" + app + "&stdin=true&stdout=true&tty=true"
                  : "?fieldManager=kubectl-create&fieldValidation=Strict");
      case "patch" ->
          uri.append(
              u.person()
                  ? "?fieldManager=kubectl-edit&fieldValidation=Strict"
                  : "?fieldManager="
                      + u.name().substring(u.name().lastIndexOf(':') + 1)
                      + "&force=true");
      case "update" -> uri.append("?fieldManager=kubectl-replace");
      default -> {}
    }
    if ("log".equals(subresource)) {
      uri.append("?container=").append(app).append("&follow=true&tailLines=100");
    }

    Map<String, Object> e = new LinkedHashMap<>();
    e.put("level", read || "exec".equals(subresource) ? "Metadata" : "RequestResponse");
    e.put("auditID", WebhookBody.SLOT + uuid().substring(8));
    e.put("stage", "ResponseComplete");
    e.put("requestURI", uri.toString());
    e.put("verb", verb);
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("username", u.name());
    if (u.uid() != null) {
      user.put("uid", u.uid());
    }
    user.put("groups", u.groups());
    if (!u.person()) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("authentication.kubernetes.io/pod-name", List.of(podName(app)));
      extra.put("authentication.kubernetes.io/pod-uid", List.of(uuid()));
      user.put("extra", extra);
    }
    e.put("user", user);
    e.put("sourceIPs", List.of(ips[random.nextInt(ips.length)]));
    e.put("userAgent", u.agent());
    Map<String, Object> ref = new LinkedHashMap<>();
    ref.put("resource", r.resource());
    if (ns != null) {
      ref.put("namespace", ns);
    }
    if (!collection || verb.equals("create")) {
      ref.put("name", name);
    }
    if (!r.group().isEmpty()) {
      ref.put("apiGroup", r.group());
    }
    ref.put("apiVersion", r.version());
    if (subresource != null) {
      ref.put("subresource", subresource);
    }
    e.put("objectRef", ref);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("metadata", Map.of());
    if (!ok) {
      status.put("status", "Failure");
      String what = subresource == null ? r.resource() : r.resource() + "/" + subresource;
      switch (code) {
        case 403 -> {
          status.put(
              "message",
              r.resource()
                  + " \""
                  + name
                  + "\" is forbidden: User \""
                  + u.name()
                  + "\" cannot "
                  + verb
                  + " resource \""
                  + what
                  + "\" in API group \""
                  + r.group()
                  + "\""
                  + (ns == null ? " at the cluster scope" : " in the namespace \"" + ns + "\""));
          status.put("reason", "Forbidden");
        }
        case 404 -> {
          status.put("message", r.resource() + " \"" + name + "\" not found");
          status.put("reason", "NotFound");
        }
        default -> {
          status.put(
              "message",
              verb.equals("create")
                  ? r.resource() + " \"" + name + "\" already exists"
                  : "Operation cannot be fulfilled on "
                      + r.resource()
                      + " \""
                      + name
                      + "\": the object has been modified; please apply your changes to the latest"
                      + " version and try again");
          status.put("reason", verb.equals("create") ? "AlreadyExists" : "Conflict");
        }
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("name", name);
      details.put("kind", r.resource());
      status.put("details", details);
    } else if (verb.equals("delete")) {
      status.put("status", "Success");
    }
    status.put("code", code);
    e.put("responseStatus", status);
    if (e.get("level").equals("RequestResponse")) {
      Map<String, Object> object = object(r, ns, name, app, at);
      switch (verb) {
        case "create", "update" -> {
          Map<String, Object> req = new LinkedHashMap<>(object);
          Map<String, Object> meta = new LinkedHashMap<>(meta(object));
          meta.remove("uid");
          meta.remove("resourceVersion");
          meta.put("creationTimestamp", null);
          req.put("metadata", meta);
          e.put("requestObject", req);
          if (ok) {
            e.put("responseObject", object);
          }
        }
        case "patch" -> {
          e.put("requestObject", patch(r, subresource, at));
          if (ok) {
            e.put("responseObject", object);
          }
        }
        default -> {
          Map<String, Object> opts = new LinkedHashMap<>();
          opts.put("kind", "DeleteOptions");
          opts.put("apiVersion", "meta.k8s.io/__internal");
          opts.put("propagationPolicy", "Background");
          e.put("requestObject", opts);
          if (ok) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("kind", "Status");
            s.put("apiVersion", "v1");
            s.put("metadata", Map.of());
            s.put("status", "Success");
            s.put(
                "details",
                Map.of("name", name, "kind", r.resource(), "uid", meta(object).get("uid")));
            e.put("responseObject", s);
          }
        }
      }
    }
    e.put("requestReceivedTimestamp", micros(at));
    e.put("stageTimestamp", micros(at + tookMicros));
    Map<String, Object> ann = new LinkedHashMap<>();
    ann.put("authorization.k8s.io/decision", code == 403 ? "forbid" : "allow");
    ann.put(
        "authorization.k8s.io/reason",
        code == 403
            ? ""
            : u.groups().get(0).equals("system:masters")
                ? ""
                : "RBAC: allowed by ClusterRoleBinding \""
                    + (u.person() ? "developers-edit" : sa(u))
                    + "\" of ClusterRole \""
                    + (u.person() ? "edit" : sa(u))
                    + "\" to "
                    + (u.person()
                        ? "Group \"" + u.groups().get(0) + "\""
                        : "ServiceAccount \""
                            + u.name().substring(u.name().lastIndexOf(':') + 1)
                            + "/"
                            + u.ns()
                            + "\""));
    if (r.resource().equals("pods") && (verb.equals("create") || verb.equals("update")) && ok) {
      ann.put("pod-security.kubernetes.io/enforce-policy", "baseline:latest");
    }
    e.put("annotations", ann);
    return e;
  }

  private static String sa(User u) {
    return u.name().substring(u.name().lastIndexOf(':') + 1);
  }

  private int pickResource() {
    // pods, configmaps, secrets, services and deployments make most of the traffic
    int roll = random.nextInt(100);
    if (roll < 30) {
      return 0;
    } else if (roll < 42) {
      return 1;
    } else if (roll < 50) {
      return 2;
    } else if (roll < 56) {
      return 3;
    } else if (roll < 68) {
      return 4;
    }
    return 5 + random.nextInt(RESOURCES.length - 5);
  }

  private String namespace() {
    return NAMESPACES[nsZipf.next(random)];
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> meta(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }

  private static String micros(long epochMicros) {
    Instant t = Instant.ofEpochSecond(epochMicros / 1_000_000, (epochMicros % 1_000_000) * 1000);
    String s = t.toString(); // ...:46.451356Z, or fewer digits when they end in zeros
    int dot = s.indexOf('.');
    String frac = dot < 0 ? "" : s.substring(dot + 1, s.length() - 1);
    String base = dot < 0 ? s.substring(0, s.length() - 1) : s.substring(0, dot);
    return base + "." + (frac + "000000").substring(0, 6) + "Z";
  }

  private Map<String, Object> patch(Resource r, String subresource, long at) {
    Map<String, Object> p = new LinkedHashMap<>();
    if ("scale".equals(subresource) || r.resource().equals("deployments") && random.nextBoolean()) {
      p.put("spec", Map.of("replicas", 1 + random.nextInt(12)));
    } else if ("status".equals(subresource)) {
      p.put(
          "status",
          Map.of(
              "conditions",
              List.of(
                  Map.of(
                      "type",
                      "Ready",
                      "status",
                      random.nextBoolean() ? "True" : "False",
                      "lastTransitionTime",
                      micros(at).substring(0, 19) + "Z"))));
    } else if (r.resource().equals("deployments") || r.resource().equals("statefulsets")) {
      p.put(
          "spec",
          Map.of(
              "template",
              Map.of(
                  "metadata",
                  Map.of(
                      "annotations",
                      Map.of(
                          "kubectl.kubernetes.io/restartedAt",
                          micros(at).substring(0, 19) + "Z")))));
    } else {
      p.put(
          "metadata",
          Map.of(
              "labels",
              Map.of(
                  "app.kubernetes.io/version",
                  "1." + random.nextInt(40) + "." + random.nextInt(10))));
    }
    return p;
  }

  /** The object as the API server answers it (uid, resourceVersion, creationTimestamp). */
  private Map<String, Object> object(Resource r, String ns, String name, String app, long at) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("kind", r.kind());
    o.put("apiVersion", r.apiVersion());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", name);
    if (ns != null) {
      meta.put("namespace", ns);
    }
    meta.put("uid", uuid());
    meta.put("resourceVersion", Integer.toString(1_000_000 + random.nextInt(90_000_000)));
    meta.put(
        "creationTimestamp",
        micros(at - 86_400_000_000L * random.nextInt(90)).substring(0, 19) + "Z");
    Map<String, Object> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", app);
    labels.put("app.kubernetes.io/part-of", "shop");
    meta.put("labels", labels);
    o.put("metadata", meta);
    String image =
        "registry.example.com/shop/" + app + ":1." + random.nextInt(40) + "." + random.nextInt(10);
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", app);
    container.put("image", image);
    container.put("ports", List.of(Map.of("containerPort", 8080, "protocol", "TCP")));
    container.put(
        "env",
        List.of(
            Map.of("name", "LOG_LEVEL", "value", "info"),
            Map.of(
                "name", "OTEL_EXPORTER_OTLP_ENDPOINT", "value", "http://tempo.monitoring:4317")));
    container.put(
        "resources",
        Map.of(
            "requests",
            Map.of("cpu", "100m", "memory", "128Mi"),
            "limits",
            Map.of("memory", "512Mi")));
    container.put("terminationMessagePath", "/dev/termination-log");
    container.put("terminationMessagePolicy", "File");
    container.put("imagePullPolicy", "IfNotPresent");
    Map<String, Object> podSpec = new LinkedHashMap<>();
    podSpec.put("containers", List.of(container));
    podSpec.put("restartPolicy", "Always");
    podSpec.put("terminationGracePeriodSeconds", 30);
    podSpec.put("dnsPolicy", "ClusterFirst");
    podSpec.put("serviceAccountName", "default");
    podSpec.put("securityContext", Map.of());
    podSpec.put("schedulerName", "default-scheduler");
    switch (r.resource()) {
      case "pods" -> {
        o.put("spec", podSpec);
        o.put("status", Map.of("phase", "Pending", "qosClass", "Burstable"));
      }
      case "deployments", "statefulsets", "replicasets" -> {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("replicas", 1 + random.nextInt(6));
        spec.put("selector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", app)));
        Map<String, Object> templateMeta = new LinkedHashMap<>();
        templateMeta.put("creationTimestamp", null);
        templateMeta.put("labels", Map.of("app.kubernetes.io/name", app));
        spec.put("template", Map.of("metadata", templateMeta, "spec", podSpec));
        o.put("spec", spec);
        o.put("status", Map.of("observedGeneration", 1 + random.nextInt(40)));
      }
      case "configmaps" ->
          o.put(
              "data",
              Map.of(
                  "application.yaml",
                  "server:\n  port: 8080\nlogging:\n  level: info\nfeatures:\n  "
                      + app
                      + ": "
                      + random.nextBoolean()
                      + "\n",
                  "LOG_FORMAT",
                  "json"));
      case "secrets" -> {
        o.put("data", Map.of("username", "YXBwLXVzZXI=", "password", hex(32)));
        o.put("type", "Opaque");
      }
      case "services" ->
          o.put(
              "spec",
              Map.of(
                  "type",
                  "ClusterIP",
                  "selector",
                  Map.of("app.kubernetes.io/name", app),
                  "ports",
                  List.of(
                      Map.of("name", "http", "port", 80, "targetPort", 8080, "protocol", "TCP"))));
      case "jobs", "cronjobs" ->
          o.put("spec", Map.of("backoffLimit", 3, "template", Map.of("spec", podSpec)));
      default -> o.put("spec", Map.of());
    }
    return o;
  }

  /** What the entries look like, for the run's header. */
  static String describe() {
    return String.format(
        Locale.ROOT,
        "Kubernetes audit.k8s.io/v1 ResponseComplete entries: reads (get 30%%, list 22%%, watch"
            + " 8%%) at level Metadata, writes (create 9%%, update 10%%, patch 14%%, delete 7%%)"
            + " at RequestResponse with requestObject/responseObject; %d resource types, %d"
            + " namespaces, 75 users (Zipf: 14 service accounts outside kube-system first), ~5%%"
            + " refused (403/404/409); all client operations (none for the inner trail)",
        RESOURCES.length,
        NAMESPACES.length);
  }
}
