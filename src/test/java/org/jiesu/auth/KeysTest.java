package org.jiesu.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jiesu.platform.Config;
import org.junit.jupiter.api.Test;

class KeysTest {

  @Test
  void developmentKeysAreMadeOnceAndKeptAsPkcs8AndJwks() throws Exception {
    Path folder = Files.createTempDirectory("keys");
    Path jwks = Keys.ensureDevKeys(folder);
    String pem = Files.readString(folder.resolve(Keys.DEV_PRIVATE_KEY));
    String jwksText = Files.readString(jwks);

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Keys.readJwks(jwks)).hasSize(1).first()
        .satisfies(k -> {
          assertThat(k.getString("kty")).isEqualTo("EC");
          assertThat(k.getString("crv")).isEqualTo("P-256");
          assertThat(k.containsKey("d")).isFalse();
        });
    Keys.ensureDevKeys(folder);
    assertThat(Files.readString(folder.resolve(Keys.DEV_PRIVATE_KEY))).isEqualTo(pem);
    assertThat(Files.readString(jwks)).isEqualTo(jwksText);
  }

  @Test
  void aJwksWithAPrivateKeyOrNoKeysIsRefused() throws Exception {
    Path file = Files.createTempFile("jwks", ".json");
    Files.writeString(file, "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"a\",\"y\":\"b\",\"d\":\"secret\"}]}");
    assertThatThrownBy(() -> Keys.readJwks(file)).hasMessageContaining("private key");
    Files.writeString(file, "{\"keys\":[]}");
    assertThatThrownBy(() -> Keys.readJwks(file)).hasMessageContaining("no keys");
  }

  @Test
  void outsideDevelopmentModeTheServerRefusesToStartWithoutAKey() {
    Config config = Config.from(Map.of("JIESU_DB_URL", "postgresql://u:p@localhost:5432/db"));
    assertThat(config.devMode()).isFalse();
    assertThatThrownBy(() -> org.jiesu.Server.start(config, java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("JIESU_JWT_JWKS");
  }

  @Test
  void withNothingConfiguredItIsDevelopmentMode() {
    assertThat(Config.from(Map.of()).devMode()).isTrue();
    assertThat(Config.from(Map.of("JIESU_JWT_JWKS", "/k.json")).devMode()).isFalse();
  }
}
