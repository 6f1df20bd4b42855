package org.opentrail.internal.source;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies of a webhook: read bounded before and after gzip (a gzip bomb is cut at the
 * sender's limit), and, for a refused request, read and discarded so the sender's keep-alive
 * connection stays usable.
 */
final class RequestBodies {
  private RequestBodies() {}

  /** A body over the sender's {@code max.body.bytes}, before or after decompression. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(int max) {
      super("The body is larger than " + max + " bytes (max.body.bytes).");
    }
  }

  /**
   * The body, decompressed if its {@code Content-Encoding} is gzip.
   *
   * @param max the most bytes accepted, before and after decompression
   * @throws TooLarge if it has more
   * @throws IOException for another encoding, or a body that cannot be read or decompressed
   */
  static byte[] read(HttpServletRequest req, int max) throws IOException {
    long declared = req.getContentLengthLong();
    if (declared > max) {
      throw new TooLarge(max);
    }
    String encoding = req.getHeader("Content-Encoding");
    InputStream in = req.getInputStream();
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      if (!encoding.equalsIgnoreCase("gzip")) {
        throw new IOException("Content-Encoding " + encoding + " is not supported (gzip is)");
      }
      in = new GZIPInputStream(in);
    }
    byte[] out = in.readNBytes(max);
    if (in.read() != -1) {
      throw new TooLarge(max);
    }
    return out;
  }

  /** Most bytes of a refused request's body read and discarded to keep its connection. */
  static final int DRAIN_BYTES = 256 << 10;

  /**
   * Reads and discards a refused request's body, up to {@value #DRAIN_BYTES} bytes, so that a
   * sender mid-upload hears the answer and its keep-alive connection stays usable; a longer body is
   * not read and the connection is closed after the answer.
   */
  static void drain(HttpServletRequest req, HttpServletResponse resp) {
    long declared = req.getContentLengthLong();
    if (declared > DRAIN_BYTES) {
      resp.setHeader("Connection", "close");
      return;
    }
    try {
      InputStream in = req.getInputStream();
      long skipped = 0;
      byte[] buf = new byte[8192];
      int n;
      while (skipped <= DRAIN_BYTES && (n = in.read(buf)) > 0) {
        skipped += n;
      }
      if (skipped > DRAIN_BYTES) {
        resp.setHeader("Connection", "close");
      }
    } catch (IOException e) {
      resp.setHeader("Connection", "close");
    }
  }
}
