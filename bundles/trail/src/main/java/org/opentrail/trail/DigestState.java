package org.opentrail.trail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.opentrail.api.proof.SigningKeys;
import org.opentrail.api.sink.ProvableSink;
import org.opentrail.internal.digest.DigestChain;
import org.opentrail.internal.digest.DigestMaker;

/**
 * Where one destination's digest chain stands, kept in three files beside its cursor: the last
 * digest written ({@link DigestChain}, whose link also holds the number of the last receipt it
 * listed and whether it was final), the {@link DigestPlan}, and the {@link ReceiptLog}. A damaged
 * file is never guessed over: it is reported by {@link #stateProblem()} or {@link
 * #receiptsProblem()} until it is restored or removed. Not thread-safe: {@link DestinationDigests}
 * guards it.
 */
final class DigestState {
  /**
   * Where a destination's digest state lives, and whose digests they are.
   *
   * @param chainFile the last digest written ({@link DigestChain})
   * @param planFile the {@link DigestPlan}
   * @param receiptsFile the {@link ReceiptLog}
   */
  record Target(
      String account,
      String trail,
      String destination,
      Path chainFile,
      Path planFile,
      Path receiptsFile) {}

  private final Target target;
  private final DigestChain chain;
  private DigestPlan plan;
  private DigestChain.Link link;
  private ReceiptLog receipts;
  private String stateProblem;
  private String receiptsProblem;

  DigestState(Target target) {
    this.target = target;
    this.chain = new DigestChain(target.chainFile());
    try {
      link = chain.last().orElse(null);
      plan = new DigestPlan(target.planFile());
    } catch (IOException e) {
      stateProblem = e.getMessage() + "; digests wait until it is restored or removed";
    }
    receipts();
  }

  /** Why no digest can be written (its chain or plan is damaged), or {@code null}. */
  String stateProblem() {
    return stateProblem;
  }

  /** Why no receipt can be kept (the receipt log is damaged), or {@code null}. */
  String receiptsProblem() {
    return receiptsProblem;
  }

  /**
   * The receipt log, read again if it was found damaged before; {@code null} while it cannot be
   * read (see {@link #receiptsProblem()}).
   */
  ReceiptLog receipts() {
    if (receipts == null) {
      try {
        receipts = new ReceiptLog(target.receiptsFile(), listedThrough());
        receiptsProblem = null;
      } catch (IOException e) {
        receiptsProblem = e.getMessage() + "; delivery waits until it is restored or removed";
      }
    }
    return receipts;
  }

  /** The receipts no digest lists yet, oldest first (none while the log cannot be read). */
  List<ReceiptLog.Receipt> unlistedReceipts() {
    ReceiptLog r = receipts();
    return r == null ? List.of() : r.receipts();
  }

  DigestPlan plan() {
    return plan;
  }

  /** The last digest written, or {@code null} before the first. */
  DigestChain.Link link() {
    return link;
  }

  /** Where the next digest starts: the last one's end, or the chain's beginning, or null. */
  Instant start() {
    return link != null ? link.endTime() : plan.begin();
  }

  /** Records the chain's beginning, if it has none yet (whole seconds, rounded down). */
  void begin(long nowMillis) throws IOException {
    if (stateProblem == null && link == null && plan.begin() == null) {
      plan.begin(Instant.ofEpochSecond(Math.floorDiv(nowMillis, 1000)));
    }
  }

  /** Whether the chain began and its last digest is final. */
  boolean lastFinal() {
    return link != null && Boolean.TRUE.equals(link.extra().get("final"));
  }

  /** Whether {@code p} is written already (a crash came before the plan forgot it). */
  boolean written(DigestPlan.Pending p) {
    return link != null && !link.endTime().isBefore(p.end());
  }

  /** Whether receipts wait that no digest lists yet. */
  boolean unlisted() {
    ReceiptLog r = receipts();
    return r != null && r.newest() > listedThrough();
  }

  /** The number through which receipts are listed in a digest written (0 before the first). */
  long listedThrough() {
    return link != null && link.extra().get("receiptsThrough") instanceof Number n
        ? n.longValue()
        : 0;
  }

  /**
   * Decides the next digest and records it in the plan: a final one ({@code isFinal}), or one up to
   * the last interval boundary (see {@link DigestContent#end}); {@code null} if none is due.
   *
   * @param cursor the destination's cursor: receipts of its pending batch wait for a later digest
   */
  DigestPlan.Pending decide(
      long nowMillis, boolean isFinal, CursorState cursor, long intervalSeconds, String region)
      throws IOException {
    Instant start = start();
    Instant end =
        start == null ? null : DigestContent.end(nowMillis, start, intervalSeconds, isFinal);
    if (end == null) {
      return null;
    }
    DigestPlan.Pending p =
        new DigestPlan.Pending(
            DigestMaker.destinationPath(target.account(), region, target.trail(), end),
            region,
            start,
            end,
            isFinal,
            DigestContent.listsThrough(unlistedReceipts(), listedThrough(), end, cursor),
            intervalSeconds);
    plan.pending(p);
    return p;
  }

  /**
   * Makes the digest {@code p} records, signs it with the account's current key, writes it into the
   * destination and moves the chain on: its link first (a crash right after leaves receipts it
   * listed, which are then skipped), then the plan and the receipts forget it.
   *
   * @throws Exception if it was not signed or written; the plan still holds it
   */
  void write(ProvableSink sink, SigningKeys keys, DigestPlan.Pending p) throws Exception {
    if (receipts() == null) {
      throw new IOException(receiptsProblem);
    }
    Map<String, Object> own =
        DigestContent.members(
            target, p.homeRegion(), receipts.receipts(), listedThrough(), p.receiptsThrough());
    DigestMaker.Made made =
        DigestMaker.make(
            keys,
            target.account(),
            "destination",
            p.path(),
            p.start(),
            p.end(),
            p.intervalSeconds(),
            own,
            p.isFinal(),
            link,
            Map.of("receiptsThrough", p.receiptsThrough(), "final", p.isFinal()));
    sink.writeDigest(p.path(), made.bytes());
    chain.advance(made.link());
    link = made.link();
    plan.pending(null);
    receipts.dropThrough(p.receiptsThrough());
  }
}
