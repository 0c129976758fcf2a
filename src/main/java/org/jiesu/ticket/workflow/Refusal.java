package org.jiesu.ticket.workflow;

import static java.util.Objects.requireNonNull;


/**
 * Why an action was refused. The service turns each kind into one HTTP answer (404, 403, 409, and 422 for
 * an input that breaks a handling rule); the rules themselves know nothing of HTTP.
 */
public sealed interface Refusal {

  /** The actor may not see the ticket (or the thing inside it): 404, so its existence does not leak. */
  Refusal NOT_FOUND = new NotFound();

  /** The actor sees the ticket but may not do this: wrong role, or an assisting department acting. */
  Refusal FORBIDDEN = new Forbidden();

  /** The action is illegal in the ticket's current state (or with what is pending): 409 with the state. */
  static Refusal conflict(TicketState state) {
    return new Conflict(state, "not allowed while the ticket is " + state);
  }

  static Refusal conflict(TicketState state, String detail) {
    return new Conflict(state, detail);
  }

  /**
   * An input that breaks a handling rule, named by a JSON pointer into the request body such as
   * {@code /until}. The body matched the contract; the rule is about the ticket or the moment.
   */
  static Refusal invalid(String field, String message) {
    return new Invalid(field, message);
  }

  record NotFound() implements Refusal {}

  record Forbidden() implements Refusal {}

  record Conflict(TicketState state, String detail) implements Refusal {
    public Conflict {
      requireNonNull(state, "state");
      requireNonNull(detail, "detail");
    }
  }

  record Invalid(String field, String message) implements Refusal {
    public Invalid {
      requireNonNull(field, "field");
      requireNonNull(message, "message");
    }
  }
}
