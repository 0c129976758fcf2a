package org.jiesu.support;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Clock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The server of a {@link WithServer} class: one per class, on a fresh database, closed after it. */
public final class ServerExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> type = context.getRequiredTestClass();
    WithServer settings = type.getAnnotation(WithServer.class);
    TestServer server = TestServer.start(TestDatabase.fresh(), clock(type));
    context.getStore(NAMESPACE).put(type, server);
    if (settings != null) {
      for (String code : settings.departments()) {
        server.department(code, settings.group());
      }
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (field.getType() == TestServer.class && Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          field.set(null, server);
        }
      }
    }
  }

  /** The server's clock: the class's static {@link Clock} field (a {@link MutableClock}), else the system's. */
  private static Clock clock(Class<?> type) throws IllegalAccessException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Clock.class.isAssignableFrom(field.getType()) && Modifier.isStatic(field.getModifiers())) {
          field.setAccessible(true);
          if (field.get(null) != null) {
            return (Clock) field.get(null);
          }
        }
      }
    }
    return Clock.systemUTC();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestServer server = context.getStore(NAMESPACE).remove(context.getRequiredTestClass(), TestServer.class);
    if (server != null) {
      server.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(context.getRequiredTestClass(), TestServer.class);
  }
}
