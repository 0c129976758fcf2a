-- Issue 8: scorecard_round is read by period (scorecard_round_period_idx) and, by the listener, as the latest
-- round of a ticket (ticket_id, round, max(id)) through scorecard_round_ticket_idx; its primary key on id alone
-- served only the last step, the update of the row that lookup found, and was one more index every dispatch
-- wrote. The primary key is now (ticket_id, round, id): unique because id is, and the index both steps read
-- (the statements name the ticket and round along with the id). Nothing references a round.
CREATE UNIQUE INDEX scorecard_round_key ON scorecard_round (ticket_id, round, id);
ALTER TABLE scorecard_round DROP CONSTRAINT scorecard_round_pkey;
ALTER TABLE scorecard_round ADD CONSTRAINT scorecard_round_pkey PRIMARY KEY USING INDEX scorecard_round_key;
DROP INDEX scorecard_round_ticket_idx;
