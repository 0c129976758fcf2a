package org.jiesu.insights;

import static org.assertj.core.api.Assertions.assertThat;

import org.jiesu.ticket.workflow.Ticket;
import org.junit.jupiter.api.Test;

/**
 * An intake's similarCount is answered without a read only when the statement could find nothing: its street
 * branch needs district and street, its point branch latitude and longitude (SimilarAndTopicsTest covers
 * both branches through HTTP).
 */
class SimilarCountShortcutTest {

  @Test
  void aCallWithAStreetOrAPointIsCompared() {
    assertThat(SimilarTickets.comparable(new Ticket.Location("朝阳区", "望京街道", null, null, null))).isTrue();
    assertThat(SimilarTickets.comparable(new Ticket.Location(null, null, null, 39.914, 116.4))).isTrue();
    assertThat(SimilarTickets.comparable(new Ticket.Location("朝阳区", null, "某路1号", 39.914, 116.4))).isTrue();
  }

  @Test
  void aCallWithNeitherHasNoCandidate() {
    assertThat(SimilarTickets.comparable(new Ticket.Location(null, null, null, null, null))).isFalse();
    assertThat(SimilarTickets.comparable(new Ticket.Location("朝阳区", null, "某路1号", null, null))).isFalse();
    assertThat(SimilarTickets.comparable(new Ticket.Location(null, "望京街道", null, 39.914, null))).isFalse();
  }
}
