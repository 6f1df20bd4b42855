package org.opentrail.sink.logstore;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.opentrail.api.InvalidParameterException;
import org.opentrail.api.OpenTrailException;
import org.opentrail.api.event.Event;
import org.opentrail.api.sink.DeliveryBatch;
import org.opentrail.api.sink.ReadableSink;
import org.opentrail.api.sink.ResourceSinkProvider;
import org.opentrail.api.sink.Sink;
import org.opentrail.api.sink.SinkProvider;
import org.opentrail.api.sink.SinkTarget;
import org.opentrail.api.store.EventStore;
import org.opentrail.api.store.StoredEvent;
import org.opentrail.api.store.StreamSpec;
import org.opentrail.api.trail.Logstores;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sink type {@code logstore}: ActionTrail's Log Service delivery onto the embedded store. Each
 * trail gets a logstore {@code actiontrail_<trail>} of its account (the store stream {@code
 * actiontrail_<accountId>_<trail>}, so two accounts with a trail of the same name never share one)
 * with the destination's retention, applied again whenever the destination opens, written only by
 * delivery (users look events up in it, {@code event:lookup --logstore actiontrail_<trail>}, but
 * cannot record into it). The store stores an (account, eventId) once, so a redelivered batch adds
 * nothing.
 */
@Component(service = SinkProvider.class, property = SinkProvider.TYPE + "=logstore")
public final class LogstoreSinkProvider implements ResourceSinkProvider {
  static final String RETENTION_DAYS = "retentionDays";
  static final String PROJECT = "project";
  private static final Set<String> KEYS = Set.of(RETENTION_DAYS, PROJECT);
  private static final int DEFAULT_RETENTION_DAYS = 90;

  private final EventStore store;

  @Activate
  public LogstoreSinkProvider(@Reference EventStore store) {
    this.store = store;
  }

  /** SlsProjectArn: {@code acs:log:<region>:<accountId>:project/<name>}. */
  private static final Pattern PROJECT_ARN =
      Pattern.compile("acs:log:[a-z0-9-]*:([0-9]{12,16}):project/[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

  @Override
  public void validate(Map<String, String> config) {
    for (String k : config.keySet()) {
      if (!KEYS.contains(k)) {
        throw new InvalidParameterException(
            k,
            "The logstore sink has no configuration key '"
                + k
                + "'; its keys are retentionDays and project (SlsProjectArn).");
      }
    }
    retentionDays(config);
    String project = config.get(PROJECT);
    if (project != null && !PROJECT_ARN.matcher(project).matches()) {
      throw new InvalidParameterException(
          "SlsProjectArn",
          "The parameter SlsProjectArn is acs:log:<region>:<accountId>:project/<name>, not '"
              + (project.length() > 64 ? project.substring(0, 64) + "…" : project)
              + "'.");
    }
  }

  /**
   * The account's own logstore {@code actiontrail_<trail>}: {@code logstore://<owner
   * account>/actiontrail_<trail>}. A project of another account than the destination's owner is
   * refused: delivering there takes a role of that account (SlsWriteRoleArn).
   *
   * @throws InvalidParameterException if SlsProjectArn names another account's project
   */
  @Override
  public String resource(SinkTarget target) {
    if (!target.ownerAccountId().equals(target.accountId())) {
      throw new OpenTrailException(
          "InvalidParameter.CrossAccountLogstore",
          "The embedded logstore keeps each account's events for that account to read, so it"
              + " cannot receive another account's trail (SlsWriteRoleArn of another account):"
              + " deliver to another account through OSS/S3, OpenSearch or a warehouse table.",
          400);
    }
    String project = target.config().get(PROJECT);
    if (project != null) {
      Matcher m = PROJECT_ARN.matcher(project);
      if (m.matches() && !m.group(1).equals(target.ownerAccountId())) {
        throw new OpenTrailException(
            "NoPermission.DestinationResource",
            "The project "
                + project
                + " is not the trail's account's: deliver into another account's project with"
                + " SlsWriteRoleArn, a role of that account that trusts ActionTrail.",
            403);
      }
    }
    return "logstore://" + target.ownerAccountId() + "/" + stream(target);
  }

  @Override
  public Set<String> secretKeys() {
    return Set.of();
  }

  /** The store stream of the destination's logstore ({@link Logstores#stream}). */
  static String stream(SinkTarget target) {
    return Logstores.stream(target.ownerAccountId(), Logstores.trailLogstore(target.trailName()));
  }

  private static int retentionDays(Map<String, String> config) {
    String v = config.get(RETENTION_DAYS);
    if (v == null) {
      return DEFAULT_RETENTION_DAYS;
    }
    try {
      int days = Integer.parseInt(v.strip());
      if (days >= 1 && days <= 3650) {
        return days;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new InvalidParameterException(
        RETENTION_DAYS, "retentionDays is a whole number of days from 1 to 3650, not '" + v + "'.");
  }

  @Override
  public Sink open(SinkTarget target) {
    String name = stream(target);
    StreamSpec spec = new StreamSpec(name, retentionDays(target.config()), true);
    var existing = store.stream(name);
    if (existing.isEmpty()) {
      store.createStream(spec);
    } else if (!existing.get().spec().equals(spec)) {
      store.updateStream(spec); // the destination's retention is the logstore's
    }
    return new ReadableSink() {
      @Override
      public void deliver(DeliveryBatch batch) {
        store.append(name, batch.events().stream().map(StoredEvent::event).toList());
      }

      /** Reads the logstore back in sequence order (for store:repair of the history). */
      @Override
      public void readBack(Consumer<List<Event>> batches) {
        for (long after = 0; ; ) {
          List<StoredEvent> page = store.read(name, after, 5_000);
          if (page.isEmpty()) {
            return;
          }
          batches.accept(page.stream().map(StoredEvent::event).toList());
          after = page.get(page.size() - 1).sequence();
        }
      }

      @Override
      public void close() {}
    };
  }
}
