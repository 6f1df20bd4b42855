package org.opentrail.internal.durable;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A state file that exists but cannot be read as what it should hold (empty, truncated, not the
 * expected format): the message names the file, so an operator can restore it from a backup or
 * remove it knowingly. Never a reason to carry on as if the file were empty.
 */
public final class DamagedFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  public DamagedFileException(Path file, String why, Throwable cause) {
    super("The file " + file + " is damaged: " + why, cause);
    this.file = file;
  }

  public DamagedFileException(Path file, String why) {
    this(file, why, null);
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }
}
