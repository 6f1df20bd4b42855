package org.opentrail.auth;

import java.util.List;

/**
 * A checked policy document, ready to evaluate: its statements with their action patterns in lower
 * case and their resource patterns with the service in lower case.
 */
final class CompiledPolicy {
  /** What a set of statements says about one request. */
  enum Decision {
    ALLOW,
    DENY,
    NONE
  }

  /** One statement: Allow or Deny, for any of its actions on any of its resources. */
  record Statement(boolean allow, List<Wildcard> actions, List<Wildcard> resources) {
    boolean matches(String action, String resource) {
      return any(actions, action) && any(resources, resource);
    }

    private static boolean any(List<Wildcard> patterns, String text) {
      for (Wildcard w : patterns) {
        if (w.matches(text)) {
          return true;
        }
      }
      return false;
    }
  }

  private final List<Statement> statements;

  CompiledPolicy(List<Statement> statements) {
    this.statements = List.copyOf(statements);
  }

  List<Statement> statements() {
    return statements;
  }

  /**
   * What these policies say: DENY if any statement denies, else ALLOW if any allows, else NONE.
   *
   * @param action in lower case
   * @param resource as {@link Arns#normalize} left it
   */
  static Decision evaluate(List<CompiledPolicy> policies, String action, String resource) {
    boolean allowed = false;
    for (CompiledPolicy p : policies) {
      for (Statement s : p.statements) {
        if (s.matches(action, resource)) {
          if (!s.allow()) {
            return Decision.DENY;
          }
          allowed = true;
        }
      }
    }
    return allowed ? Decision.ALLOW : Decision.NONE;
  }
}
