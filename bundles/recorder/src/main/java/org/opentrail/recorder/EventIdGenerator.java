package org.opentrail.recorder;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Time-ordered event ids: UUID version 7 (RFC 9562), upper case like ActionTrail's ids. Ids made by
 * one generator increase strictly, also within one millisecond (a counter in the 12 bits after the
 * timestamp), so sorting ids sorts by recording time.
 */
final class EventIdGenerator {
  // ids must be unique, not secret: a fast generator seeded from a secure one
  private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
  private long lastMillis;
  private int counter;

  synchronized String next(long nowMillis) {
    long ms = Math.max(nowMillis, lastMillis);
    if (ms == lastMillis) {
      if (++counter > 0xFFF) {
        ms = ++lastMillis;
        counter = random.nextInt(0x800);
      }
    } else {
      lastMillis = ms;
      counter = random.nextInt(0x800);
    }
    long msb = (ms << 16) | 0x7000L | counter;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb).toString().toUpperCase(Locale.ROOT);
  }
}
