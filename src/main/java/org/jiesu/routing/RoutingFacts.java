package org.jiesu.routing;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** What routing looks at in a new ticket; nothing personal (the caller's address is not needed). */
public record RoutingFacts(String category, Optional<String> district, Optional<String> street, String type,
    String title, String content) {

  public RoutingFacts {
    requireNonNull(category, "category");
    district = district == null ? Optional.empty() : district;
    street = street == null ? Optional.empty() : street;
    requireNonNull(type, "type");
    title = title == null ? "" : title;
    content = content == null ? "" : content;
  }
}
