package org.jiesu.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A knowledge-base article the hotline answers consultations from. */
public record Article(UUID id, String title, String body, List<String> tags, int version, String createdBy,
    Instant createdAt, Instant updatedAt) {

  public Article {
    tags = List.copyOf(tags);
  }
}
