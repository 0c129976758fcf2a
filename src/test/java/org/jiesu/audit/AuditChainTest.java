package org.jiesu.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  static final Instant AT = Instant.parse("2026-11-25T08:00:00.123456Z");

  static AuditEntry row(long seq, String prev, String detail) {
    UUID ticket = new UUID(0, seq);
    String hash = AuditChain.hash(prev, seq, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", ticket, detail);
    return new AuditEntry(seq, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", ticket, detail, prev, hash);
  }

  @Test
  void aChainedSequenceChecksOut() {
    AuditEntry first = row(1, AuditChain.GENESIS, "{}");
    AuditEntry second = row(2, first.hash(), "{\"a\":1}");
    assertThat(AuditChain.check(null, first)).isEmpty();
    assertThat(AuditChain.check(first, second)).isEmpty();
  }

  @Test
  void everyFieldIsCoveredByTheHash() {
    AuditEntry r = row(1, AuditChain.GENESIS, "{}");
    String base = r.hash();
    assertThat(AuditChain.hash(r.prevHash(), 1, AT.plusNanos(1000), "sub", "HOTLINE", null, "TICKET_INTAKE", r.ticketId(), "{}")).isNotEqualTo(base);
    assertThat(AuditChain.hash(r.prevHash(), 1, AT, "other", "HOTLINE", null, "TICKET_INTAKE", r.ticketId(), "{}")).isNotEqualTo(base);
    assertThat(AuditChain.hash(r.prevHash(), 1, AT, "sub", "STAFF", null, "TICKET_INTAKE", r.ticketId(), "{}")).isNotEqualTo(base);
    assertThat(AuditChain.hash(r.prevHash(), 1, AT, "sub", "HOTLINE", "D", "TICKET_INTAKE", r.ticketId(), "{}")).isNotEqualTo(base);
    assertThat(AuditChain.hash(r.prevHash(), 1, AT, "sub", "HOTLINE", null, "READ", r.ticketId(), "{}")).isNotEqualTo(base);
    assertThat(AuditChain.hash(r.prevHash(), 1, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", null, "{}")).isNotEqualTo(base);
    assertThat(AuditChain.hash(r.prevHash(), 1, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", r.ticketId(), "{ }")).isNotEqualTo(base);
    assertThat(AuditChain.hash("1".repeat(64), 1, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", r.ticketId(), "{}")).isNotEqualTo(base);
  }

  @Test
  void alteredMissingAndRelinkedRowsAreNamed() {
    AuditEntry first = row(1, AuditChain.GENESIS, "{}");
    AuditEntry second = row(2, first.hash(), "{}");
    AuditEntry third = row(3, second.hash(), "{}");
    AuditEntry altered = new AuditEntry(2, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", second.ticketId(), "{\"x\":1}",
        second.prevHash(), second.hash());

    assertThat(AuditChain.check(first, altered)).hasValueSatisfying(b -> assertThat(b.reason()).contains("altered"));
    assertThat(AuditChain.check(first, third)).hasValueSatisfying(b -> assertThat(b.reason()).contains("missing"));
    AuditEntry relinked = row(3, "f".repeat(64), "{}");
    assertThat(AuditChain.check(second, relinked)).hasValueSatisfying(b -> assertThat(b.reason()).contains("prev_hash"));
  }
}
