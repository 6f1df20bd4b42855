package org.opentrail.launcher;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** A connection to the control socket of a running instance. */
final class ControlClient implements Closeable {
  private final SocketChannel channel;
  private final DataInputStream in;
  private final DataOutputStream out;

  private ControlClient(SocketChannel channel) {
    this.channel = channel;
    this.in = new DataInputStream(Channels.newInputStream(channel));
    this.out = new DataOutputStream(Channels.newOutputStream(channel));
  }

  /** A connection to the instance using {@code data}, or {@code null} if none is running. */
  static ControlClient connect(Path data) {
    Path socket = ControlServer.socketPath(data);
    if (!Files.exists(socket)) {
      return null;
    }
    try {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.connect(UnixDomainSocketAddress.of(socket));
      return new ControlClient(ch);
    } catch (IOException e) {
      return null; // a socket file left by a killed instance
    }
  }

  ControlProtocol.Response execute(String command) throws IOException {
    ControlProtocol.writeCommand(out, command);
    try {
      return ControlProtocol.readResponse(in);
    } catch (java.io.EOFException e) {
      throw new IOException(
          "The instance closed the connection: is this your OpenTrail? (only its owner may attach)",
          e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
