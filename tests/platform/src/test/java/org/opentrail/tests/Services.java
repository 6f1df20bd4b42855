package org.opentrail.tests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Calls OpenTrail services from outside the framework. The test shares no classes with the bundles,
 * so calls go through reflection on the API interfaces loaded from the bundles.
 */
final class Services {
  private Services() {}

  /** The service registered under {@code type}, with its interface loaded from its bundle. */
  record Service(Object object, Class<?> type, ServiceReference<?> reference) {
    Object call(String method, Object... args) {
      for (Method m : type.getMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == args.length) {
          try {
            return m.invoke(object, args);
          } catch (InvocationTargetException e) {
            throw new IllegalStateException(method + " threw " + e.getCause(), e.getCause());
          } catch (IllegalAccessException | IllegalArgumentException e) {
            continue; // an overload with other parameter types
          }
        }
      }
      throw new IllegalArgumentException(
          "no " + method + "/" + args.length + " on " + type.getName());
    }

    /** Loads a class the way the service's bundle sees it (e.g. API types). */
    Class<?> load(String name) throws ClassNotFoundException {
      return reference.getBundle().loadClass(name);
    }
  }

  static Service get(BundleContext ctx, String type) throws Exception {
    ServiceReference<?>[] refs;
    try {
      refs = ctx.getAllServiceReferences(type, null);
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
    if (refs == null) {
      throw new IllegalStateException("no " + type + " service");
    }
    return new Service(ctx.getService(refs[0]), refs[0].getBundle().loadClass(type), refs[0]);
  }

  /** Calls a no-argument accessor (a record component) of an object from inside the framework. */
  static Object get(Object target, String accessor) {
    try {
      Method m = target.getClass().getMethod(accessor);
      m.setAccessible(true);
      return m.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(accessor + " of " + target.getClass(), e);
    }
  }
}
