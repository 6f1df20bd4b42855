package org.opentrail.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.opentrail.api.OpenTrailException;
import org.osgi.util.converter.Converters;

/** A data directory with an identity registry whose first account is {@link #A}. */
abstract class AuthFixture {
  static final String A = "1234567890123456";

  @TempDir Path data;
  AuthPaths paths;
  IdentityRegistry registry;

  static AuthConfig config(Map<String, Object> m) {
    return Converters.standardConverter().convert(m).to(AuthConfig.class);
  }

  @BeforeEach
  void openRegistry() throws Exception {
    paths = AuthPaths.under(data);
    registry = new IdentityRegistry(paths, A);
  }

  IdentityRegistry reopen() throws Exception {
    registry = new IdentityRegistry(paths, A);
    return registry;
  }

  /** Asserts that {@code e} fails with {@code code} and {@code status}; returns the error. */
  static OpenTrailException fails(String code, int status, Executable e) {
    OpenTrailException x = assertThrows(OpenTrailException.class, e);
    assertEquals(code, x.code(), () -> "message: " + x.getMessage());
    assertEquals(status, x.httpStatus(), () -> code + ": " + x.getMessage());
    return x;
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
