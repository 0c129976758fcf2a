-- Similar tickets (issue 11): each ticket's comparison terms (Similarity.terms over title and content),
-- written at intake by insights/TermsListener, so /similar reads a short array per candidate instead of
-- reading and splitting its text. V27_2 fills it for tickets taken in before it existed. A ticket without a
-- row is still compared: its terms are then computed from its text (same function), so the table only
-- saves time and can never change an answer.
CREATE TABLE insight_ticket_terms (
    ticket_id  uuid PRIMARY KEY REFERENCES ticket(id),
    terms      text[] NOT NULL
);
