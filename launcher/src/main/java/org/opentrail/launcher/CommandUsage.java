package org.opentrail.launcher;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * When Gogo cannot fit a command's arguments to its method ("Cannot coerce keyadd(Token) to any of
 * [(String, String)]"), says what was wrong and the command's usage, built from the same
 * {@code @Descriptor} and {@code @Parameter} annotations {@code help} shows, e.g. {@code
 * auth:keyadd: unexpected argument 'alice'; usage: auth:keyadd [-a account] [-u user]}. One
 * mechanism for every command scope; the command services are read by reflection, the launcher
 * sharing no classes with the framework.
 */
final class CommandUsage {
  private static final String UNSPECIFIED =
      "org.apache.felix.service.command.unspecified.parameter";

  /** An option ({@code -a/--account VALUE}) or a flag ({@code --json}). */
  private record Option(List<String> names, boolean flag) {
    String shown() {
      String longest = names.stream().max((a, b) -> a.length() - b.length()).orElse("?");
      String shortest = names.stream().min((a, b) -> a.length() - b.length()).orElse("?");
      return flag
          ? "[" + longest + "]"
          : "[" + shortest + " " + longest.replaceFirst("^-+", "") + "]";
    }
  }

  /** One way to call the command: its options and positional parameters. */
  private record Form(
      String command, List<Option> options, List<String> positional, boolean varargs) {
    String usage() {
      StringBuilder b = new StringBuilder(command);
      options.forEach(o -> b.append(' ').append(o.shown()));
      for (int i = 0; i < positional.size(); i++) {
        b.append(" <").append(positional.get(i)).append('>');
        if (varargs && i == positional.size() - 1) {
          b.append("...");
        }
      }
      return b.toString();
    }
  }

  private CommandUsage() {}

  /**
   * What to tell an operator about {@code failure} of {@code command}: for Gogo's argument coercion
   * error, what was wrong and the usage; {@code null} for any other failure.
   */
  static String explain(BundleContext context, String command, Throwable failure) {
    String m = failure.getMessage();
    if (!(failure instanceof IllegalArgumentException)
        || m == null
        || !m.startsWith("Cannot coerce")) {
      return null;
    }
    List<String> tokens = tokens(command);
    if (tokens.isEmpty()) {
      return null;
    }
    List<Form> forms = forms(context, tokens.get(0), false);
    if (forms.isEmpty() || !unambiguous(context, tokens.get(0))) {
      return null; // which command Gogo ran is its own choice: its message stands
    }
    Form form = forms.get(0);
    String problem = problem(form, tokens.subList(1, tokens.size()));
    return form.command()
        + ": "
        + problem
        + "; usage: "
        + usage(forms)
        + " (help "
        + form.command()
        + ")";
  }

  /**
   * Checks a command of OpenTrail's own before it runs: an unquoted word that looks like an option
   * but is none of the command's is refused with the usage (Gogo would pass it on as a value, e.g.
   * create a user named "--frce"). Answers what to tell the operator, or {@code null} to run it.
   */
  static String precheck(BundleContext context, String command) {
    List<String> raw = rawTokens(command);
    if (raw.isEmpty()) {
      return null;
    }
    List<Form> forms = forms(context, raw.get(0), true);
    if (forms.isEmpty() || !unambiguous(context, raw.get(0))) {
      return null;
    }
    for (int i = 1; i < raw.size(); i++) {
      String t = raw.get(i);
      if (!t.matches("--?[A-Za-z][A-Za-z0-9-]*")) {
        continue;
      }
      Option o =
          forms.stream().map(f -> option(f, t)).filter(x -> x != null).findFirst().orElse(null);
      String next = i + 1 < raw.size() ? raw.get(i + 1) : null;
      String problem = null;
      if (o == null) {
        problem = "unknown option '" + t + "'";
      } else if (!o.flag()
          && (next == null || forms.stream().anyMatch(f -> option(f, next) != null))) {
        problem = "option " + t + " needs a value";
      }
      if (problem != null) {
        return forms.get(0).command()
            + ": "
            + problem
            + "; usage: "
            + usage(forms)
            + " (help "
            + forms.get(0).command()
            + ")";
      }
    }
    return null;
  }

  /**
   * True if {@code name} can only mean one command: it has its scope, or no other command shares
   * its function name (an unscoped {@code start} may be Felix's or a trail's: Gogo decides).
   */
  private static boolean unambiguous(BundleContext context, String name) {
    return name.contains(":")
        || forms(context, name, false).stream().map(Form::command).distinct().count() == 1;
  }

  private static String usage(List<Form> forms) {
    StringBuilder usage = new StringBuilder();
    for (Form f : forms) {
      usage.append(usage.length() == 0 ? "" : " | ").append(f.usage());
    }
    return usage.toString();
  }

  /** What is wrong with {@code args} for {@code form}, in words. */
  private static String problem(Form form, List<String> args) {
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      Option o = option(form, a);
      if (o != null) {
        if (!o.flag() && ++i >= args.size()) {
          return "option " + a + " needs a value";
        }
      } else if (a.startsWith("-") && a.length() > 1 && !Character.isDigit(a.charAt(1))) {
        return "unknown option '" + a + "'";
      } else {
        positional.add(a);
      }
    }
    int required = form.positional().size() - (form.varargs() ? 1 : 0);
    if (positional.size() > form.positional().size() && !form.varargs()) {
      return "unexpected argument '" + positional.get(form.positional().size()) + "'";
    }
    if (positional.size() < required) {
      return "missing <" + form.positional().get(positional.size()) + ">";
    }
    return "an argument has the wrong type";
  }

  private static Option option(Form form, String token) {
    for (Option o : form.options()) {
      if (o.names().contains(token)) {
        return o;
      }
    }
    return null;
  }

  /**
   * The forms of a command ({@code scope:function} or a bare function name); with {@code ownOnly},
   * only of OpenTrail's own command components.
   */
  private static List<Form> forms(BundleContext context, String name, boolean ownOnly) {
    int colon = name.indexOf(':');
    String scope = colon < 0 ? "*" : name.substring(0, colon);
    String function = colon < 0 ? name : name.substring(colon + 1);
    List<Form> out = new ArrayList<>();
    ServiceReference<?>[] refs;
    try {
      refs =
          context.getAllServiceReferences(
              null,
              "(&(osgi.command.scope=" + scope + ")(osgi.command.function=" + function + "))");
    } catch (InvalidSyntaxException e) {
      return out;
    }
    if (refs == null) {
      return out;
    }
    for (ServiceReference<?> ref : refs) {
      Object service = context.getService(ref);
      if (service == null) {
        continue;
      }
      try {
        if (ownOnly && !service.getClass().getName().startsWith("org.opentrail.")) {
          continue;
        }
        String shown = ref.getProperty("osgi.command.scope") + ":" + function;
        for (Method m : service.getClass().getMethods()) {
          if (m.getName().equals(function)) {
            out.add(form(shown, m));
          }
        }
      } finally {
        context.ungetService(ref);
      }
    }
    return out;
  }

  private static Form form(String command, Method m) {
    List<Option> options = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    Class<?>[] types = m.getParameterTypes();
    Annotation[][] annotations = m.getParameterAnnotations();
    boolean varargs = false;
    for (int i = 0; i < types.length; i++) {
      if (types[i].getName().endsWith("CommandSession")) {
        continue;
      }
      Annotation parameter = annotation(annotations[i], "Parameter");
      if (parameter != null) {
        String[] names = (String[]) value(parameter, "names");
        String present = (String) value(parameter, "presentValue");
        options.add(new Option(List.of(names), !UNSPECIFIED.equals(present)));
      } else {
        Annotation d = annotation(annotations[i], "Descriptor");
        positional.add(name(d == null ? null : (String) value(d, "value"), types[i]));
        varargs = types[i].isArray() || List.class.isAssignableFrom(types[i]);
      }
    }
    return new Form(command, options, positional, varargs);
  }

  /** A short name for a positional parameter from its description: "the trail" gives "trail". */
  private static String name(String descriptor, Class<?> type) {
    if (descriptor == null || descriptor.isBlank()) {
      return type.getSimpleName().toLowerCase(Locale.ROOT);
    }
    // "the trail's name: 6 to 36 ..." gives "trail-name", "one or more destinations" "destinations"
    String s =
        descriptor
            .strip()
            .replaceFirst("(?i)^(the|a|an|one or more|zero or more|each)\\s+", "")
            .split("[,;:(]", 2)[0]
            .replace("'s", "");
    String[] words = s.strip().split("\\s+");
    String joined = String.join("-", java.util.Arrays.copyOf(words, Math.min(3, words.length)));
    return joined.isEmpty() ? "arg" : joined;
  }

  private static Annotation annotation(Annotation[] list, String simpleName) {
    for (Annotation a : list) {
      if (a.annotationType().getSimpleName().equals(simpleName)) {
        return a;
      }
    }
    return null;
  }

  private static Object value(Annotation a, String element) {
    try {
      return a.annotationType().getMethod(element).invoke(a);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("annotation " + a + " has no " + element, e);
    }
  }

  /**
   * The words of a command; a word that was quoted, in whole or in part, starts with a NUL (so it
   * is never taken for an option).
   */
  static List<String> rawTokens(String command) {
    return split(command, true);
  }

  /** Splits a command into words, keeping quoted text together (quotes removed). */
  static List<String> tokens(String command) {
    return split(command, false);
  }

  private static List<String> split(String command, boolean markQuoted) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean any = false;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          cur.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        any = true;
      } else if (Character.isWhitespace(c)) {
        if (any || cur.length() > 0) {
          out.add(any && markQuoted ? "\u0000" + cur : cur.toString());
        }
        cur.setLength(0);
        any = false;
      } else {
        cur.append(c);
      }
    }
    if (any || cur.length() > 0) {
      out.add(any && markQuoted ? "\u0000" + cur : cur.toString());
    }
    return out;
  }
}
