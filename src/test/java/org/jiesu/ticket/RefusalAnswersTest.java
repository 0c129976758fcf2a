package org.jiesu.ticket;

import org.jiesu.ticket.workflow.TicketState;
import static org.assertj.core.api.Assertions.assertThat;

import org.jiesu.ticket.workflow.Refusal;
import org.junit.jupiter.api.Test;

/** How the service answers the rules' refusals over HTTP. */
class RefusalAnswersTest {

  @Test
  void refusalsAnswerTheirHttpStatus() {
    assertThat(TicketService.answer(Refusal.NOT_FOUND, 1).status()).isEqualTo(404);
    assertThat(TicketService.answer(Refusal.FORBIDDEN, 1).status()).isEqualTo(403);
    assertThat(TicketService.answer(Refusal.conflict(TicketState.SIGNED), 1).status()).isEqualTo(409);
  }

  @Test
  void anInputThatBreaksAHandlingRuleIs422WithItsOwnProblemType() {
    var problem = TicketService.answer(Refusal.invalid("/until", "must be in the future"), 1);
    assertThat(problem.status()).isEqualTo(422);
    assertThat(problem.toJson().getString("type")).isEqualTo("urn:jiesu:problem:rule-violation");
    assertThat(problem.title()).isEqualTo("The request breaks a handling rule");
    assertThat(problem.errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("/until"));
  }
}
