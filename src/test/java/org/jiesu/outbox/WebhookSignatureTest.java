package org.jiesu.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  // the example of the Standard Webhooks specification (standard-webhooks.com, "Verifying signatures")
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TS = 1614265330;
  private static final String BODY = "{\"test\": 2432232314}";

  @Test
  void matchesTheSpecificationsExample() {
    assertThat(WebhookSignature.sign(SECRET, ID, TS, BODY)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void rotationSignsWithBothSecretsAndEitherVerifies() {
    String fresh = WebhookSignature.newSecret();
    String header = WebhookSignature.header(List.of(fresh, SECRET), ID, TS, BODY);
    assertThat(header.split(" ")).hasSize(2);
    assertThat(WebhookSignature.verify(SECRET, ID, TS, BODY, header, TS, 300)).isTrue();
    assertThat(WebhookSignature.verify(fresh, ID, TS, BODY, header, TS + 299, 300)).isTrue();
  }

  @Test
  void aChangedBodyOrAStaleTimestampFails() {
    String header = WebhookSignature.sign(SECRET, ID, TS, BODY);
    assertThat(WebhookSignature.verify(SECRET, ID, TS, BODY + " ", header, TS, 300)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, ID, TS, BODY, header, TS + 301, 300)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, ID, TS, BODY, null, TS, 300)).isFalse();
  }
}
