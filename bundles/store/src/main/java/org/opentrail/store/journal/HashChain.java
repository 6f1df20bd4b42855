package org.opentrail.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;
import org.opentrail.internal.durable.DurableFiles;

/**
 * A stream's hash chain (docs/PROOF.md section 1): {@code h(s) = SHA-256(h(s - 1) || int64 s ||
 * SHA-256(record s))}, starting from {@code SHA-256("OpenTrail chain v1\n" || stream)}. The leaf
 * hash of a record is taken on the caller's thread ({@link #leaf}); the writer only chains (one
 * 72-byte hash per event).
 *
 * <p>Each segment has an anchor, {@code <first sequence>.chain}: the chain value before its first
 * record, written durably when the segment is created, so that a restart recomputes only the newest
 * segment and a check resynchronises at every segment. Layout: {@code "OTCH", int64 sequence, 32
 * bytes value, CRC-32C of the preceding 44 bytes}; {@code "OTCR"} instead marks an anchor a
 * recovery wrote over records it could not read (the chain restarts there, see {@link
 * ChainRecovery}).
 */
public final class HashChain {
  static final String SUFFIX = ".chain";
  private static final int MAGIC = 0x4F544348; // "OTCH"
  private static final int RESTARTED = 0x4F544352; // "OTCR"
  private static final int LENGTH = 48;
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(HashChain::sha256);

  private final MessageDigest md = sha256();
  private final ByteBuffer seq = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);

  /** The chain value before a stream's first record. */
  public static byte[] genesis(String stream) {
    return SHA256.get().digest(("OpenTrail chain v1\n" + stream).getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of an encoded record. */
  public static byte[] leaf(byte[] encoded) {
    return SHA256.get().digest(encoded);
  }

  /** SHA-256 of {@code length} bytes of an encoded record at {@code offset}. */
  static byte[] leaf(byte[] b, int offset, int length) {
    MessageDigest d = SHA256.get();
    d.update(b, offset, length);
    return d.digest();
  }

  /** The chain value after record {@code sequence} whose leaf hash is {@code leaf}. */
  public byte[] next(byte[] previous, long sequence, byte[] leaf) {
    md.update(previous);
    seq.putLong(0, sequence);
    md.update(seq.array());
    md.update(leaf);
    return md.digest();
  }

  static Path anchorPath(Path dir, long segmentFirst) {
    return dir.resolve(String.format("%020d%s", segmentFirst, SUFFIX));
  }

  /**
   * A segment's anchor.
   *
   * @param value the chain value before its first record
   * @param restarted whether a recovery wrote it over records it could not read: the records before
   *     it do not chain to it
   */
  record Anchor(byte[] value, boolean restarted) {}

  /**
   * Writes the anchor of the segment starting at {@code sequence + 1}: the value after it; {@code
   * restarted} if that value misses records that could not be read.
   */
  static void writeAnchor(Path dir, long sequence, byte[] value, boolean restarted)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(LENGTH).order(ByteOrder.BIG_ENDIAN);
    b.putInt(restarted ? RESTARTED : MAGIC).putLong(sequence).put(value);
    CRC32C c = new CRC32C();
    c.update(b.array(), 0, 44);
    b.putInt((int) c.getValue());
    DurableFiles.write(anchorPath(dir, sequence + 1), b.array());
  }

  /**
   * The anchor of the segment starting at {@code segmentFirst}: the chain value after {@code
   * segmentFirst - 1}; {@code null} if it has none.
   *
   * @throws IOException if it is damaged
   */
  static Anchor readAnchor(Path dir, long segmentFirst) throws IOException {
    byte[] a;
    Path p = anchorPath(dir, segmentFirst);
    try {
      a = Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.BIG_ENDIAN);
    CRC32C c = new CRC32C();
    c.update(a, 0, Math.min(44, a.length));
    if (a.length != LENGTH
        || (b.getInt(0) != MAGIC && b.getInt(0) != RESTARTED)
        || b.getLong(4) != segmentFirst - 1
        || b.getInt(44) != (int) c.getValue()) {
      throw new IOException("chain anchor " + p + " is damaged");
    }
    byte[] v = new byte[32];
    b.get(12, v);
    return new Anchor(v, b.getInt(0) == RESTARTED);
  }

  static void deleteAnchor(Path dir, long segmentFirst) throws IOException {
    Files.deleteIfExists(anchorPath(dir, segmentFirst));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
