package org.opentrail.alerts;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.alert.AlertRule;
import org.opentrail.api.alert.AlertService;
import org.opentrail.api.alert.AlertState;
import org.opentrail.api.alert.CreatedRule;
import org.opentrail.api.alert.Evaluation;
import org.opentrail.api.auth.SecretSealer;
import org.opentrail.api.event.EventRecorder;
import org.opentrail.api.logsearch.LogSearch;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AlertService}: rules kept in {@code <data>/alerts/<account>/<rule>.json} by {@link
 * RuleFiles}, evaluated by {@link RuleEvaluator} when {@link RuleScheduler} finds them due or when
 * asked; each rule's evaluations are serialized on its record.
 */
@Component(service = AlertService.class, configurationPid = "org.opentrail.alerts")
@Designate(ocd = AlertsConfig.class)
public final class AlertServiceImpl implements AlertService {
  private static final Logger LOG = LoggerFactory.getLogger(AlertServiceImpl.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Map<String, RuleRecord>> rules = new ConcurrentHashMap<>();
  private final LogSearch search;
  private final RuleFiles files;
  private final EventRecorder recorder;
  private final Clock clock;
  private final boolean schedule;
  private volatile Set<String> allowedHosts;
  private volatile RuleEvaluator evaluator;
  private final RuleScheduler scheduler;
  private volatile SecretSealer sealer;

  @Activate
  public AlertServiceImpl(
      @Reference LogSearch search,
      @Reference EventRecorder recorder,
      BundleContext context,
      AlertsConfig config)
      throws IOException {
    this(search, recorder, null, dataDir(context), config, Clock.systemUTC(), true);
  }

  /** Outside OSGi (tests): {@code schedule} false leaves evaluation to {@link #evaluate}. */
  public AlertServiceImpl(
      LogSearch search,
      EventRecorder recorder,
      SecretSealer sealer,
      Path dir,
      AlertsConfig config,
      Clock clock,
      boolean schedule)
      throws IOException {
    this.search = search;
    this.recorder = recorder;
    this.sealer = sealer;
    this.clock = clock;
    this.files = new RuleFiles(dir);
    for (RuleRecord r : files.loadAll()) {
      rules.computeIfAbsent(r.accountId, a -> new ConcurrentHashMap<>()).put(r.rule.name(), r);
    }
    this.scheduler = new RuleScheduler(rules, this::run, this::retry, clock);
    this.schedule = schedule;
    configure(config);
    LOG.info("Alerts ready: {} rules, webhook hosts allowed {}", count(), allowedHosts);
  }

  /**
   * Applies a changed configuration in place (no reactivation, so no call can reach an instance
   * that is going away): the allowed hosts, the webhook's limits and the scheduler's tick.
   */
  @Modified
  synchronized void configure(AlertsConfig config) {
    this.allowedHosts =
        Arrays.stream(config.allowed_webhook_hosts())
            .flatMap(h -> Arrays.stream(h.split(",")))
            .map(h -> h.trim().toLowerCase(Locale.ROOT))
            .filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    WebhookSender sender =
        new WebhookSender(
            Duration.ofMillis(Math.max(100, config.webhook_timeout_millis())),
            Math.max(0, config.webhook_retries()),
            Duration.ofMillis(Math.max(0, config.webhook_backoff_millis())),
            clock);
    WebhookDelivery delivery =
        new WebhookDelivery(
            sender,
            () -> this.sealer,
            clock,
            Math.max(0, config.webhook_redeliveries()),
            Duration.ofSeconds(Math.max(1, config.webhook_redelivery_seconds())));
    this.evaluator = new RuleEvaluator(search, new Notifier(recorder), delivery, clock);
    if (schedule) {
      scheduler.every(config.tick_seconds());
    }
  }

  private static Path dataDir(BundleContext context) {
    String data = context.getProperty("opentrail.data");
    return data != null ? Paths.get(data, "alerts") : context.getDataFile("alerts").toPath();
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  void bindSecretSealer(SecretSealer s) {
    this.sealer = s;
  }

  void unbindSecretSealer(SecretSealer s) {
    if (this.sealer == s) {
      this.sealer = null;
    }
  }

  @Deactivate
  public void close() {
    scheduler.close();
  }

  private int count() {
    return rules.values().stream().mapToInt(Map::size).sum();
  }

  private Evaluation run(RuleRecord r) {
    try {
      synchronized (r) {
        Evaluation e = evaluator.evaluate(r);
        if (rules.getOrDefault(r.accountId, Map.of()).get(r.rule.name()) == r) {
          files.save(r);
        }
        return e;
      }
    } catch (RuntimeException e) {
      LOG.error("Alert {} of account {} failed: {}", r.rule.name(), r.accountId, e.toString());
      throw e;
    }
  }

  private void retry(RuleRecord r) {
    try {
      synchronized (r) {
        if (evaluator.retryWebhook(r)
            && rules.getOrDefault(r.accountId, Map.of()).get(r.rule.name()) == r) {
          files.save(r);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Webhook retry of alert {} failed: {}", r.rule.name(), e.toString());
    }
  }

  private RuleRecord find(String accountId, String name) {
    RuleRecord r = rules.getOrDefault(accountId, Map.of()).get(name);
    if (r == null) {
      throw new OpenTrailException(
          "AlertRuleNotExist", "The alert rule " + name + " does not exist.", 404);
    }
    return r;
  }

  /** Checks the rule and that its owner can search its logstore with its query. */
  private AlertRule checked(String accountId, AlertRule rule) {
    AlertRule r = RuleChecks.check(rule, allowedHosts);
    Instant now = clock.instant();
    String q = RuleEvaluator.search(r);
    search.getHistograms(accountId, r.logstore(), now.minusSeconds(1), now, q, null);
    return r;
  }

  @Override
  public CreatedRule create(String accountId, AlertRule rule) {
    AlertRule r = checked(accountId, rule);
    Map<String, RuleRecord> account =
        rules.computeIfAbsent(accountId, a -> new ConcurrentHashMap<>());
    synchronized (account) {
      if (account.containsKey(r.name())) {
        throw new OpenTrailException(
            "AlertRuleAlreadyExist", "The alert rule " + r.name() + " already exists.", 409);
      }
      String secret = null;
      String sealed = null;
      if (r.webhookUrl() != null) {
        SecretSealer s = sealer;
        if (s == null) {
          throw new OpenTrailException(
              "SecretSealerUnavailable",
              "A webhook rule needs the auth feature's secret sealer to keep its signing secret.",
              503);
        }
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        secret = java.util.HexFormat.of().formatHex(b);
        sealed = s.seal(Notifier.context(accountId, r.name()), secret);
      }
      RuleRecord rec = new RuleRecord(accountId, r, sealed);
      files.save(rec);
      account.put(r.name(), rec);
      LOG.info("Alert rule {} of account {} created", r.name(), accountId);
      return new CreatedRule(r, secret);
    }
  }

  @Override
  public AlertRule update(String accountId, AlertRule rule) {
    RuleRecord rec = find(accountId, rule.name());
    AlertRule r = checked(accountId, rule);
    synchronized (rec) {
      if (r.webhookUrl() != null && rec.sealedSecret == null) {
        throw new OpenTrailException(
            "InvalidParameter",
            "The rule was created without a webhook; delete and create it to get a secret.",
            400);
      }
      AlertRule old = rec.rule;
      boolean reset =
          !old.logstore().equals(r.logstore())
              || !old.query().equals(r.query())
              || !old.condition().equals(r.condition());
      rec.rule = r;
      if (reset || r.webhookUrl() == null) {
        rec.pending = null;
        rec.pendingBody = null;
        rec.pendingRounds = 0;
        rec.lastError = null;
      }
      if (reset) {
        rec.status = Evaluation.OK;
        rec.firingSince = null;
        rec.lastNotified = null;
      }
      files.save(rec);
      LOG.info(
          "Alert rule {} of account {} updated{}",
          r.name(),
          accountId,
          reset ? "; its state was reset" : "");
      return r;
    }
  }

  @Override
  public void delete(String accountId, String name) {
    RuleRecord rec = find(accountId, name);
    synchronized (rec) {
      rules.get(accountId).remove(name);
      files.delete(accountId, name);
    }
  }

  @Override
  public List<AlertRule> list(String accountId) {
    List<AlertRule> l = new ArrayList<>();
    new TreeMap<>(rules.getOrDefault(accountId, Map.of())).values().forEach(r -> l.add(r.rule));
    return l;
  }

  @Override
  public AlertState state(String accountId, String name) {
    RuleRecord rec = find(accountId, name);
    synchronized (rec) {
      return rec.state();
    }
  }

  @Override
  public AlertState silence(String accountId, String name, Instant from, Instant to) {
    RuleRecord rec = find(accountId, name);
    synchronized (rec) {
      boolean clear = from == null || to == null || !to.isAfter(from);
      rec.silenceFrom = clear ? null : from;
      rec.silenceTo = clear ? null : to;
      files.save(rec);
      return rec.state();
    }
  }

  @Override
  public Evaluation evaluate(String accountId, String name) {
    return run(find(accountId, name));
  }
}
