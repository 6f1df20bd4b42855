package org.opentrail.api.proof;

import java.util.List;

/**
 * What a verification of a stream against its signed digests found.
 *
 * @param subject the stream verified
 * @param digests digests checked
 * @param events events whose records were hashed
 * @param bytes record bytes hashed
 * @param millis how long it took
 * @param findings every finding (tampering, missing or altered digests), empty if all proves
 * @param notes what is not a finding but limits the proof: where the chain of digests begins,
 *     events removed by retention, known damage
 * @since 1.0
 */
public record ProofReport(
    String subject,
    int digests,
    long events,
    long bytes,
    long millis,
    List<ProofFinding> findings,
    List<String> notes) {
  public ProofReport {
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }

  /** True if nothing was found. */
  public boolean clean() {
    return findings.isEmpty();
  }
}
