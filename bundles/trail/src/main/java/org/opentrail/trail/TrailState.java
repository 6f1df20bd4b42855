package org.opentrail.trail;

import java.time.Instant;
import org.opentrail.api.trail.Trail;
import org.opentrail.api.trail.TrailSpec;

/**
 * A trail as the registry keeps it: the public view and the sequence numbers that say which events
 * it delivers. A trail delivers what is recorded while it logs: after {@code startSequence} while
 * logging, and, once stopped, up to {@code stopSequence} (what was recorded before it stopped).
 * {@code firstStartSequence} is where it first started: delivery history jobs deliver what came
 * before.
 */
record TrailState(
    String account,
    TrailSpec spec,
    boolean logging,
    Instant created,
    Instant updated,
    Instant startLogging,
    Instant stopLogging,
    long firstStartSequence,
    long startSequence,
    long stopSequence) {

  Trail toTrail() {
    TrailSpec shown =
        new TrailSpec(
            spec.name(),
            spec.eventRW(),
            spec.categories(),
            spec.regions(),
            spec.destinations().stream().map(DestinationSecrets::shown).toList());
    return new Trail(account, shown, logging, created, updated, startLogging, stopLogging);
  }

  TrailState withSpec(TrailSpec s, Instant now) {
    return new TrailState(
        account,
        s,
        logging,
        created,
        now,
        startLogging,
        stopLogging,
        firstStartSequence,
        startSequence,
        stopSequence);
  }

  /** Started when {@code sequence} was the newest event: delivers what comes after it. */
  TrailState started(Instant now, long sequence) {
    return new TrailState(
        account,
        spec,
        true,
        created,
        now,
        now,
        stopLogging,
        firstStartSequence == 0 ? Math.max(1, sequence) : firstStartSequence,
        sequence,
        stopSequence);
  }

  /** Stopped when {@code sequence} was the newest event: still delivers up to it. */
  TrailState stopped(Instant now, long sequence) {
    return new TrailState(
        account,
        spec,
        false,
        created,
        now,
        startLogging,
        now,
        firstStartSequence,
        startSequence,
        sequence);
  }
}
