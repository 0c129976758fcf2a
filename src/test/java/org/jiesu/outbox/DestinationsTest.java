package org.jiesu.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DestinationsTest {

  private static final Destinations NONE = Destinations.parse("");

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
      "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
  void privateLoopbackLinkLocalAndMetadataAddressesAreRefused(String literal) throws Exception {
    assertThat(NONE.addressProblem("hooks.example.gov.cn", InetAddress.getByName(literal))).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"8.8.8.8", "203.119.24.1", "2400:3200::1"})
  void publicAddressesAreAllowed(String literal) throws Exception {
    assertThat(NONE.addressProblem("hooks.example.gov.cn", InetAddress.getByName(literal))).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://hooks.example.gov.cn/12345|true",
      "http://hooks.example.gov.cn/12345|false",
      "ftp://hooks.example.gov.cn/|false",
      "https://user:pw@hooks.example.gov.cn/|false",
      "/relative|false",
      "http://localhost:9000/hook|true"})
  void urlsMustBeHttpsUnlessTheHostIsAllowListed(String url, boolean ok) {
    Destinations d = Destinations.parse("localhost, 127.0.0.0/8");
    assertThat(d.urlProblem(url) == null).as(url).isEqualTo(ok);
  }

  @Test
  void allowListedHostsAndCidrsMayBePrivate() throws Exception {
    Destinations d = Destinations.parse("platform.internal,10.20.0.0/16");
    assertThat(d.addressProblem("platform.internal", InetAddress.getByName("10.9.9.9"))).isNull();
    assertThat(d.addressProblem("other.internal", InetAddress.getByName("10.20.3.4"))).isNull();
    assertThat(d.addressProblem("other.internal", InetAddress.getByName("10.21.3.4"))).isNotNull();
  }
}
