package org.jiesu.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The listeners' rows join the intake's statement as CTEs with their parameters numbered after the intake's
 * own three and after each other, and every one is counted by the answer (a CTE that is a plain SELECT runs only
 * when something reads it). The statements themselves run in every intake of the integration tests.
 */
class IntakeStatementTest {

  @Test
  void rowsAreNumberedAfterTheIntakesParametersAndEachOther() {
    String sql = TicketRepository.intakeStatement(List.of(
        key("INSERT INTO a (x, y) SELECT ins.id, $2::int FROM ins WHERE $1::text IS NOT NULL RETURNING 1", 2, null),
        key("SELECT pg_notify('w', '')", 0, null),
        key("INSERT INTO b (x) SELECT $1::text[] FROM ins RETURNING 1", 1, null)));

    assertThat(sql).contains("$3::jsonb").doesNotContain("$7").doesNotContain("$0");
    assertThat(sql).contains(", x1 AS (\nINSERT INTO a (x, y) SELECT ins.id, $5::int FROM ins WHERE $4::text IS NOT NULL RETURNING 1\n)");
    assertThat(sql).contains(", x2 AS (\nSELECT pg_notify('w', '')\n)");
    assertThat(sql).contains(", x3 AS (\nINSERT INTO b (x) SELECT $6::text[] FROM ins RETURNING 1\n)");
    // the inserts run to completion unread; the SELECT runs only because the answer reads it
    assertThat(sql).endsWith("AS unknown, (SELECT count(*) FROM x2) AS x2");
  }

  @Test
  void aRowsAfterStatementReadsItsRowsAndIsCounted() {
    String sql = TicketRepository.intakeStatement(List.of(
        key("INSERT INTO c (x) SELECT $1::jsonb FROM ins RETURNING 1", 1, "SELECT pg_notify('c', '') FROM {rows}")));

    assertThat(sql).contains(", x1 AS (\nINSERT INTO c (x) SELECT $4::jsonb FROM ins RETURNING 1\n)"
        + ", x1a AS (\nSELECT pg_notify('c', '') FROM x1\n)");
    assertThat(sql).endsWith("AS unknown, (SELECT count(*) FROM x1a) AS x1a");
  }

  @Test
  void anActionsRowsFollowItsEventsAndReadTheActingTicketAsIns() {
    String sql = TicketRepository.changeStatement(List.of(
        key("INSERT INTO e (x, y) SELECT ins.id, $1::text FROM ins RETURNING 1", 1, null)));

    assertThat(sql).startsWith("WITH ins AS (SELECT $9::uuid AS id), ev AS (\nINSERT INTO ticket_event");
    assertThat(sql).contains(", x1 AS (\nINSERT INTO e (x, y) SELECT ins.id, $10::text FROM ins RETURNING 1\n)");
    assertThat(sql).endsWith(" SELECT (SELECT id FROM ins) AS ticket");
  }

  @Test
  void anActionThatMovesTheVersionUpdatesTheTicketAsInsAndNumbersTheEventsAfterIt() {
    String sql = TicketRepository.changeStatementWithUpdate(List.of(
        key("INSERT INTO e (x, y) SELECT ins.id, $1::text FROM ins RETURNING 1", 1, null)));

    assertThat(sql).startsWith("WITH ins AS (\nUPDATE ticket SET status = $3,");
    assertThat(sql).contains("WHERE id = $1 AND version = $2\nRETURNING id), ev AS (\nINSERT INTO ticket_event");
    assertThat(sql).contains("FROM unnest($25::uuid[], $26::int[], $27::text[], $28::timestamptz[], $29::text[],"
        + " $30::text[], $31::text[], $32::text[])");
    assertThat(sql).contains(", x1 AS (\nINSERT INTO e (x, y) SELECT ins.id, $33::text FROM ins RETURNING 1\n)");
    assertThat(sql).endsWith(" SELECT (SELECT id FROM ins) AS ticket");
  }

  @Test
  void aDataModifyingAfterNumbersTheRowsParametersAndRunsUncounted() {
    String sql = TicketRepository.changeStatement(List.of(
        key("INSERT INTO e (x) SELECT ins.id FROM ins RETURNING 1", 0, null),
        key("UPDATE f SET y = $1::text FROM ins WHERE f.t = $2::uuid RETURNING 1", 3,
            "INSERT INTO g (z) SELECT $3::int WHERE (SELECT count(*) FROM {rows}) >= 0 RETURNING 1")));

    assertThat(sql).contains(", x2 AS (\nUPDATE f SET y = $10::text FROM ins WHERE f.t = $11::uuid RETURNING 1\n)"
        + ", x2a AS (\nINSERT INTO g (z) SELECT $12::int WHERE (SELECT count(*) FROM x2) >= 0 RETURNING 1\n)");
    // it runs to completion unread, as a data-modifying CTE does; only a SELECT after is counted
    assertThat(sql).endsWith(" SELECT (SELECT id FROM ins) AS ticket");
  }

  @Test
  void theLockReadsAnExpressionTwoListenersAskForOnce() {
    TicketRepository repository = new TicketRepository(java.util.Arrays.asList(null, "(SELECT 1)", "(SELECT 2)",
        "(SELECT 1)"));
    assertThat(repository.lockStatement()).containsOnlyOnce("(SELECT 1)").containsOnlyOnce("(SELECT 2)")
        .contains("(SELECT 1) AS locked_1").contains("(SELECT 2) AS locked_2").doesNotContain("locked_0")
        .doesNotContain("locked_3");
    assertThat(repository.lockedColumns()).containsExactly(-1, 1, 2, 1);
  }

  @Test
  void aParameterBeyondTheRowsOwnIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TicketRepository.intakeStatement(List.of(
            key("INSERT INTO d (x) SELECT $2::int FROM ins RETURNING 1", 1, null))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$2");
  }

  private static String key(String sql, int params, String after) {
    return TicketRepository.key(new ChangeRows(sql, java.util.Collections.nCopies(params, (Object) "v"), after));
  }

  @Test
  void withoutRowsItIsTheIntakeAlone() {
    assertThat(TicketRepository.intakeStatement(List.of()))
        .endsWith(" FROM unknown) AS unknown")
        .doesNotContain("x1");
  }
}
