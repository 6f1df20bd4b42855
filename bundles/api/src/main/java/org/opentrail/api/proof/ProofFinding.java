package org.opentrail.api.proof;

/**
 * One thing a verification found that does not prove itself (docs/PROOF.md section 4).
 *
 * @param kind what was found, e.g. {@code EventsAltered}, {@code DigestMissing}, {@code
 *     SignatureInvalid}, {@code DigestsEndEarly}
 * @param subject where: a digest's path, a log file, or a sequence range ({@code 1200-1299})
 * @param detail in words, with the values compared
 * @since 1.0
 */
public record ProofFinding(String kind, String subject, String detail) {}
