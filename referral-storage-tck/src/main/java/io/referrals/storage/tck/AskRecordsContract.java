package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.ask;
import static io.referrals.storage.tck.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.MomentId;
import io.referrals.core.storage.AskRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link AskRecords}. Part of {@link ReferralStoreContract}. */
public abstract class AskRecordsContract extends MomentRecordsContract {

    AskRecordsContract() {
    }

    @Nested
    @DisplayName("Asks for referrals (AskRecords)")
    class Asks {
        private final ProgramId p = ProgramId.of("prog-1");
        private final ProgramId q = ProgramId.of("prog-2");
        private final AdvocateId a = AdvocateId.of("adv-1");
        private final AdvocateId b = AdvocateId.of("adv-2");

        private Ask stored(Ask k) {
            write(t -> t.asks().insert(k));
            return k;
        }

        /** The next version of {@code k}, still pending, asked by someone else. */
        private Ask reassigned(Ask k) {
            return Ask.restore(k.id(), k.programId(), k.advocateId(), "rep v" + (k.version() + 1),
                    k.trigger().orElse(null), k.askedAt(), k.status(), k.resolvedAt().orElse(null),
                    k.referralId().orElse(null), k.version() + 1);
        }

        /** The counts without zero entries, which a store may leave out or report. */
        private Map<AskStatus, Long> counts(ProgramId program, ReportPeriod period) {
            Map<AskStatus, Long> counts = new EnumMap<>(AskStatus.class);
            tx(t -> t.asks().countByStatus(program, period)).forEach((status, n) -> {
                if (n != 0) {
                    counts.put(status, n);
                }
            });
            return counts;
        }

        @Test
        @DisplayName("lookups of an unknown id, advocate or program are empty, and an unknown program has no asks "
                + "to count")
        void unknown() {
            tx(t -> {
                assertThat(t.asks().get(AskId.of("x"))).isEmpty();
                assertThat(t.asks().of(AdvocateId.of("x"), ProgramId.of("x"))).isEmpty();
                assertThat(t.asks().pending(ProgramId.of("x"), Instant.MAX, 10)).isEmpty();
                return null;
            });
            assertThat(counts(ProgramId.of("x"), ReportPeriod.ALL_TIME)).isEmpty();
        }

        @Test
        @DisplayName("round trip: pending asks with and without asker and trigger, and each outcome with its "
                + "resolution time and referral")
        void roundTrip() {
            List<Ask> all = List.of(
                    Ask.pending(AskId.of("ask-1"), p, a, "rep-\u00e9t\u00e9", MomentId.of("mom-1"),
                            at(1).plusNanos(123_000)),
                    Ask.pending(AskId.of("ask-2"), p, a, "", null, at(2)),
                    Ask.restore(AskId.of("ask-3"), p, a, "campaign-7", MomentId.of("mom-3"), at(3), AskStatus.REFERRED,
                            at(4).plusNanos(5_000), ReferralId.of("ref-3"), 2),
                    Ask.restore(AskId.of("ask-4"), p, a, "rep-1", null, at(4), AskStatus.REFERRED, at(5), null, 2),
                    Ask.restore(AskId.of("ask-5"), p, a, "rep-1", null, at(5), AskStatus.DECLINED, at(5), null, 2),
                    Ask.restore(AskId.of("ask-6"), p, a, "", MomentId.of("mom-6"), at(6), AskStatus.NO_RESPONSE,
                            at(60), null, 9));
            write(t -> all.forEach(t.asks()::insert));
            for (Ask k : all) {
                Ask back = tx(t -> t.asks().get(k.id())).orElseThrow();
                assertThat(back).isEqualTo(k);
                assertThat(back.trigger()).isEqualTo(k.trigger());
                assertThat(back.resolvedAt()).isEqualTo(k.resolvedAt());
                assertThat(back.referralId()).isEqualTo(k.referralId());
                assertThat(back.askedBy()).isEqualTo(k.askedBy());
            }
            assertThat(tx((StoreTransaction t) -> t.asks().of(a, p))).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("insert of a known id, even in another program, throws DuplicateKeyException ASK and writes "
                + "nothing")
        void askId() {
            Ask k = stored(ask("ask-1", p, a, T0));
            assertDuplicate(store, UniqueKey.ASK, t -> t.asks().insert(ask("ask-1", q, b, at(1))));
            assertThat(tx((StoreTransaction t) -> t.asks().get(k.id()))).contains(k);
            assertThat(tx((StoreTransaction t) -> t.asks().of(b, q))).isEmpty();
        }

        @Test
        @DisplayName("update writes only the version after the stored one; otherwise false and nothing written")
        void conditionalUpdate() {
            assertVersioned(ask("ask-1", p, a, T0), this::reassigned, (t, k) -> t.asks().insert(k),
                    (t, k) -> t.asks().update(k), (t, k) -> t.asks().get(k.id()));
            Ask current = tx(t -> t.asks().get(AskId.of("ask-1"))).orElseThrow();
            Ask referred = current.resolve(AskStatus.REFERRED, at(9), ReferralId.of("ref-1"));
            assertThat(tx((StoreTransaction t) -> t.asks().update(referred))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.asks().get(referred.id()))).contains(referred);
            assertThat(tx((StoreTransaction t) -> t.asks().update(current.resolve(AskStatus.DECLINED, at(9), null))))
                    .as("a stale resolution").isFalse();
            assertThat(tx((StoreTransaction t) -> t.asks().get(referred.id()))).contains(referred);
        }

        @Test
        @DisplayName("update of an unknown ask returns false and creates nothing")
        void unknownIsNotCreated() {
            Ask k = ask("ask-1", p, a, T0).resolve(AskStatus.DECLINED, at(1), null);
            assertThat(tx((StoreTransaction t) -> t.asks().update(k))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.asks().get(k.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.asks().of(a, p))).isEmpty();
        }

        @Test
        @DisplayName("of lists an advocate's asks in one program, ordered by ask time, then id")
        void ofAdvocateInProgram() {
            Ask late = stored(ask("ask-3", p, a, at(20)));
            Ask tieB = stored(ask("ask-2", p, a, T0));
            Ask tieA = stored(ask("ask-10", p, a, T0));
            Ask early = stored(ask("ask-9", p, a, at(-1)));
            stored(ask("ask-other-program", q, a, T0));
            stored(ask("ask-other-advocate", p, b, T0));
            Ask declined = tieB.resolve(AskStatus.DECLINED, at(30), null);
            write(t -> assertThat(t.asks().update(declined)).isTrue());
            assertThat(tx((StoreTransaction t) -> t.asks().of(a, p))).containsExactly(early, tieA, declined, late);
        }

        @Test
        @DisplayName("pending lists the program's PENDING asks made before askedBefore (exclusive), ordered by ask "
                + "time, then id, at most the limit")
        void pending() {
            Ask k3 = stored(ask("ask-3", p, a, at(20)));
            Ask k2 = stored(ask("ask-2", p, a, T0));
            Ask k10 = stored(ask("ask-10", p, b, T0));
            Ask kb = stored(ask("ask-b", p, b, at(5)));
            stored(ask("ask-other", q, a, T0));
            stored(ask("ask-resolved", p, a, at(1)).resolve(AskStatus.NO_RESPONSE, at(2), null));
            assertThat(tx((StoreTransaction t) -> t.asks().pending(p, at(20), 10))).containsExactly(k10, k2, kb);
            assertThat(tx((StoreTransaction t) -> t.asks().pending(p, at(21), 10))).containsExactly(k10, k2, kb, k3);
            assertThat(tx((StoreTransaction t) -> t.asks().pending(p, at(21), 2))).containsExactly(k10, k2);
            assertThat(tx((StoreTransaction t) -> t.asks().pending(p, T0, 10))).isEmpty();
            write(t -> assertThat(t.asks().update(k2.resolve(AskStatus.DECLINED, at(3), null))).isTrue());
            assertThat(tx((StoreTransaction t) -> t.asks().pending(p, at(21), 10))).containsExactly(k10, kb, k3);
        }

        @Test
        @DisplayName("countByStatus counts the program's asks made in the period [from, to) by status")
        void countByStatus() {
            Ask first = stored(ask("ask-1", p, a, T0));
            stored(ask("ask-2", p, b, at(5)));
            stored(ask("ask-3", p, a, at(10)).resolve(AskStatus.DECLINED, at(11), null));
            stored(ask("ask-4", p, b, at(10)).resolve(AskStatus.REFERRED, at(12), ReferralId.of("ref-1")));
            stored(ask("ask-5", p, a, at(20)).resolve(AskStatus.NO_RESPONSE, at(40), null));
            stored(ask("ask-6", q, a, at(5)));
            write(t -> assertThat(t.asks().update(first.resolve(AskStatus.DECLINED, at(50), null))).isTrue());
            assertThat(counts(p, ReportPeriod.ALL_TIME)).isEqualTo(Map.of(AskStatus.PENDING, 1L,
                    AskStatus.DECLINED, 2L, AskStatus.REFERRED, 1L, AskStatus.NO_RESPONSE, 1L));
            assertThat(counts(p, ReportPeriod.of(T0, at(10)))).as("from included, to excluded")
                    .isEqualTo(Map.of(AskStatus.PENDING, 1L, AskStatus.DECLINED, 1L));
            assertThat(counts(p, ReportPeriod.of(at(10), at(20))))
                    .isEqualTo(Map.of(AskStatus.DECLINED, 1L, AskStatus.REFERRED, 1L));
            assertThat(counts(q, ReportPeriod.ALL_TIME)).isEqualTo(Map.of(AskStatus.PENDING, 1L));
            assertThat(counts(p, ReportPeriod.of(at(21), at(30)))).isEmpty();
        }
    }
}
