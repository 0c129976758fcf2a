package org.jiesu.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token spellings refused before any signature check, without a server. */
class TokenFormTest {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private static String token(String headerJson, byte[] signature) {
    return B64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
        + B64.encodeToString("{\"sub\":\"x\"}".getBytes(StandardCharsets.UTF_8)) + "." + B64.encodeToString(signature);
  }

  @Test
  void anRs256SignatureMustBeExactlyAsLongAsTheModulus() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
    byte[] n = key.getModulus().toByteArray(); // with a leading sign byte
    JsonObject jwk = new JsonObject().put("kty", "RSA").put("kid", "rsa-1").put("alg", "RS256")
        .put("n", B64.encodeToString(new BigInteger(1, n).toByteArray()))
        .put("e", B64.encodeToString(key.getPublicExponent().toByteArray()));
    TokenForm form = new TokenForm(List.of(jwk));
    String header = "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}";

    assertThat(form.refusal(token(header, new byte[256]))).isEmpty();
    assertThat(form.refusal(token(header, new byte[255]))).isPresent();
    assertThat(form.refusal(token(header, new byte[257]))).isPresent();
    assertThat(form.refusal(token("{\"alg\":\"RS256\"}", new byte[256]))).isEmpty();
    assertThat(form.refusal(token("{\"alg\":\"RS256\"}", new byte[512]))).isPresent();
  }

  @Test
  void es256CritAndNonCanonicalBase64AreRefused() {
    TokenForm form = new TokenForm(List.of());
    assertThat(form.refusal(token("{\"alg\":\"ES256\"}", new byte[64]))).isEmpty();
    assertThat(form.refusal(token("{\"alg\":\"ES256\"}", new byte[65]))).isPresent();
    assertThat(form.refusal(token("{\"alg\":\"ES256\"}", new byte[72]))).isPresent();
    assertThat(form.refusal(token("{\"alg\":\"ES256\",\"crit\":[\"b64\"],\"b64\":false}", new byte[64]))).isPresent();
    assertThat(form.refusal(token("{\"alg\":\"ES256\"}", new byte[64]) + "=")).isPresent();
    assertThat(form.refusal("a.b")).isPresent();
  }
}
