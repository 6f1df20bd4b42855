package org.opentrail.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One keep-alive HTTP/1.1 connection posting webhook bodies, as a MinIO audit target or a
 * kube-apiserver audit webhook does: {@code POST <path>} with {@code Authorization: Bearer
 * <token>}, exactly the headers given and no others ({@link java.net.HttpURLConnection} would add a
 * form Content-Type to MinIO's batches, which carry none). The request line, headers and body go
 * out in one write from a reused buffer; the answer is read whole (Content-Length or chunked). The
 * connection is reopened only if the server closes it, which is counted.
 */
final class WebhookClient implements Closeable {
  private static final Pattern COUNT =
      Pattern.compile("\"(Entries|Accepted|Duplicates|NotCollected|Skipped|Rejected)\":(\\d+)");

  /** An answer: status and body. */
  record Answer(int status, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String clipped(int max) {
      String t = text();
      return t.length() > max ? t.substring(0, max) + "... (" + t.length() + " chars)" : t;
    }

    /** Entries, Accepted, Duplicates, NotCollected, Skipped, Rejected; -1 where absent. */
    long[] counts() {
      long[] out = {-1, -1, -1, -1, -1, -1};
      Matcher m = COUNT.matcher(new String(body, StandardCharsets.ISO_8859_1));
      while (m.find()) {
        int i =
            switch (m.group(1)) {
              case "Entries" -> 0;
              case "Accepted" -> 1;
              case "Duplicates" -> 2;
              case "NotCollected" -> 3;
              case "Skipped" -> 4;
              default -> 5;
            };
        out[i] = Long.parseLong(m.group(2));
      }
      return out;
    }
  }

  private final int port;
  private final byte[] head;
  private byte[] buffer;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private int connects;

  /**
   * @param headers sent with every post, in this order (Host, Content-Length and Connection are
   *     added)
   */
  WebhookClient(int port, String path, Map<String, String> headers) {
    this.port = port;
    StringBuilder h = new StringBuilder(256);
    h.append("POST ").append(path).append(" HTTP/1.1\r\n");
    h.append("Host: 127.0.0.1:").append(port).append("\r\n");
    headers.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
    h.append("Content-Length: ");
    this.head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    this.buffer = new byte[64 * 1024];
  }

  /** How many times a connection was opened (1 if the server kept it alive throughout). */
  int connects() {
    return connects;
  }

  /** Posts {@code body} with {@code generation} in its slots; reads the answer. */
  Answer post(WebhookBody body, long generation) throws IOException {
    byte[] length = (body.bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    int size = head.length + length.length + body.bytes.length;
    if (buffer.length < size) {
      buffer = new byte[Math.max(size, buffer.length * 2)];
    }
    System.arraycopy(head, 0, buffer, 0, head.length);
    System.arraycopy(length, 0, buffer, head.length, length.length);
    body.copyTo(buffer, head.length + length.length, generation);
    if (socket == null) {
      connect();
    }
    out.write(buffer, 0, size);
    out.flush();
    return read();
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
    s.setSoTimeout(300_000);
    socket = s;
    out = s.getOutputStream();
    in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
    connects++;
  }

  private Answer read() throws IOException {
    String status = line();
    if (!status.startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = status.startsWith("HTTP/1.0");
    for (String l = line(); !l.isEmpty(); l = line()) {
      int colon = l.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = l.substring(colon + 1).strip();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      for (long n; (n = Long.parseLong(line().split(";")[0].strip(), 16)) > 0; ) {
        b.write(in.readNBytes((int) n));
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
      body = b.toByteArray();
    } else if (length >= 0) {
      body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new EOFException("the answer ended after " + body.length + " of " + length + " B");
      }
    } else {
      body = in.readAllBytes();
      close = true;
    }
    if (close) {
      close();
    }
    return new Answer(code, body);
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder(64);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new EOFException("the server closed the connection");
      }
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}
