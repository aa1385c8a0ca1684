package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.event;
import static io.referrals.storage.tck.Fixtures.meta;
import static io.referrals.storage.tck.Fixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.EventId;
import io.referrals.core.model.Referral;
import io.referrals.core.storage.EventRecords;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link EventRecords}. Part of {@link ReferralStoreContract}. */
public abstract class EventRecordsContract extends TimelineRecordsContract {

    EventRecordsContract() {
    }

    /** {@code e}'s metadata with another payload, as erasure writes it. */
    static ReferralEvent scrubbed(ReferralEvent e) {
        return scrubbed(e.metadata());
    }

    static ReferralEvent scrubbed(EventMetadata m) {
        return new AdvocateRegistered(m, AdvocateSummary.of(Fixtures.minimalAdvocate("adv-ev", "erased")));
    }

    @Nested
    @DisplayName("The event log (EventRecords)")
    class Events {

        @Test
        @DisplayName("the events of an unknown stream are an empty list")
        void unknown() {
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("x"))).isEmpty();
        }

        @Test
        @DisplayName("append of a known event id throws DuplicateKeyException EVENT and writes nothing")
        void eventId() {
            ReferralEvent ev = event("ev-1", "s:1", 1, T0);
            write(t -> t.events().append(ev, true, T0));
            assertDuplicate(store, UniqueKey.EVENT, t -> t.events().append(event("ev-1", "s:2", 1, T0), true, T0));
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:2"))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).extracting(OutboxEntry::event)
                    .containsExactly(ev);
        }

        @Test
        @DisplayName("append of a known stream and sequence throws DuplicateKeyException EVENT and writes nothing")
        void eventStreamSequence() {
            ReferralEvent ev = event("ev-1", "s:1", 1, T0);
            write(t -> t.events().append(ev, false, T0));
            assertDuplicate(store, UniqueKey.EVENT, t -> t.events().append(event("ev-2", "s:1", 1, T0), true, T0));
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).extracting(OutboxEntry::event)
                    .containsExactly(ev);
            assertThat(tx((StoreTransaction t) -> t.outbox().claimDue(at(60), 10, at(61)))).isEmpty();
        }

        @Test
        @DisplayName("round trip: events of every type, delivered or pending, with their delivery state")
        void roundTrip() {
            List<ReferralEvent> all = Fixtures.everyEvent("ev", "s:all");
            write(t -> all.forEach(e -> t.events().append(e, false, e.metadata().occurredAt())));
            List<OutboxEntry> back = tx(t -> t.events().ofStream("s:all"));
            assertThat(back).extracting(OutboxEntry::event).containsExactlyElementsOf(all);
            assertThat(back).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.DELIVERED);
                assertThat(e.attempts()).isZero();
                assertThat(e.lastError()).isEmpty();
            });
            List<ReferralEvent> pending = Fixtures.everyEvent("pe", "s:pending");
            write(t -> pending.forEach(e -> t.events().append(e, true, T0)));
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:pending"))).extracting(OutboxEntry::event)
                    .containsExactlyElementsOf(pending);
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:pending"))).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.nextAttemptAt()).isEqualTo(T0);
            });
        }

        @Test
        @DisplayName("ofStream lists a stream's events ordered by sequence")
        void eventsBySequence() {
            ReferralEvent e1 = event("ev-1", "s:1", 1, at(1));
            ReferralEvent e2 = event("ev-2", "s:1", 2, at(2));
            ReferralEvent e10 = event("ev-10", "s:1", 10, at(3));
            write(t -> {
                t.events().append(e10, false, T0);
                t.events().append(e1, false, T0);
                t.events().append(event("ev-x", "s:2", 1, at(1)), false, T0);
            });
            write(t -> t.events().append(e2, false, T0));
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).extracting(OutboxEntry::event)
                    .containsExactly(e1, e2, e10);
        }

        @Test
        @DisplayName("nextSequence: a new stream starts at 1 and each reservation is one more, independently per "
                + "stream")
        void countsPerStream() {
            tx(t -> {
                assertThat(t.events().nextSequence("s:a")).isEqualTo(1);
                assertThat(t.events().nextSequence("s:a")).isEqualTo(2);
                assertThat(t.events().nextSequence("s:b")).isEqualTo(1);
                return null;
            });
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence("s:a"))).isEqualTo(3);
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence("s:b"))).isEqualTo(2);
        }

        @Test
        @DisplayName("nextSequence: a rolled-back reservation is handed out again, so committed sequences have no "
                + "gaps")
        void rolledBackIsReused() {
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence("s:a"))).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> store.inTransaction(t -> {
                    assertThat(t.events().nextSequence("s:a")).isEqualTo(2);
                    assertThat(t.events().nextSequence("s:a")).isEqualTo(3);
                    throw new WorkFailed();
                })).isInstanceOf(WorkFailed.class);
            }
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence("s:a"))).isEqualTo(2);
        }

        @Test
        @DisplayName("nextSequence: a referral's stream starts at 1 with it; the transaction's reads see its writes "
                + "so far")
        void referralStreamInOneTransaction() {
            Referral seeded = seedReferral();
            Referral r = referral("ref-2", seeded.programId(), seeded.advocateId(), "key-2");
            String stream = EventStreams.of(r.id());
            write(t -> {
                t.referrals().insert(r);
                assertThat(t.events().nextSequence(stream)).isEqualTo(1);
                t.events().append(event("evt-1", stream, 1, T0), true, T0);
                assertThat(t.events().nextSequence(stream)).isEqualTo(2);
                t.events().append(event("evt-2", stream, 2, T0), true, T0);
                assertThat(t.referrals().get(r.id())).contains(r);
                assertThat(t.events().ofStream(stream)).extracting(e -> e.event().metadata().sequence())
                        .containsExactly(1L, 2L);
                assertThat(t.events().nextSequence(stream)).isEqualTo(3);
                t.events().append(event("evt-3", stream, 3, T0), true, T0);
            });
            assertThat(tx((StoreTransaction t) -> t.events().ofStream(stream)))
                    .extracting(e -> e.event().metadata().id().value()).containsExactly("evt-1", "evt-2", "evt-3");
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence(stream))).isEqualTo(4);
        }

        @Test
        @DisplayName("replace swaps a delivered event's payload for one with the same metadata; its delivery state "
                + "and place in its stream do not change")
        void replaceDelivered() {
            ReferralEvent e1 = event("ev-1", "s:1", 1, at(1));
            ReferralEvent e2 = event("ev-2", "s:1", 2, at(2));
            ReferralEvent e3 = event("ev-3", "s:1", 3, at(3));
            ReferralEvent other = event("ev-4", "s:2", 1, at(1));
            write(t -> List.of(e1, e2, e3, other).forEach(e -> t.events().append(e, false, T0)));
            List<OutboxEntry> before = tx(t -> t.events().ofStream("s:1"));

            ReferralEvent replacement = scrubbed(e2);
            assertThat(replacement).isNotEqualTo(e2);
            assertThat(tx((StoreTransaction t) -> t.events().replace(replacement))).isTrue();
            List<OutboxEntry> after = tx(t -> t.events().ofStream("s:1"));
            assertThat(after).extracting(OutboxEntry::event).containsExactly(e1, replacement, e3);
            assertThat(after.get(1)).isEqualTo(new OutboxEntry(replacement, before.get(1).status(),
                    before.get(1).attempts(), before.get(1).nextAttemptAt(), before.get(1).lastError()));
            assertThat(List.of(after.get(0), after.get(2))).containsExactly(before.get(0), before.get(2));
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:2"))).extracting(OutboxEntry::event)
                    .containsExactly(other);
            assertThat(tx((StoreTransaction t) -> t.events().replace(e2))).as("replacing again").isTrue();
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).isEqualTo(before);
        }

        @Test
        @DisplayName("replace keeps a pending or parked event's status, attempts, next attempt and last error, and "
                + "the outbox then hands out the replacement")
        void replacePending() {
            ReferralEvent failed = event("ev-1", "s:1", 1, at(1));
            ReferralEvent parked = event("ev-2", "s:2", 1, at(1));
            write(t -> {
                t.events().append(failed, true, T0);
                t.events().append(parked, true, T0);
                t.outbox().markFailed(failed.metadata().id(), "HTTP 503", at(5), false);
                t.outbox().markFailed(parked.metadata().id(), "bad payload", at(5), true);
            });
            OutboxEntry failedBefore = tx(t -> t.events().ofStream("s:1")).get(0);
            OutboxEntry parkedBefore = tx(t -> t.events().ofStream("s:2")).get(0);
            assertThat(failedBefore.attempts()).isEqualTo(1);
            assertThat(parkedBefore.status()).isEqualTo(OutboxStatus.PARKED);

            write(t -> {
                assertThat(t.events().replace(scrubbed(failed))).isTrue();
                assertThat(t.events().replace(scrubbed(parked))).isTrue();
            });
            OutboxEntry failedAfter = new OutboxEntry(scrubbed(failed), failedBefore.status(),
                    failedBefore.attempts(), failedBefore.nextAttemptAt(), failedBefore.lastError());
            OutboxEntry parkedAfter = new OutboxEntry(scrubbed(parked), parkedBefore.status(),
                    parkedBefore.attempts(), parkedBefore.nextAttemptAt(), parkedBefore.lastError());
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).containsExactly(failedAfter);
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:2"))).containsExactly(parkedAfter);
            assertThat(tx((StoreTransaction t) -> t.outbox().parked(10))).containsExactly(parkedAfter);
            assertThat(tx((StoreTransaction t) -> t.outbox().claimDue(at(4), 10, at(9)))).as("not due before")
                    .isEmpty();
            assertThat(tx((StoreTransaction t) -> t.outbox().claimDue(at(5), 10, at(9))))
                    .extracting(OutboxEntry::event).containsExactly(scrubbed(failed));
        }

        @Test
        @DisplayName("replace returns false and writes nothing for an unknown event id, even one whose stream and "
                + "sequence are stored")
        void replaceUnknown() {
            ReferralEvent e1 = event("ev-1", "s:1", 1, at(1));
            write(t -> t.events().append(e1, true, T0));
            List<OutboxEntry> before = tx(t -> t.events().ofStream("s:1"));
            assertThat(tx((StoreTransaction t) -> t.events().replace(scrubbed(meta("ev-9", "s:1", 1, at(1))))))
                    .isFalse();
            assertThat(tx((StoreTransaction t) -> t.events().replace(scrubbed(meta("ev-8", "s:8", 1, at(1))))))
                    .isFalse();
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).isEqualTo(before);
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:8"))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.outbox().claimDue(T0, 10, at(1))))
                    .extracting(e -> e.event().metadata().id()).containsExactly(EventId.of("ev-1"));
        }

        @Test
        @DisplayName("replace throws IllegalArgumentException when the stored event's stream, sequence or time "
                + "differ, and writes nothing")
        void replaceMismatch() {
            ReferralEvent e1 = event("ev-1", "s:1", 1, at(1));
            write(t -> t.events().append(e1, false, T0));
            List<OutboxEntry> before = tx(t -> t.events().ofStream("s:1"));
            List<EventMetadata> mismatches = List.of(meta("ev-1", "s:2", 1, at(1)), meta("ev-1", "s:1", 2, at(1)),
                    meta("ev-1", "s:1", 1, at(2)), meta("ev-1", "s:1", 1, at(1).plusNanos(1_000)));
            for (EventMetadata m : mismatches) {
                assertThatThrownBy(() -> tx(t -> t.events().replace(scrubbed(m)))).as("%s", m)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).isEqualTo(before);
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:2"))).isEmpty();
        }
    }
}
