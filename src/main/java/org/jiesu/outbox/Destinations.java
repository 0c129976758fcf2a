package org.jiesu.outbox;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhooks may go (issue: no SSRF). A URL must be https unless its host is allow-listed, and every
 * address it resolves to must be public — not loopback, link-local (cloud metadata lives there), private,
 * unique-local, CGNAT, multicast or unspecified — unless the host or the address is allow-listed. The check
 * runs at registration and again at send time on the address actually connected to, so a DNS answer that
 * changes in between (rebinding) is caught. Pure: resolution is the caller's.
 */
public final class Destinations {

  /** An allow-list entry: a host name (exact, case-insensitive) or a CIDR block. */
  public record Allowed(Optional<String> host, Optional<byte[]> network, int prefix) {

    public static Allowed parse(String entry) {
      String e = entry.trim();
      int slash = e.indexOf('/');
      if (slash > 0 || isLiteral(e)) {
        String addr = slash > 0 ? e.substring(0, slash) : e;
        try {
          byte[] bytes = InetAddress.getByName(addr).getAddress(); // a literal: no lookup happens
          int prefix = slash > 0 ? Integer.parseInt(e.substring(slash + 1)) : bytes.length * 8;
          if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("bad prefix in " + entry);
          }
          return new Allowed(Optional.empty(), Optional.of(bytes), prefix);
        } catch (UnknownHostException | NumberFormatException ex) {
          throw new IllegalArgumentException("not a host or CIDR: " + entry);
        }
      }
      return new Allowed(Optional.of(e.toLowerCase(Locale.ROOT)), Optional.empty(), 0);
    }

    boolean covers(InetAddress address) {
      if (network.isEmpty()) {
        return false;
      }
      byte[] net = network.get();
      byte[] a = address.getAddress();
      if (a.length != net.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((a[bit / 8] & mask) != (net[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    private static boolean isLiteral(String s) {
      return s.matches("[0-9.]+") || s.contains(":");
    }
  }

  private final List<Allowed> allowed;

  public Destinations(List<Allowed> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  public static Destinations parse(String commaSeparated) {
    if (commaSeparated == null || commaSeparated.isBlank()) {
      return new Destinations(List.of());
    }
    return new Destinations(java.util.Arrays.stream(commaSeparated.split(",")).filter(s -> !s.isBlank())
        .map(Allowed::parse).toList());
  }

  /** Null when the URL may be registered (before resolution), else why not. */
  public String urlProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return "is not a URL";
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getFragment() != null) {
      return "must be an absolute http(s) URL with a host, without credentials or fragment";
    }
    String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return null;
    }
    if (scheme.equals("http") && hostAllowed(uri.getHost())) {
      return null;
    }
    return "must be https (plain http only for allow-listed hosts)";
  }

  /** Null when a connection to {@code address} for {@code host} is allowed, else why not. */
  public String addressProblem(String host, InetAddress address) {
    if (hostAllowed(host) || allowed.stream().anyMatch(a -> a.covers(address))) {
      return null;
    }
    return isPublic(address) ? null : "resolves to a non-public address (" + address.getHostAddress() + ")";
  }

  private boolean hostAllowed(String host) {
    String h = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
    if (allowed.stream().anyMatch(a -> a.host().map(h::equals).orElse(false))) {
      return true;
    }
    if (Allowed.isLiteral(h)) { // an address literal is allowed by a CIDR entry that covers it
      try {
        InetAddress a = InetAddress.getByName(h); // a literal: no lookup happens
        return allowed.stream().anyMatch(entry -> entry.covers(a));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  static boolean isPublic(InetAddress a) {
    if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return !(first == 0 || first >= 240 // "this network", reserved and broadcast
          || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
          || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (first == 198 && (second == 18 || second == 19))); // benchmarking
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return false; // unique local fc00::/7
      }
      boolean mapped = true; // ::ffff:a.b.c.d carries an IPv4 address: judge that one
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        try {
          return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
        } catch (UnknownHostException e) {
          return false;
        }
      }
    }
    return true;
  }
}
