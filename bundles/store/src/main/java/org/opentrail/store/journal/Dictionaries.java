package org.opentrail.store.journal;

import com.github.luben.zstd.ZstdDictDecompress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import org.opentrail.internal.durable.DurableFiles;

/**
 * The zstd dictionaries a journal's blocks of {@link Block#ZSTD_DICT} records are compressed with,
 * kept in {@code journal/dictionaries/<id>.zdict}. A dictionary's id is the CRC-32C of its bytes
 * (never 0), and every block names the id it needs, so dictionaries are never replaced, only added.
 *
 * <p>A file holds the dictionary twice, each copy as {@code "OTD1", int length, int CRC-32C, bytes}
 * (big-endian): one damaged byte leaves the other copy readable. The file is durable before any
 * block that uses it is written, so every acknowledged block can find its dictionary.
 */
final class Dictionaries {
  static final String DIRECTORY = "dictionaries";
  private static final int MAGIC = 0x4F544431;
  private static final int MAX_BYTES = 1 << 20;

  private final Path dir;
  private final ConcurrentHashMap<Integer, ZstdDictDecompress> loaded = new ConcurrentHashMap<>();

  Dictionaries(Path journalDir) {
    this.dir = journalDir.resolve(DIRECTORY);
  }

  /** The id of {@code dict}: its CRC-32C, never 0. */
  static int idOf(byte[] dict) {
    CRC32C c = new CRC32C();
    c.update(dict);
    int id = (int) c.getValue();
    return id == 0 ? 1 : id;
  }

  static String fileName(int id) {
    return String.format(Locale.ROOT, "%08x.zdict", id);
  }

  /**
   * Stores {@code dict} durably (unless a file with its id is there already) and answers its id.
   *
   * @throws IOException if it cannot be written: the caller keeps compressing whole blocks
   */
  int add(byte[] dict) throws IOException {
    int id = idOf(dict);
    if (!Files.isDirectory(dir)) {
      DurableFiles.createPrivateDirectories(dir);
      DurableFiles.syncDirectory(dir.getParent()); // the directory's entry is durable too
    }
    Path file = dir.resolve(fileName(id));
    ByteBuffer b = ByteBuffer.allocate(2 * (12 + dict.length)).order(ByteOrder.BIG_ENDIAN);
    for (int copy = 0; copy < 2; copy++) {
      b.putInt(MAGIC).putInt(dict.length).putInt(id).put(dict);
    }
    if (!DurableFiles.writeNew(file, b.array()) && read(file, id) == null) {
      DurableFiles.write(file, b.array()); // the one there is damaged in both copies: mend it
    }
    loaded.put(id, new ZstdDictDecompress(dict));
    return id;
  }

  /**
   * The decompression dictionary {@code id}.
   *
   * @throws DictionaryUnavailableException if its file is missing or damaged in both copies (the
   *     blocks that need it cannot be read until it is back)
   * @throws IOException if its file cannot be read
   */
  ZstdDictDecompress decompressor(int id) throws IOException {
    ZstdDictDecompress d = loaded.get(id);
    if (d != null) {
      return d;
    }
    Path file = dir.resolve(fileName(id));
    byte[] dict;
    try {
      dict = read(file, id);
    } catch (NoSuchFileException e) {
      throw new DictionaryUnavailableException("zstd dictionary " + file + " is missing");
    }
    if (dict == null) {
      throw new DictionaryUnavailableException(
          "zstd dictionary " + file + " is damaged in both of its copies");
    }
    return loaded.computeIfAbsent(id, k -> new ZstdDictDecompress(dict));
  }

  /** A stored dictionary: its id, bytes, and when its file was written. */
  record Stored(int id, byte[] dictionary, java.time.Instant written) {}

  /** The most recently written intact dictionary, or {@code null} if there is none. */
  Stored newest() throws IOException {
    if (!Files.isDirectory(dir)) {
      return null;
    }
    List<Path> files;
    try (java.util.stream.Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.getFileName().toString().matches("[0-9a-f]{8}\\.zdict")).toList();
    }
    Stored best = null;
    for (Path f : files) {
      java.time.Instant written = Files.getLastModifiedTime(f).toInstant();
      if (best != null && !written.isAfter(best.written())) {
        continue;
      }
      int id = Integer.parseUnsignedInt(f.getFileName().toString().substring(0, 8), 16);
      byte[] dict = read(f, id);
      if (dict != null) {
        best = new Stored(id, dict, written);
      }
    }
    return best;
  }

  /** The first intact copy in {@code file} of dictionary {@code id}, or {@code null}. */
  private static byte[] read(Path file, int id) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.BIG_ENDIAN);
    for (int copy = 0; copy < 2; copy++) {
      int at = copy * (b.limit() / 2); // the file is two copies of the same length
      if (at + 12 > b.limit() || b.getInt(at) != MAGIC || b.getInt(at + 8) != id) {
        continue;
      }
      int length = b.getInt(at + 4);
      if (length <= 0 || length > MAX_BYTES || at + 12 + (long) length > b.limit()) {
        continue;
      }
      byte[] dict = new byte[length];
      b.get(at + 12, dict);
      if (idOf(dict) == id) {
        return dict;
      }
    }
    return null;
  }
}
