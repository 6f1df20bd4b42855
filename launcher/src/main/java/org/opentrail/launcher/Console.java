package org.opentrail.launcher;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell on a terminal: line editing and history by JLine, commands run by an {@link
 * Executor} (a local Gogo session, or a running instance through its control socket).
 */
final class Console {
  /** Runs one command line; answers its output and, if it failed, the error. */
  interface Executor {
    ControlProtocol.Response run(String line) throws IOException;
  }

  private Console() {}

  /**
   * Reads and runs lines until the operator types {@code exit}, presses Ctrl-D, or (if {@code
   * ctrlCExits}) Ctrl-C.
   */
  static void run(Executor executor, Path history, String banner, boolean ctrlCExits)
      throws IOException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader =
          LineReaderBuilder.builder()
              .terminal(terminal)
              .variable(LineReader.HISTORY_FILE, history)
              .appName("opentrail")
              .build();
      PrintWriter out = terminal.writer();
      out.println(banner);
      out.println(
          "Type 'help' for commands, 'help <command>' for one command, 'exit' or Ctrl-D to leave.");
      while (true) {
        String line;
        try {
          line = reader.readLine("opentrail> ");
        } catch (UserInterruptException e) {
          if (ctrlCExits) {
            break;
          }
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        line = line.strip();
        if (line.isEmpty()) {
          continue;
        }
        if (line.equals("exit") || line.equals("quit")) {
          break;
        }
        ControlProtocol.Response r = executor.run(line);
        out.print(r.output());
        if (!r.output().isEmpty() && !r.output().endsWith("\n")) {
          out.println();
        }
        if (r.failed()) {
          out.println("Error: " + r.error());
        }
        out.flush();
      }
    }
  }
}
