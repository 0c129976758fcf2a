package org.jiesu.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that talks to a real server: {@link ServerExtension} starts one {@link TestServer} on a
 * fresh database before the class, registers {@link #departments()}, sets the class's static
 * {@code TestServer} fields (and resolves {@code TestServer} parameters), and stops it after the class.
 * Tokens come from the server ({@link TestServer#token}, {@link TestServer#staff}). A class that moves time by
 * hand declares a static {@link MutableClock} field: the server runs on it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ServerExtension.class)
public @interface WithServer {

  /** Department codes to register before the tests run. */
  String[] departments() default {};

  /** The group the departments are ranked within. */
  String group() default "municipal";
}
