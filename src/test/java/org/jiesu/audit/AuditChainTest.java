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

  static AuditEntry v2(long seq, String prev, Long entryId) {
    UUID ticket = new UUID(0, seq);
    String hash = AuditChain.hashV2(prev, seq, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", ticket, "{}", entryId);
    return new AuditEntry(seq, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", ticket, "{}", prev, hash, entryId, 2);
  }

  static AuditEntry v1WithEntry(long seq, String prev, long entryId) {
    AuditEntry r = row(seq, prev, "{}");
    return new AuditEntry(seq, AT, r.actorSub(), r.actorRole(), null, r.action(), r.ticketId(), "{}", prev, r.hash(),
        entryId, 1);
  }

  @Test
  void versionTwoCoversTheEntryId() {
    AuditEntry r = v2(1, AuditChain.GENESIS, 7L);
    assertThat(AuditChain.check(null, r)).isEmpty();
    AuditEntry otherEntry = new AuditEntry(1, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", r.ticketId(), "{}",
        r.prevHash(), r.hash(), 8L, 2);
    assertThat(AuditChain.check(null, otherEntry)).hasValueSatisfying(b -> assertThat(b.reason()).contains("altered"));
    AuditEntry noEntry = new AuditEntry(1, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", r.ticketId(), "{}",
        r.prevHash(), r.hash(), null, 2);
    assertThat(AuditChain.check(null, noEntry)).hasValueSatisfying(b -> assertThat(b.reason()).contains("entry_id"));
  }

  @Test
  void versionTwoKeepsAbsentAndEmptyFieldsApart() {
    assertThat(AuditChain.hashV2(AuditChain.GENESIS, 1, AT, "", "HOTLINE", null, "A", null, "{}", 1L))
        .isNotEqualTo(AuditChain.hashV2(AuditChain.GENESIS, 1, AT, null, "HOTLINE", null, "A", null, "{}", 1L));
    assertThat(AuditChain.hashV2(AuditChain.GENESIS, 1, AT, "a\nb", "C", null, "A", null, "{}", 1L))
        .isNotEqualTo(AuditChain.hashV2(AuditChain.GENESIS, 1, AT, "a", "b\nC", null, "A", null, "{}", 1L));
  }

  @Test
  void anOldChainContinuesWithTheNewVersionAndNeverGoesBack() {
    AuditEntry first = row(1, AuditChain.GENESIS, "{}");            // before entries existed
    AuditEntry second = v1WithEntry(2, first.hash(), 1);             // entries, version 1
    AuditEntry third = v2(3, second.hash(), 2L);                     // version 2
    assertThat(AuditChain.check(null, first)).isEmpty();
    assertThat(AuditChain.check(first, second)).isEmpty();
    assertThat(AuditChain.check(second, third)).isEmpty();

    // a version-1 row after a version-2 row: a row passed off as older to escape the entry check
    AuditEntry downgraded = v1WithEntry(4, third.hash(), 3);
    assertThat(AuditChain.check(third, downgraded)).hasValueSatisfying(b -> assertThat(b.reason()).contains("version"));
    // a version-1 row that lost its entry after rows had entries
    AuditEntry lost = new AuditEntry(3, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", new UUID(0, 3), "{}",
        second.hash(), row(3, second.hash(), "{}").hash(), null, 1);
    assertThat(AuditChain.check(second, lost)).hasValueSatisfying(b -> assertThat(b.reason()).contains("entry_id"));
    AuditEntry unknown = new AuditEntry(3, AT, "sub", "HOTLINE", null, "TICKET_INTAKE", new UUID(0, 3), "{}",
        second.hash(), third.hash(), 2L, 3);
    assertThat(AuditChain.check(second, unknown)).hasValueSatisfying(b -> assertThat(b.reason()).contains("unknown"));
  }
}
