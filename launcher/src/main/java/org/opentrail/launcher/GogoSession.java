package org.opentrail.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * A Gogo command session, used through reflection so that the launcher shares no classes with the
 * framework: the interfaces are loaded from the Gogo runtime bundle that registered the service.
 */
public final class GogoSession implements AutoCloseable {
  private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
  private static final String SESSION = "org.apache.felix.service.command.CommandSession";
  private static final int INSPECT =
      0; // Converter.INSPECT: how the shell prints a command's result

  private final BundleContext context;
  private final ServiceReference<?> reference;
  private final Object session;
  private final Method execute;
  private final Method format;
  private final Method close;

  private GogoSession(
      BundleContext context, ServiceReference<?> reference, Object session, Class<?> type)
      throws NoSuchMethodException {
    this.context = context;
    this.reference = reference;
    this.session = session;
    this.execute = type.getMethod("execute", CharSequence.class);
    this.format = type.getMethod("format", Object.class, int.class);
    this.close = type.getMethod("close");
  }

  static GogoSession open(BundleContext context, InputStream in, OutputStream out, OutputStream err)
      throws LaunchException {
    ServiceReference<?>[] refs;
    try {
      // all references: the launcher shares no classes with Gogo, so none is "assignable" to it
      refs = context.getAllServiceReferences(PROCESSOR, null);
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (refs == null || refs.length == 0) {
      throw new LaunchException("The shell feature is not running: no Gogo command processor.");
    }
    ServiceReference<?> ref = refs[0];
    Object processor = context.getService(ref);
    try {
      Class<?> processorType = ref.getBundle().loadClass(PROCESSOR);
      Class<?> sessionType = ref.getBundle().loadClass(SESSION);
      Method create =
          processorType.getMethod(
              "createSession", InputStream.class, OutputStream.class, OutputStream.class);
      return new GogoSession(context, ref, create.invoke(processor, in, out, err), sessionType);
    } catch (ReflectiveOperationException e) {
      context.ungetService(ref);
      throw new LaunchException("Cannot open a Gogo session: " + e, e);
    }
  }

  /**
   * Says how the operator came in ({@code local console}, {@code control socket}, ...): the session
   * variable {@code opentrail.channel}, which the self-audit records with every command.
   */
  GogoSession channel(String channel) {
    try {
      session
          .getClass()
          .getMethod("put", String.class, Object.class)
          .invoke(session, "opentrail.channel", channel);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot name the session's channel: " + e, e);
    }
    return this;
  }

  /**
   * Runs a command line ({@code ;} separates commands) and returns its result formatted as the
   * shell prints it, or {@code null} if it has none.
   *
   * @throws Exception what the command threw
   */
  public String execute(String line) throws Exception {
    Object result;
    try {
      result = execute.invoke(session, line);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
    if (result == null) {
      return null;
    }
    return String.valueOf(format.invoke(session, result, INSPECT));
  }

  /**
   * Runs each command of a line in turn, writing each one's result (and whatever it printed, which
   * goes to the session's stream) as it completes; stops at the first that fails.
   *
   * @return {@code null} if every command succeeded, else the failure described for an operator
   */
  public String run(String line, java.io.PrintStream results) {
    for (String command : CommandLines.split(line)) {
      String refused = CommandUsage.precheck(context, command);
      if (refused != null) {
        results.flush();
        return refused;
      }
      try {
        String r = execute(command);
        if (r != null && !r.isEmpty()) {
          results.println(r);
        }
        results.flush();
      } catch (Exception e) {
        results.flush();
        String usage = CommandUsage.explain(context, command, e);
        return usage != null ? usage : GogoSession.describe(e);
      }
    }
    return null;
  }

  /** How to show a failed command to an operator: the error code, if any, and the message. */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
    try {
      Object code = root.getClass().getMethod("code").invoke(root);
      if (code != null) {
        return code + ": " + message;
      }
    } catch (ReflectiveOperationException | RuntimeException ignored) {
      // not an OpenTrail error: the message alone
    }
    return message;
  }

  @Override
  public void close() {
    try {
      close.invoke(session);
    } catch (ReflectiveOperationException e) {
      // closing a session of a stopping framework
    } finally {
      try {
        context.ungetService(reference);
      } catch (IllegalStateException e) {
        // the framework is already gone
      }
    }
  }
}
