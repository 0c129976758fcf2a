package org.jiesu.open311;

import static org.assertj.core.api.Assertions.assertThat;

import org.jiesu.ticket.workflow.TicketState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PublicStatusTest {

  @ParameterizedTest
  @EnumSource(TicketState.class)
  void onlyClosedAndMergedTicketsAreClosedForTheirReporter(TicketState state) {
    boolean closed = state == TicketState.CLOSED || state == TicketState.MERGED;
    assertThat(PublicStatus.status(state)).isEqualTo(closed ? "closed" : "open");
  }
}
