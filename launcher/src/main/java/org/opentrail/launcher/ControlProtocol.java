package org.opentrail.launcher;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The control socket's protocol: the client sends a command line, the instance answers with the
 * command's output and, if it failed, the error. Frames are length-prefixed.
 */
final class ControlProtocol {
  static final int MAX_COMMAND = 1 << 20;
  static final int MAX_OUTPUT = 64 << 20;

  /** A command's answer: {@code error} is {@code null} if it succeeded. */
  record Response(String output, String error) {
    boolean failed() {
      return error != null;
    }
  }

  private ControlProtocol() {}

  static void writeCommand(DataOutputStream out, String command) throws IOException {
    writeBytes(out, command.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The next command, or {@code null} when the client has gone. */
  static String readCommand(DataInputStream in) throws IOException {
    try {
      return new String(readBytes(in, MAX_COMMAND), StandardCharsets.UTF_8);
    } catch (EOFException e) {
      return null;
    }
  }

  static void writeResponse(DataOutputStream out, Response r) throws IOException {
    out.writeBoolean(r.failed());
    writeBytes(out, r.output().getBytes(StandardCharsets.UTF_8));
    if (r.failed()) {
      writeBytes(out, r.error().getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
  }

  static Response readResponse(DataInputStream in) throws IOException {
    boolean failed = in.readBoolean();
    String output = new String(readBytes(in, MAX_OUTPUT), StandardCharsets.UTF_8);
    String error = failed ? new String(readBytes(in, MAX_COMMAND), StandardCharsets.UTF_8) : null;
    return new Response(output, error);
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInputStream in, int max) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > max) {
      throw new IOException("frame of " + n + " bytes refused");
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
