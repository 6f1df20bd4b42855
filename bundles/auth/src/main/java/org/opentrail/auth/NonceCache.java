package org.opentrail.auth;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.opentrail.api.OpenTrailException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * The signature nonces seen per access key, against replay: each remembered as a 64-bit keyed hash
 * of (access key id, nonce) in the bucket of its request's timestamp minute, until that timestamp
 * plus the allowed skew has passed (after which the timestamp check refuses the request anyway).
 * Bounded: when full it refuses requests with 503 rather than forget a nonce that could be
 * replayed.
 */
final class NonceCache {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NonceCache.class);
  private static final int MAGIC = 0x4f544e31; // "OTN1"

  private final byte[] salt;
  private long skewMinutes;
  private long maxEntries;
  private final TreeMap<Long, LongSet> buckets = new TreeMap<>();
  private long size;

  NonceCache(long skewMinutes, long maxEntries) {
    this(skewMinutes, maxEntries, Ids.bytes(16));
  }

  private NonceCache(long skewMinutes, long maxEntries, byte[] salt) {
    this.skewMinutes = skewMinutes;
    this.maxEntries = maxEntries;
    this.salt = salt;
  }

  /**
   * Writes what is remembered (salt and hashes, nothing else) to an owner-only file, so that a
   * clean restart forgets no nonce.
   */
  synchronized void save(Path file) throws IOException {
    int longs = 0;
    for (LongSet set : buckets.values()) {
      longs += set.size() + 2;
    }
    ByteBuffer b = ByteBuffer.allocate(4 + 4 + salt.length + 4 + longs * 8);
    b.putInt(MAGIC).putInt(salt.length).put(salt).putInt(buckets.size());
    for (Map.Entry<Long, LongSet> e : buckets.entrySet()) {
      b.putLong(e.getKey()).putLong(e.getValue().size());
      e.getValue().forEach(b::putLong);
    }
    DurableFiles.write(file, b.array());
  }

  /**
   * What a clean stop saved in {@code file}, which is deleted (a later crash must not find it), or
   * {@code null} if there is none or it cannot be read.
   */
  static NonceCache load(Path file, long skewMinutes, long maxEntries) {
    try {
      if (!Files.exists(file)) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
      Files.delete(file);
      if (b.getInt() != MAGIC) {
        throw new IOException("it is not a nonce cache");
      }
      byte[] salt = new byte[b.getInt()];
      b.get(salt);
      NonceCache c = new NonceCache(skewMinutes, maxEntries, salt);
      for (int n = b.getInt(); n > 0; n--) {
        LongSet set = c.buckets.computeIfAbsent(b.getLong(), m -> new LongSet());
        for (long k = b.getLong(); k > 0; k--) {
          set.add(b.getLong());
          c.size++;
        }
      }
      if (b.hasRemaining()) {
        throw new IOException(b.remaining() + " bytes follow the last entry");
      }
      return c;
    } catch (IOException | RuntimeException e) {
      // only an anti-replay cache: without it requests signed before this start are refused
      LOG.warn(
          "The saved signature nonces {} are damaged and discarded ({}); requests signed before"
              + " this start are refused",
          file,
          e.toString());
      return null;
    }
  }

  /**
   * Remembers a nonce.
   *
   * @return false if it was used already (by the same access key, within the window)
   * @throws OpenTrailException {@code ServiceUnavailable} (503) if the cache is full
   */
  boolean consume(String accessKeyId, String nonce, long timestampMillis, long nowMillis) {
    long h = hash(accessKeyId, nonce);
    long minute = Math.floorDiv(timestampMillis, 60_000L);
    synchronized (this) {
      expire(Math.floorDiv(nowMillis, 60_000L));
      for (LongSet s : buckets.values()) {
        if (s.contains(h)) {
          return false;
        }
      }
      if (size >= maxEntries) {
        throw new OpenTrailException(
            "ServiceUnavailable",
            "Too many signed requests within the allowed clock skew to remember their nonces;"
                + " try again in a minute.",
            503);
      }
      buckets.computeIfAbsent(minute, m -> new LongSet()).add(h);
      size++;
      return true;
    }
  }

  /** New limits: a nonce is now kept for the new skew; beyond the new maximum, requests wait. */
  synchronized void limits(long skewMinutes, long maxEntries) {
    this.skewMinutes = skewMinutes;
    this.maxEntries = maxEntries;
  }

  synchronized long size() {
    return size;
  }

  /** Drops the buckets whose requests are all past their timestamp plus the skew. */
  private void expire(long nowMinute) {
    Iterator<Map.Entry<Long, LongSet>> it = buckets.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, LongSet> e = it.next();
      if (e.getKey() + skewMinutes + 1 >= nowMinute) {
        break; // sorted: the rest are newer
      }
      size -= e.getValue().size();
      it.remove();
    }
  }

  private long hash(String accessKeyId, String nonce) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(salt);
      d.update(accessKeyId.getBytes(StandardCharsets.UTF_8));
      d.update((byte) 0);
      d.update(nonce.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d.digest()).getLong();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** A set of longs with open addressing; 0 stands for "empty", so 0 is stored as 1. */
  static final class LongSet {
    private long[] table = new long[64];
    private int size;

    boolean contains(long v) {
      long k = v == 0 ? 1 : v;
      int mask = table.length - 1;
      for (int i = slot(k, mask); ; i = (i + 1) & mask) {
        if (table[i] == k) {
          return true;
        }
        if (table[i] == 0) {
          return false;
        }
      }
    }

    void add(long v) {
      long k = v == 0 ? 1 : v;
      if ((size + 1) * 4L > table.length * 3L) { // load factor at most 3/4
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long x : old) {
          if (x != 0) {
            insert(x);
          }
        }
      }
      insert(k);
    }

    private void insert(long k) {
      int mask = table.length - 1;
      for (int i = slot(k, mask); ; i = (i + 1) & mask) {
        if (table[i] == k) {
          return;
        }
        if (table[i] == 0) {
          table[i] = k;
          size++;
          return;
        }
      }
    }

    int size() {
      return size;
    }

    void forEach(java.util.function.LongConsumer each) {
      for (long x : table) {
        if (x != 0) {
          each.accept(x);
        }
      }
    }

    private static int slot(long k, int mask) {
      return (int) (k ^ (k >>> 32)) & mask;
    }

    @Override
    public String toString() {
      return "LongSet[" + size + "]";
    }
  }
}
