package org.opentrail.internal.digest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opentrail.api.event.EventJson;
import org.opentrail.api.event.MalformedJsonException;
import org.opentrail.internal.durable.DurableFiles;

/**
 * Where one chain of digests (a stream's, or a destination's) stands: the last digest written, kept
 * in one small state file so that the chain continues across restarts. Write the digest first, then
 * {@link #advance}: a crash in between leaves the state one digest behind, and the same digest
 * (same interval, same previous link) is made again.
 */
public final class DigestChain {
  /**
   * The last digest of a chain.
   *
   * @param path its path, relative as its successor's {@code previousDigest} names it
   * @param sha256 SHA-256 hex of its file
   * @param signature its signature, base64
   * @param endTime its {@code digestEndTime}
   * @param extra what the next digest continues from (for a stream: {@code endSequence}, {@code
   *     endHead}), strings and numbers
   */
  public record Link(
      String path, String sha256, String signature, Instant endTime, Map<String, Object> extra) {
    public Link {
      extra = Map.copyOf(extra);
    }
  }

  private final Path file;

  /** The chain whose state is {@code file} (created on the first {@link #advance}). */
  public DigestChain(Path file) {
    this.file = file;
  }

  /**
   * The last digest written, or empty before the first.
   *
   * @throws IOException if the state file cannot be read or is damaged (never guessed over: a
   *     guessed link would restart the chain, which a verifier reports as tampering)
   */
  public Optional<Link> last() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    try {
      if (!(EventJson.read(bytes) instanceof Map<?, ?> m)
          || !(m.get("path") instanceof String path)
          || !(m.get("sha256") instanceof String sha)
          || !(m.get("signature") instanceof String sig)
          || !(m.get("endTime") instanceof String end)
          || !(m.get("extra") instanceof Map<?, ?> extra)) {
        throw new IOException("digest chain state " + file + " is damaged: a member is missing");
      }
      Map<String, Object> x = new LinkedHashMap<>();
      extra.forEach((k, v) -> x.put((String) k, v));
      return Optional.of(new Link(path, sha, sig, Instant.parse(end), x));
    } catch (MalformedJsonException | java.time.format.DateTimeParseException e) {
      throw new IOException("digest chain state " + file + " is damaged: " + e.getMessage(), e);
    }
  }

  /** Records {@code link} as the last digest, durably. */
  public void advance(Link link) throws IOException {
    LinkedHashMap<String, Object> m = new LinkedHashMap<>();
    m.put("path", link.path());
    m.put("sha256", link.sha256());
    m.put("signature", link.signature());
    m.put("endTime", DigestDocument.time(link.endTime()));
    m.put("extra", new LinkedHashMap<>(link.extra()));
    DurableFiles.write(file, EventJson.write(m));
  }
}
