package org.opentrail.launcher;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * Lets the owner of a running instance administer it from another terminal: a Unix domain socket in
 * the owner-only {@code <data>/run} directory, itself owner-only, that also checks each peer's
 * credentials and refuses any other user. Each connection gets its own Gogo session.
 */
final class ControlServer implements Closeable {
  private final Path socket;
  private final Platform platform;
  private final ServerSocketChannel server;
  private final UserPrincipal owner;
  private volatile boolean open = true;

  ControlServer(Path socket, Platform platform) throws IOException {
    this.socket = socket;
    this.platform = platform;
    DataDirectory.createPrivate(socket.getParent());
    Files.deleteIfExists(
        socket); // left by an instance that was killed; the cache lock keeps out live ones
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    this.owner = Files.getOwner(socket);
    Thread t = new Thread(this::accept, "opentrail-control");
    t.setDaemon(true);
    t.start();
  }

  /** Where the control socket of the instance using {@code data} is. */
  static Path socketPath(Path data) {
    return data.toAbsolutePath().normalize().resolve("run").resolve("control.sock");
  }

  private void accept() {
    while (open) {
      try {
        SocketChannel ch = server.accept();
        Thread t = new Thread(() -> serve(ch), "opentrail-control-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (open) {
          System.err.println("Control socket: " + e.getMessage());
        }
      }
    }
  }

  private void serve(SocketChannel ch) {
    try (ch) {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!peer.user().equals(owner)) {
        return; // another user: no session, no answer
      }
      DataInputStream in = new DataInputStream(Channels.newInputStream(ch));
      DataOutputStream out = new DataOutputStream(Channels.newOutputStream(ch));
      Capture capture = new Capture();
      PrintStream results = new PrintStream(capture, true, StandardCharsets.UTF_8);
      try (GogoSession session =
          platform
              .session(InputStream.nullInputStream(), capture, capture)
              .channel("control socket (opentrail exec or shell, same OS user)")) {
        for (String command; (command = ControlProtocol.readCommand(in)) != null; ) {
          capture.reset();
          String error = session.run(command, results);
          ControlProtocol.writeResponse(out, new ControlProtocol.Response(capture.text(), error));
        }
      }
    } catch (IOException | LaunchException e) {
      // the client went away, or the instance is stopping
    }
  }

  /** The output of one command, as a session's out and err stream. */
  private static final class Capture extends OutputStream {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (buffer.size() < ControlProtocol.MAX_OUTPUT) {
        buffer.write(b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      buffer.write(b, off, Math.min(len, Math.max(0, ControlProtocol.MAX_OUTPUT - buffer.size())));
    }

    synchronized void reset() {
      buffer.reset();
    }

    synchronized String text() {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() throws IOException {
    open = false;
    server.close();
    Files.deleteIfExists(socket);
  }
}
