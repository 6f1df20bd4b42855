package org.opentrail.auth;

import java.security.SecureRandom;

/** Random identifiers and secrets, from a {@link SecureRandom}. */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Ids() {}

  /** An access key id as Alibaba Cloud's look: {@code LTAI} and 20 letters and digits. */
  static String accessKeyId() {
    return "LTAI" + alphanumeric(20);
  }

  /** An access key secret: 30 letters and digits (about 178 bits). */
  static String secret() {
    return alphanumeric(30);
  }

  /** An account id: 16 digits, the first not 0. */
  static String accountId() {
    return digits(16);
  }

  /** {@code n} digits, the first not 0. */
  static String digits(int n) {
    StringBuilder b = new StringBuilder(n).append((char) ('1' + RANDOM.nextInt(9)));
    while (b.length() < n) {
      b.append((char) ('0' + RANDOM.nextInt(10)));
    }
    return b.toString();
  }

  static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  static long randomLong() {
    return RANDOM.nextLong();
  }

  private static String alphanumeric(int n) {
    char[] c = new char[n];
    for (int i = 0; i < n; i++) {
      c[i] = ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length()));
    }
    return new String(c);
  }
}
