package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.TimelineRecords;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link TimelineRecords}. Part of {@link ReferralStoreContract}. */
public abstract class TimelineRecordsContract extends ReferralRecordsContract {

    TimelineRecordsContract() {
    }

    @Nested
    @DisplayName("Referral timelines (TimelineRecords)")
    class Timelines {

        @Test
        @DisplayName("latest returns the highest-sequence entry of each referral asked for that has one, nothing for "
                + "the others, and refuses more than MAX_LATEST referrals")
        void latest() {
            ReferralId a = ReferralId.of("ref-1");
            ReferralId b = ReferralId.of("ref-2");
            TimelineEntry a1 = entry(a, 1, Stage.SUBMITTED, Stage.CONTACTED);
            TimelineEntry a2 = entry(a, 2, Stage.CONTACTED, Stage.QUALIFIED);
            TimelineEntry a3 = entry(a, 3, Stage.QUALIFIED, Stage.LOST);
            TimelineEntry b1 = entry(b, 1, Stage.SUBMITTED, Stage.WON);
            TimelineEntry other = entry(ReferralId.of("ref-3"), 1, Stage.SUBMITTED, Stage.REJECTED);
            write(t -> t.timelines().appendAll(List.of(a1, a2, b1, other)));
            write(t -> t.timelines().append(a3));

            assertThat(tx((StoreTransaction t) -> t.timelines().latest(List.of(a, b, ReferralId.of("ref-none")))))
                    .isEqualTo(Map.of(a, a3, b, b1));
            assertThat(tx((StoreTransaction t) -> t.timelines().latest(List.of()))).isEmpty();
            List<ReferralId> tooMany = IntStream.rangeClosed(0, TimelineRecords.MAX_LATEST)
                    .mapToObj(i -> ReferralId.of("ref-x" + i)).toList();
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.timelines().latest(tooMany)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("the timeline of an unknown referral is an empty list")
        void unknown() {
            assertThat(tx((StoreTransaction t) -> t.timelines().of(ReferralId.of("x")))).isEmpty();
        }

        @Test
        @DisplayName("append of a known referral and sequence throws DuplicateKeyException TIMELINE_ENTRY and "
                + "writes nothing; other referrals may use the sequence")
        void timelineEntry() {
            Referral r = seedReferral();
            TimelineEntry first = entry(r.id(), 1, Stage.SUBMITTED, Stage.CONTACTED);
            write(t -> t.timelines().append(first));
            assertDuplicate(store, UniqueKey.TIMELINE_ENTRY,
                    t -> t.timelines().append(entry(r.id(), 1, Stage.SUBMITTED, Stage.LOST)));
            assertThat(tx((StoreTransaction t) -> t.timelines().of(r.id()))).containsExactly(first);
            TimelineEntry otherReferral = entry(ReferralId.of("ref-9"), 1, Stage.SUBMITTED, Stage.LOST);
            write(t -> t.timelines().append(otherReferral));
            assertThat(tx((StoreTransaction t) -> t.timelines().of(ReferralId.of("ref-9"))))
                    .containsExactly(otherReferral);
        }

        @Test
        @DisplayName("round trip: every cause kind, reasons and external references")
        void roundTrip() {
            ReferralId r = ReferralId.of("ref-1");
            List<TimelineEntry> all = new ArrayList<>();
            int seq = 0;
            for (TransitionCause.Kind kind : TransitionCause.Kind.values()) {
                seq++;
                all.add(new TimelineEntry(r, seq, Stage.of("s" + seq), Stage.of("s" + (seq + 1)), at(seq),
                        new TransitionCause(kind, seq % 2 == 0 ? "" : "actor-" + seq),
                        seq % 2 == 0 ? "" : "Demo held \u2713", seq % 2 == 0 ? "" : "006Dn00000" + seq));
            }
            write(t -> all.forEach(t.timelines()::append));
            assertThat(tx((StoreTransaction t) -> t.timelines().of(r))).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("round trip: every entry kind, a reopening of a lost referral included, by append and appendAll")
        void kindsRoundTrip() {
            ReferralId r = ReferralId.of("ref-1");
            TimelineEntry lost = entry(r, 1, Stage.of("working"), Stage.of("dropped"));
            TimelineEntry reopened = new TimelineEntry(r, 2, Stage.of("dropped"), Stage.of("working"), at(2),
                    TransitionCause.rep("rep-7"), "Back in talks", "006Dn000004XyZ", TimelineEntry.Kind.REOPENED);
            TimelineEntry lostAgain = entry(r, 3, Stage.of("working"), Stage.of("dropped"));
            TimelineEntry reopenedAgain = new TimelineEntry(r, 4, Stage.of("dropped"), Stage.of("waiting"), at(4),
                    TransitionCause.crm("salesforce"), "", "", TimelineEntry.Kind.REOPENED);
            write(t -> {
                t.timelines().append(lost);
                t.timelines().append(reopened);
            });
            write(t -> t.timelines().appendAll(List.of(lostAgain, reopenedAgain)));

            List<TimelineEntry> back = tx((StoreTransaction t) -> t.timelines().of(r));
            assertThat(back).containsExactly(lost, reopened, lostAgain, reopenedAgain);
            assertThat(back).extracting(TimelineEntry::kind).containsExactly(TimelineEntry.Kind.MOVED,
                    TimelineEntry.Kind.REOPENED, TimelineEntry.Kind.MOVED, TimelineEntry.Kind.REOPENED);
        }

        @Test
        @DisplayName("of lists a timeline ordered by sequence, whatever the order of appends")
        void timelineBySequence() {
            ReferralId r = ReferralId.of("ref-1");
            TimelineEntry e1 = entry(r, 1, Stage.SUBMITTED, Stage.CONTACTED);
            TimelineEntry e2 = entry(r, 2, Stage.CONTACTED, Stage.QUALIFIED);
            TimelineEntry e3 = entry(r, 3, Stage.QUALIFIED, Stage.WON);
            write(t -> {
                t.timelines().append(e2);
                t.timelines().append(e3);
            });
            write(t -> t.timelines().append(e1));
            write(t -> t.timelines().append(entry(ReferralId.of("ref-2"), 1, Stage.SUBMITTED, Stage.LOST)));
            assertThat(tx((StoreTransaction t) -> t.timelines().of(r))).containsExactly(e1, e2, e3);
        }

        @Test
        @DisplayName("appendAll appends every entry of the list, of several referrals, each equal to the one written")
        void appendAll() {
            List<TimelineEntry> batch = new ArrayList<>();
            for (int seq = 12; seq >= 1; seq--) {
                batch.add(entry(ReferralId.of("ref-" + seq % 3), seq, Stage.of("s" + seq), Stage.of("s" + (seq + 1))));
            }
            write(t -> t.timelines().appendAll(batch));
            for (int r = 0; r < 3; r++) {
                ReferralId id = ReferralId.of("ref-" + r);
                assertThat(tx((StoreTransaction t) -> t.timelines().of(id))).containsExactlyElementsOf(batch.stream()
                        .filter(e -> e.referralId().equals(id)).sorted((a, b) -> a.sequence() - b.sequence())
                        .toList());
            }
            write(t -> t.timelines().appendAll(List.of()));
            assertThat(tx((StoreTransaction t) -> t.timelines().of(ReferralId.of("ref-0")))).hasSize(4);
        }

        @Test
        @DisplayName("appendAll with a clash, with a stored entry or within the list, throws DuplicateKeyException "
                + "TIMELINE_ENTRY, and none of the list stays")
        void appendAllClash() {
            ReferralId r = ReferralId.of("ref-1");
            TimelineEntry first = entry(r, 1, Stage.SUBMITTED, Stage.CONTACTED);
            write(t -> t.timelines().append(first));
            TimelineEntry second = entry(r, 2, Stage.CONTACTED, Stage.QUALIFIED);
            assertDuplicate(store, UniqueKey.TIMELINE_ENTRY, t -> t.timelines().appendAll(List.of(second,
                    entry(r, 1, Stage.SUBMITTED, Stage.LOST))));
            assertDuplicate(store, UniqueKey.TIMELINE_ENTRY, t -> t.timelines().appendAll(List.of(second,
                    entry(r, 2, Stage.CONTACTED, Stage.LOST))));
            assertThat(tx((StoreTransaction t) -> t.timelines().of(r))).containsExactly(first);
        }
    }
}
