package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.ask;
import static io.referrals.storage.tck.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.moments.MomentKind;
import io.referrals.core.storage.MomentRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link MomentRecords}. Part of {@link ReferralStoreContract}. */
public abstract class MomentRecordsContract extends CounterRecordsContract {

    MomentRecordsContract() {
    }

    @Nested
    @DisplayName("Moments of delight (MomentRecords)")
    class Moments {
        private final ProgramId p = ProgramId.of("prog-1");
        private final ProgramId q = ProgramId.of("prog-2");

        /** Stores an advocate enrolled in {@code programs}. */
        private AdvocateId advocate(String id, boolean optedOut, ProgramId... programs) {
            AdvocateId a = AdvocateId.of(id);
            write(t -> {
                t.advocates().insert(new Advocate(a, "ext-" + id, "Advocate " + id, "", AdvocateKind.CUSTOMER, "",
                        "", "", Set.of(), Map.of(), optedOut, T0, 1));
                for (ProgramId program : programs) {
                    t.advocates().insertEnrolment(new Enrolment(a, program, T0));
                }
            });
            return a;
        }

        private Moment moment(String id, AdvocateId a, Instant at) {
            Moment m = Fixtures.moment(id, a, MomentKind.GO_LIVE, at);
            write(t -> t.moments().insert(m));
            return m;
        }

        private Ask asked(String id, ProgramId program, AdvocateId a, Instant at, AskStatus outcome,
                Instant resolvedAt) {
            Ask k = ask(id, program, a, at);
            Ask stored = outcome == AskStatus.PENDING ? k : k.resolve(outcome, resolvedAt, null);
            write(t -> t.asks().insert(stored));
            return stored;
        }

        private List<Moment> forAsking(ProgramId program, Instant occurredSince, Instant askedSince) {
            return tx(t -> t.moments().forAsking(program, occurredSince, askedSince));
        }

        @Test
        @DisplayName("lookups of an unknown id, advocate or program are empty")
        void unknown() {
            tx(t -> {
                assertThat(t.moments().get(MomentId.of("x"))).isEmpty();
                assertThat(t.moments().ofAdvocate(AdvocateId.of("x"))).isEmpty();
                assertThat(t.moments().forAsking(ProgramId.of("x"), Instant.EPOCH, Instant.EPOCH)).isEmpty();
                return null;
            });
        }

        @Test
        @DisplayName("round trip: moments of every kind, NPS answers with their score, notes empty, long and beyond "
                + "ASCII")
        void roundTrip() {
            AdvocateId a = AdvocateId.of("adv-1");
            List<Moment> all = new ArrayList<>();
            int i = 0;
            for (MomentKind kind : MomentKind.values()) {
                if (kind != MomentKind.NPS_ANSWER) {
                    i++;
                    all.add(Moment.of(MomentId.of("mom-" + i), a, kind, at(i).plusNanos(123_000),
                            i % 2 == 0 ? "" : "Z\u00f6e's team went live \u2014 \u5c71\u7530 " + i));
                }
            }
            for (int score : new int[] {0, 7, 10}) {
                i++;
                all.add(Moment.nps(MomentId.of("mom-" + i), a, score, at(i), score == 7 ? "x".repeat(1000) : ""));
            }
            write(t -> all.forEach(t.moments()::insert));
            for (Moment m : all) {
                Moment back = tx(t -> t.moments().get(m.id())).orElseThrow();
                assertThat(back).isEqualTo(m);
                assertThat(back.npsScore()).isEqualTo(m.npsScore());
                assertThat(back.note()).isEqualTo(m.note());
            }
            assertThat(tx((StoreTransaction t) -> t.moments().ofAdvocate(a))).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("insert of a known id, even for another advocate, throws DuplicateKeyException MOMENT and "
                + "writes nothing")
        void momentId() {
            AdvocateId a = AdvocateId.of("adv-1");
            Moment m = moment("mom-1", a, T0);
            assertDuplicate(store, UniqueKey.MOMENT,
                    t -> t.moments().insert(Fixtures.moment("mom-1", a, MomentKind.RENEWAL, at(1))));
            assertDuplicate(store, UniqueKey.MOMENT, t -> t.moments().insert(
                    Moment.nps(MomentId.of("mom-1"), AdvocateId.of("adv-2"), 9, at(2), "")));
            assertThat(tx((StoreTransaction t) -> t.moments().get(m.id()))).contains(m);
            assertThat(tx((StoreTransaction t) -> t.moments().ofAdvocate(a))).containsExactly(m);
            assertThat(tx((StoreTransaction t) -> t.moments().ofAdvocate(AdvocateId.of("adv-2")))).isEmpty();
        }

        @Test
        @DisplayName("ofAdvocate lists an advocate's moments ordered by occurrence time, then id, and no one else's")
        void ofAdvocate() {
            AdvocateId a = AdvocateId.of("adv-1");
            Moment late = moment("mom-3", a, at(60));
            Moment tieB = moment("mom-2", a, T0);
            Moment tieA = moment("mom-10", a, T0);
            Moment early = moment("mom-9", a, at(-1));
            moment("mom-other", AdvocateId.of("adv-2"), T0);
            assertThat(tx((StoreTransaction t) -> t.moments().ofAdvocate(a))).containsExactly(early, tieA, tieB, late);
        }

        @Test
        @DisplayName("forAsking: moments at or after occurredSince, of advocates enrolled in the program; earlier "
                + "moments and advocates enrolled elsewhere or nowhere are left out")
        void forAskingWindowAndEnrolment() {
            Instant since = T0;
            AdvocateId ready = advocate("a-ready", false, p);
            AdvocateId both = advocate("a-both", false, p, q);
            AdvocateId elsewhere = advocate("a-elsewhere", false, q);
            AdvocateId nowhere = advocate("a-nowhere", false);
            moment("m-r-old", ready, since.minusNanos(1_000));
            Moment atSince = moment("m-r-at", ready, since);
            Moment late = moment("m-r-late", ready, at(5));
            Moment ofBoth = moment("m-b", both, at(1));
            Moment ofElsewhere = moment("m-e", elsewhere, at(1));
            moment("m-n", nowhere, at(1));
            Instant askedSince = at(-1000);
            assertThat(forAsking(p, since, askedSince)).containsExactly(ofBoth, atSince, late);
            assertThat(forAsking(q, since, askedSince)).containsExactly(ofBoth, ofElsewhere);
            assertThat(forAsking(p, at(6), askedSince)).isEmpty();
        }

        @Test
        @DisplayName("forAsking leaves out advocates who opted out, also by an update after their moment")
        void forAskingOptedOut() {
            AdvocateId in = advocate("a-in", false, p);
            AdvocateId out = advocate("a-out", true, p);
            AdvocateId later = advocate("a-later", false, p);
            Moment ofIn = moment("m-in", in, at(1));
            moment("m-out", out, at(1));
            Moment ofLater = moment("m-later", later, at(1));
            assertThat(forAsking(p, T0, at(-1000))).containsExactly(ofIn, ofLater);
            Advocate stored = tx(t -> t.advocates().get(later)).orElseThrow();
            write(t -> assertThat(t.advocates().update(stored.optOut())).isTrue());
            assertThat(forAsking(p, T0, at(-1000))).containsExactly(ofIn);
        }

        @Test
        @DisplayName("forAsking leaves out advocates with a PENDING ask in the program, however old; one in another "
                + "program does not count, and resolving the ask brings the advocate back")
        void forAskingPendingAsk() {
            Instant askedSince = at(-600);
            AdvocateId pending = advocate("a-pending", false, p);
            AdvocateId other = advocate("a-other", false, p, q);
            AdvocateId free = advocate("a-free", false, p);
            Ask old = asked("k-old", p, pending, T0.minus(Duration.ofDays(365)), AskStatus.PENDING, null);
            asked("k-other", q, other, T0, AskStatus.PENDING, null);
            Moment ofPending = moment("m-p", pending, at(1));
            Moment ofOther = moment("m-o", other, at(1));
            Moment ofFree = moment("m-f", free, at(1));
            assertThat(forAsking(p, T0, askedSince)).containsExactly(ofFree, ofOther);
            write(t -> assertThat(t.asks().update(old.resolve(AskStatus.NO_RESPONSE, at(-700), null))).isTrue());
            assertThat(forAsking(p, T0, askedSince)).containsExactly(ofFree, ofOther, ofPending);
            assertThat(forAsking(q, T0, askedSince)).as("the pending ask in the other program").isEmpty();
        }

        @Test
        @DisplayName("forAsking leaves out advocates with an ask in the program made at or after askedSince, "
                + "whatever its outcome; resolved asks made before it, or in another program, do not count")
        void forAskingRecentAsk() {
            Instant askedSince = at(-600);
            AdvocateId recent = advocate("a-recent", false, p);
            AdvocateId referred = advocate("a-referred", false, p);
            AdvocateId longAgo = advocate("a-long-ago", false, p);
            AdvocateId elsewhere = advocate("a-elsewhere", false, p, q);
            asked("k-recent", p, recent, askedSince, AskStatus.NO_RESPONSE, T0);
            write(t -> t.asks().insert(ask("k-referred", p, referred, at(-10))
                    .resolve(AskStatus.REFERRED, at(-5), ReferralId.of("ref-1"))));
            asked("k-long-ago", p, longAgo, askedSince.minusNanos(1_000), AskStatus.DECLINED, askedSince);
            asked("k-elsewhere", q, elsewhere, T0, AskStatus.DECLINED, at(1));
            moment("m-recent", recent, at(1));
            moment("m-referred", referred, at(1));
            Moment ofLongAgo = moment("m-long-ago", longAgo, at(1));
            Moment ofElsewhere = moment("m-elsewhere", elsewhere, at(1));
            assertThat(forAsking(p, T0, askedSince)).containsExactly(ofElsewhere, ofLongAgo);
            assertThat(forAsking(p, T0, at(-10))).as("a later cut-off")
                    .extracting(m -> m.advocateId().value()).containsExactly("a-elsewhere", "a-long-ago", "a-recent");
        }

        @Test
        @DisplayName("forAsking orders by advocate id (String.compareTo), then occurrence time, then moment id")
        void forAskingOrder() {
            AdvocateId a2 = advocate("a-2", false, p);
            AdvocateId a10 = advocate("a-10", false, p);
            AdvocateId upper = advocate("A-3", false, p);
            AdvocateId b1 = advocate("b-1", false, p);
            Moment z = moment("m-z", a2, at(1));
            Moment a = moment("m-a", a2, at(5));
            Moment tieB = moment("m-2", a10, at(3));
            Moment tieA = moment("m-10", a10, at(3));
            Moment x = moment("m-x", upper, at(9));
            Moment y = moment("m-y", b1, T0);
            assertThat(forAsking(p, T0, at(-1000))).containsExactly(x, tieA, tieB, z, a, y);
        }
    }
}
