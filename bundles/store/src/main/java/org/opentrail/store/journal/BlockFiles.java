package org.opentrail.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reading and checking blocks in a file of blocks (a journal segment, {@code repaired.blocks}), and
 * copying damaged or torn bytes aside: one place for both kinds of file.
 */
final class BlockFiles {
  private BlockFiles() {}

  /** Reads {@code b.remaining()} bytes at {@code position}, or throws at the end of the file. */
  static void readFully(FileChannel channel, Path path, ByteBuffer b, long position)
      throws IOException {
    while (b.hasRemaining()) {
      int n = channel.read(b, position);
      if (n < 0) {
        throw new IOException("unexpected end of " + path.getFileName() + " at byte " + position);
      }
      position += n;
    }
  }

  /**
   * The header of a block at {@code pos} that is complete within {@code fileSize} and passes its
   * checksum, or {@code null}.
   */
  static Block.Header validAt(FileChannel channel, Path path, long pos, long fileSize)
      throws IOException {
    if (pos + Block.HEADER > fileSize) {
      return null;
    }
    ByteBuffer hb = ByteBuffer.allocate(Block.HEADER);
    readFully(channel, path, hb, pos);
    Block.Header h = Block.readHeader(hb);
    if (h == null || h.payloadLength() > Block.MAX_RAW || pos + h.totalLength() > fileSize) {
      return null;
    }
    byte[] payload = new byte[h.payloadLength()];
    readFully(channel, path, ByteBuffer.wrap(payload), pos + Block.HEADER);
    return Block.verify(hb, payload, h.crc()) ? h : null;
  }

  /** Copies {@code length} bytes at {@code offset} to a new file {@code target}, forced. */
  static void copyAside(FileChannel channel, long offset, long length, Path target)
      throws IOException {
    try (FileChannel out =
        org.opentrail.internal.durable.DurableFiles.openPrivate(
            target,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < length) {
        long n = channel.transferTo(offset + done, length - done, out);
        if (n <= 0) {
          break;
        }
        done += n;
      }
      out.force(true);
    }
    Journal.fsyncDirectory(target.getParent());
  }
}
