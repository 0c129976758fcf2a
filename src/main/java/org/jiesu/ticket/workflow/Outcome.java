package org.jiesu.ticket.workflow;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** What an action did: refused with a reason, or changed the ticket and produced timeline events. */
public sealed interface Outcome {

  record Refused(Refusal cause) implements Outcome {
    public Refused {
      requireNonNull(cause, "cause");
    }
  }

  /**
   * The ticket after the action and the events to write with it, in order, in the same transaction.
   * {@code after} may equal the ticket before (a note changes only the timeline).
   */
  record Changed(Handling after, List<TicketEvent> events) implements Outcome {
    public Changed {
      requireNonNull(after, "after");
      events = List.copyOf(events);
      if (events.isEmpty()) {
        // every transition is an event in the timeline (DESIGN §2): a silent change is a bug
        throw new IllegalArgumentException("a change without an event");
      }
    }
  }

  static Outcome refused(Refusal cause) {
    return new Refused(cause);
  }

  static Outcome changed(Handling after, List<TicketEvent> events) {
    return new Changed(after, events);
  }

  default Optional<Refusal> refusal() {
    return this instanceof Refused r ? Optional.of(r.cause()) : Optional.empty();
  }

  /** The change, or an IllegalStateException naming the refusal. */
  default Changed orElseThrow() {
    if (this instanceof Changed c) {
      return c;
    }
    throw new IllegalStateException("refused: " + ((Refused) this).cause());
  }
}
