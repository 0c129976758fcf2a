package org.jiesu.ticket.workflow;

import static java.util.Objects.requireNonNull;

import org.jiesu.ticket.TicketState;

/**
 * Why an action was refused. The kinds map one to one onto HTTP answers (DESIGN §7, §9), which the one
 * failure handler writes as problem+json; the rules themselves know nothing of HTTP.
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

  /** A bad input field, named by a JSON pointer into the request body such as {@code /until}. */
  static Refusal invalid(String field, String message) {
    return new Invalid(field, message);
  }

  /** The HTTP status this refusal answers with. */
  int status();

  record NotFound() implements Refusal {
    @Override
    public int status() {
      return 404;
    }
  }

  record Forbidden() implements Refusal {
    @Override
    public int status() {
      return 403;
    }
  }

  record Conflict(TicketState state, String detail) implements Refusal {
    public Conflict {
      requireNonNull(state, "state");
      requireNonNull(detail, "detail");
    }

    @Override
    public int status() {
      return 409;
    }
  }

  record Invalid(String field, String message) implements Refusal {
    public Invalid {
      requireNonNull(field, "field");
      requireNonNull(message, "message");
    }

    @Override
    public int status() {
      return 400;
    }
  }
}
