package org.opentrail.tests;

import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.opentrail.launcher.Platform;

/**
 * The process the crash test kills: a real OpenTrail (core feature) recording at full speed. After
 * each {@code record} call returns it prints {@code ACK <eventId> .} for every event the recorder
 * acknowledged, so the test knows exactly what was promised to be durable. Three threads record
 * concurrently (so acknowledgements come from shared group commits); half the batches carry
 * client-chosen eventIds, half let the recorder choose.
 *
 * <p>{@code CrashDriver <home> <data> <run> [deliver]}: with {@code deliver}, every feature runs
 * and a trail {@code crash-trail} delivers what is recorded to a file sink and a logstore.
 */
public final class CrashDriver {
  private CrashDriver() {}

  public static void main(String[] args) throws Exception {
    Platform platform =
        Platform.start(
            Paths.get(args[0]),
            Paths.get(args[1]),
            features(args),
            Map.of(),
            Duration.ofSeconds(60));
    String run = args[2];
    if (deliver(args)) {
      // a trail delivering everything to a file sink and a logstore, made by the first run
      java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
      try (org.opentrail.launcher.GogoSession shell =
          platform.session(java.io.InputStream.nullInputStream(), quiet, quiet)) {
        if (shell.run("trail:status crash-trail", quiet) != null) {
          String error = shell.run("auth:grant", quiet);
          if (error == null) {
            error = shell.run("trail:create crash-trail --start file:bucket=crash logstore", quiet);
          }
          if (error != null) {
            throw new IllegalStateException(error);
          }
        }
      }
    }
    Services.Service recorder =
        Services.get(platform.context(), "org.opentrail.api.event.EventRecorder");
    var parse =
        recorder.load("org.opentrail.api.event.EventJson").getMethod("parseEvents", byte[].class);
    System.out.println("READY");
    System.out.flush();
    Thread[] writers = new Thread[3];
    for (int w = 0; w < writers.length; w++) {
      String prefix = run + "-" + w;
      String account = platform.context().getProperty("opentrail.account.id");
      writers[w] = new Thread(() -> record(recorder, parse, prefix, account), "writer-" + w);
      writers[w].start();
    }
    writers[0].join();
  }

  private static boolean deliver(String[] args) {
    return args.length > 3 && args[3].equals("deliver");
  }

  private static List<String> features(String[] args) {
    return deliver(args)
        ? List.of("core", "shell", "trail", "sink-file", "sink-logstore")
        : List.of("core");
  }

  /** Records batches of 200 as fast as the recorder acknowledges them; never returns. */
  private static void record(
      Services.Service recorder, java.lang.reflect.Method parse, String prefix, String account) {
    StringBuilder out = new StringBuilder();
    for (long batch = 0; ; batch++) {
      StringBuilder json = new StringBuilder("[");
      for (int i = 0; i < 200; i++) {
        json.append(i == 0 ? "{" : ",{");
        if (batch % 2 == 0) {
          json.append("\"eventId\":\"crash-")
              .append(prefix)
              .append('-')
              .append(batch)
              .append('-')
              .append(i)
              .append("\",");
        }
        json.append("\"eventName\":\"RunInstances\",\"eventRW\":\"Write\",\"serviceName\":\"Ecs\",")
            .append("\"userIdentity\":{\"type\":\"ram-user\",\"userName\":\"crash-user-")
            .append(i % 7)
            .append("\"},")
            .append("\"resourceName\":\"i-")
            .append(prefix)
            .append('-')
            .append(batch)
            .append('-')
            .append(i)
            .append("\",")
            .append("\"requestParameters\":{\"ImageId\":\"m-")
            .append(i)
            .append("\",\"Padding\":\"")
            .append("p".repeat(400))
            .append("\"}}");
      }
      json.append(']');
      try {
        Object events =
            parse.invoke(null, (Object) json.toString().getBytes(StandardCharsets.UTF_8));
        Object result = recorder.call("record", account, events);
        out.setLength(0);
        for (Object outcome : (List<?>) Services.get(result, "outcomes")) {
          Object id = Services.get(outcome, "eventId");
          if (id != null) {
            out.append("ACK ").append(id).append(" .\n");
          }
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      synchronized (System.out) {
        System.out.print(out);
        System.out.flush();
      }
    }
  }
}
