package org.opentrail.tests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;

/**
 * Wrong arguments to OpenTrail's commands say what was wrong and how to use the command, never
 * Gogo's coercion text: a table of cases per scope, then every command of every OpenTrail scope
 * (including scopes added later) given an option it does not have.
 */
class CommandUsageTest {
  static final Set<String> SCOPES =
      Set.of("event", "store", "trail", "sink", "auth", "proof", "consume", "log", "alert");

  @TempDir Path dir;

  record Case(String command, String expected) {}

  static final List<Case> CASES =
      List.of(
          new Case(
              "auth:keyadd alice",
              "auth:keyadd: unexpected argument 'alice'; usage: auth:keyadd [-u user] [-a account]"),
          new Case("auth:useradd", "auth:useradd: missing <user-name>; usage: auth:useradd"),
          new Case("event:get", "event:get: missing <eventId>; usage: event:get"),
          new Case(
              "event:lookup --bogus 1",
              "event:lookup: unknown option '--bogus'; usage: event:lookup"),
          new Case(
              "store:verify -s",
              "store:verify: option -s needs a value; usage: store:verify [-s stream]"),
          new Case(
              "store:status extra",
              "store:status: unexpected argument 'extra'; usage: store:status [--json]"),
          new Case("trail:status", "trail:status: missing <trail>; usage: trail:status"),
          new Case("trail:status a b", "trail:status: unexpected argument 'b'"),
          new Case("sink:list extra", "sink:list: unexpected argument 'extra'; usage: sink:list"),
          new Case(
              "event:lookup --user --json",
              "event:lookup: option --user needs a value; usage: event:lookup"),
          new Case(
              "proof:rotatekey now",
              "proof:rotatekey: unexpected argument 'now'; usage: proof:rotatekey [-a account]"),
          new Case("proof:keys --json", "proof:keys: option --json needs a value"));

  @Test
  void wrongArgumentsGetTheCommandsUsage() throws Exception {
    try (Instance ot =
        new Instance(
            dir.resolve("data"),
            List.of(
                "core",
                "shell",
                "auth",
                "trail",
                "sink-file",
                "sink-logstore",
                "consume",
                "logsearch",
                "alerts"))) {
      for (Case c : CASES) {
        String error = ot.fails(c.command());
        assertTrue(error.contains(c.expected()), c.command() + " said: " + error);
        assertFalse(error.contains("Cannot coerce"), error);
      }
      // quoted values may hold dash-words; unscoped names shared with Felix stay Felix's
      ot.run("auth:useradd -n 'Bob --the builder' bob2");
      ot.run("auth:useradd '-dash'");
      String felix = ot.attempt("stop abc");
      assertTrue(felix != null && !felix.contains("trail:stop"), "stop abc: " + felix);
      List<String> commands = new ArrayList<>();
      for (ServiceReference<?> ref :
          ot.context().getAllServiceReferences(null, "(osgi.command.scope=*)")) {
        Object scope = ref.getProperty("osgi.command.scope");
        Object functions = ref.getProperty("osgi.command.function");
        if (!SCOPES.contains(String.valueOf(scope))) {
          continue;
        }
        for (String f :
            functions instanceof String[] a ? a : new String[] {String.valueOf(functions)}) {
          commands.add(scope + ":" + f);
        }
      }
      assertTrue(commands.size() > 30, "commands found: " + commands);
      for (String command : commands) {
        String error = ot.attempt(command + " --no-such-option-xyz");
        assertTrue(error != null, command + " accepted an option it does not have");
        assertFalse(error.contains("Cannot coerce"), command + ": " + error);
        assertTrue(
            error.contains("usage: " + command) || error.contains("InvalidParameter"),
            command + ": " + error);
      }
    }
  }
}
