package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.EventId;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxRecords;
import io.referrals.core.storage.OutboxStatistics;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.StoreTransaction;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link OutboxRecords}. Part of {@link ReferralStoreContract}. */
public abstract class OutboxRecordsContract extends EventRecordsContract {

    OutboxRecordsContract() {
    }

    @Nested
    @DisplayName("The outbox (OutboxRecords)")
    class Outbox {

        @Test
        @DisplayName("with no events, nothing is claimed or parked, and markDelivered, markFailed and requeue of an "
                + "unknown id return false")
        void unknown() {
            tx(t -> {
                assertThat(t.outbox().claimDue(Instant.MAX, 10, Instant.MAX)).isEmpty();
                assertThat(t.outbox().parked(10)).isEmpty();
                assertThat(t.outbox().markDelivered(EventId.of("x"))).isFalse();
                assertThat(t.outbox().markFailed(EventId.of("x"), "e", T0, false)).isFalse();
                assertThat(t.outbox().requeue(EventId.of("x"), T0)).isFalse();
                assertThat(t.outbox().release(EventId.of("x"), T0)).isFalse();
                return null;
            });
        }

        private ReferralEvent append(String id, String stream, long seq, boolean pending, Instant due) {
            ReferralEvent e = event(id, stream, seq, at(seq));
            write(t -> t.events().append(e, pending, due));
            return e;
        }

        private List<String> claim(Instant now, int limit, Instant lease) {
            return tx(t -> t.outbox().claimDue(now, limit, lease)).stream()
                    .map(e -> e.event().metadata().id().value()).toList();
        }

        private boolean failed(String id, String error, Instant retryAt, boolean park) {
            return tx(t -> t.outbox().markFailed(EventId.of(id), error, retryAt, park));
        }

        private boolean delivered(String id) {
            return tx(t -> t.outbox().markDelivered(EventId.of(id)));
        }

        private boolean requeued(String id, Instant dueAt) {
            return tx(t -> t.outbox().requeue(EventId.of(id), dueAt));
        }

        private List<String> parkedIds(int limit) {
            return tx(t -> t.outbox().parked(limit)).stream().map(e -> e.event().metadata().id().value()).toList();
        }

        private OutboxEntry entryOf(String stream, int index) {
            return tx(t -> t.events().ofStream(stream)).get(index);
        }

        @Test
        @DisplayName("an event stored as not pending is delivered and never claimed")
        void notPendingIsDelivered() {
            append("ev-1", "s:1", 1, false, T0);
            assertThat(entryOf("s:1", 0).status()).isEqualTo(OutboxStatus.DELIVERED);
            assertThat(claim(at(60), 10, at(61))).isEmpty();
            assertThat(delivered("ev-1")).isFalse();
        }

        @Test
        @DisplayName("a pending event is claimable from its due time, not before")
        void dueTime() {
            append("ev-1", "s:1", 1, true, at(10));
            assertThat(claim(at(9), 10, at(20))).isEmpty();
            assertThat(claim(at(10), 10, at(20))).containsExactly("ev-1");
        }

        @Test
        @DisplayName("a claim moves the next attempt to the lease end; others pass it over until the lease lapses")
        void lease() {
            append("ev-1", "s:1", 1, true, T0);
            List<OutboxEntry> claimed = tx(t -> t.outbox().claimDue(T0, 10, at(5)));
            assertThat(claimed).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.nextAttemptAt()).isEqualTo(at(5));
            });
            assertThat(entryOf("s:1", 0).nextAttemptAt()).isEqualTo(at(5));
            assertThat(claim(at(4), 10, at(9))).isEmpty();
            assertThat(claim(at(5), 10, at(9))).as("a lapsed claim is claimable again").containsExactly("ev-1");
        }

        @Test
        @DisplayName("a rolled-back claim leaves the event claimable")
        void rolledBackClaim() {
            append("ev-1", "s:1", 1, true, T0);
            assertThatThrownBy(() -> store.inTransaction(t -> {
                assertThat(t.outbox().claimDue(T0, 10, at(5))).hasSize(1);
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(claim(T0, 10, at(5))).containsExactly("ev-1");
        }

        @Test
        @DisplayName("a claim takes all of a stream's due events at once, in sequence order, and holds the stream's "
                + "order: after a failure, nothing later is claimable until the failed event is due again")
        void wholeStreamInOrder() {
            for (int seq = 1; seq <= 4; seq++) {
                append("ev-" + seq, "s:1", seq, true, T0);
            }
            assertThat(claim(T0, 10, T0)).containsExactly("ev-1", "ev-2", "ev-3", "ev-4");
            assertThat(delivered("ev-1")).isTrue();
            assertThat(failed("ev-2", "timeout", at(5), false)).isTrue();
            assertThat(claim(at(4), 10, T0)).as("later events wait while an earlier one awaits its retry").isEmpty();
            assertThat(claim(at(5), 10, T0)).containsExactly("ev-2", "ev-3", "ev-4");
        }

        @Test
        @DisplayName("a stream's run of claimed events stops at its first event that is not due")
        void runStopsAtNotDue() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:1", 2, true, T0);
            append("ev-3", "s:1", 3, true, at(10));
            append("ev-4", "s:1", 4, true, T0);
            assertThat(claim(T0, 10, at(1))).containsExactly("ev-1", "ev-2");
        }

        @Test
        @DisplayName("every event of a claimed run is leased: no claim takes any event of the stream until the lease "
                + "lapses, when the whole run is claimable again")
        void leaseCoversTheRun() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:1", 2, true, T0);
            append("ev-3", "s:1", 3, true, T0);
            assertThat(tx((StoreTransaction t) -> t.outbox().claimDue(T0, 10, at(5))))
                    .extracting(OutboxEntry::nextAttemptAt).containsOnly(at(5));
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:1"))).extracting(OutboxEntry::nextAttemptAt)
                    .containsOnly(at(5));
            assertThat(claim(at(4), 10, at(9))).isEmpty();
            assertThat(delivered("ev-1")).isTrue();
            assertThat(claim(at(4), 10, at(9))).as("the next event is still leased").isEmpty();
            assertThat(claim(at(5), 10, at(9))).containsExactly("ev-2", "ev-3");
        }

        @Test
        @DisplayName("the limit takes the earliest event of each due stream before the later events of any stream")
        void earliestOfEachStreamFirst() {
            append("ev-a1", "s:a", 1, true, T0);
            append("ev-a2", "s:a", 2, true, T0);
            append("ev-a3", "s:a", 3, true, T0);
            append("ev-b1", "s:b", 1, true, T0);
            append("ev-c1", "s:c", 1, true, T0);
            append("ev-b2", "s:b", 2, true, T0);
            assertThat(claim(T0, 3, at(5))).containsExactly("ev-a1", "ev-b1", "ev-c1");
            assertThat(claim(at(5), 5, at(9))).containsExactly("ev-a1", "ev-a2", "ev-a3", "ev-b1", "ev-c1");
            assertThat(claim(at(9), 4, at(12))).as("oldest first among the later events")
                    .containsExactly("ev-a1", "ev-a2", "ev-b1", "ev-c1");
        }

        @Test
        @DisplayName("release ends a claim without counting an attempt, so the event is due at the given time; false "
                + "for unknown, delivered and parked events")
        void release() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:1", 2, true, T0);
            append("ev-3", "s:2", 1, false, T0);
            append("ev-4", "s:3", 1, true, T0);
            assertThat(claim(T0, 10, at(60))).containsExactly("ev-1", "ev-2", "ev-4");
            assertThat(failed("ev-1", "timeout", at(2), false)).isTrue();
            assertThat(tx((StoreTransaction t) -> t.outbox().release(EventId.of("ev-2"), at(1)))).isTrue();
            assertThat(entryOf("s:1", 1)).satisfies(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.attempts()).isZero();
                assertThat(e.lastError()).isEmpty();
                assertThat(e.nextAttemptAt()).isEqualTo(at(1));
            });
            assertThat(claim(at(2), 10, at(62))).as("the released event follows its stream's retry")
                    .containsExactly("ev-1", "ev-2");
            assertThat(failed("ev-4", "bad", at(2), true)).isTrue();
            tx(t -> {
                assertThat(t.outbox().release(EventId.of("ev-3"), at(1))).as("delivered").isFalse();
                assertThat(t.outbox().release(EventId.of("ev-4"), at(1))).as("parked").isFalse();
                assertThat(t.outbox().release(EventId.of("ev-9"), at(1))).as("unknown").isFalse();
                return null;
            });
        }

        @Test
        @DisplayName("an earlier event that is not yet due holds back the later ones of its stream")
        void notDueBlocks() {
            append("ev-1", "s:1", 1, true, at(10));
            append("ev-2", "s:1", 2, true, T0);
            assertThat(claim(T0, 10, T0)).isEmpty();
        }

        @Test
        @DisplayName("a parked event holds back the later events of its stream until requeued")
        void parkedBlocks() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:1", 2, true, T0);
            assertThat(failed("ev-1", "bad payload", at(1), true)).isTrue();
            assertThat(claim(at(60), 10, at(61))).isEmpty();
            assertThat(requeued("ev-1", at(61))).isTrue();
            assertThat(claim(at(60), 10, at(62))).isEmpty();
            assertThat(claim(at(61), 10, at(62))).containsExactly("ev-1", "ev-2");
        }

        @Test
        @DisplayName("delivered earlier events do not hold back later ones")
        void deliveredDoesNotBlock() {
            append("ev-1", "s:1", 1, false, T0);
            append("ev-2", "s:1", 2, true, T0);
            assertThat(claim(T0, 10, T0)).containsExactly("ev-2");
        }

        @Test
        @DisplayName("claims take the oldest due events across streams, at most the limit")
        void oldestFirstAcrossStreams() {
            append("ev-a", "s:a", 1, true, T0);
            append("ev-b", "s:b", 1, true, T0);
            append("ev-c", "s:c", 1, true, T0);
            append("ev-d", "s:d", 1, true, T0);
            assertThat(claim(T0, 2, at(5))).containsExactly("ev-a", "ev-b");
            assertThat(claim(T0, 10, at(5))).containsExactly("ev-c", "ev-d");
        }

        @Test
        @DisplayName("markDelivered delivers a pending event once; false when unknown, delivered or parked")
        void markDelivered() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:2", 1, true, T0);
            assertThat(delivered("ev-1")).isTrue();
            assertThat(entryOf("s:1", 0).status()).isEqualTo(OutboxStatus.DELIVERED);
            assertThat(delivered("ev-1")).isFalse();
            assertThat(failed("ev-1", "late", T0, false)).isFalse();
            assertThat(failed("ev-2", "x", T0, true)).isTrue();
            assertThat(delivered("ev-2")).isFalse();
            assertThat(entryOf("s:2", 0).status()).isEqualTo(OutboxStatus.PARKED);
            assertThat(claim(at(60), 10, at(61))).isEmpty();
        }

        @Test
        @DisplayName("markFailed counts the attempt, keeps the error and schedules the retry")
        void markFailed() {
            append("ev-1", "s:1", 1, true, T0);
            assertThat(failed("ev-1", "HTTP 503", at(1), false)).isTrue();
            assertThat(entryOf("s:1", 0)).satisfies(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.lastError()).isEqualTo("HTTP 503");
                assertThat(e.nextAttemptAt()).isEqualTo(at(1));
            });
            assertThat(failed("ev-1", "HTTP 502", at(3), false)).isTrue();
            assertThat(entryOf("s:1", 0)).satisfies(e -> {
                assertThat(e.attempts()).isEqualTo(2);
                assertThat(e.lastError()).isEqualTo("HTTP 502");
            });
            assertThat(claim(at(2), 10, at(9))).isEmpty();
            assertThat(claim(at(3), 10, at(9))).containsExactly("ev-1");
        }

        @Test
        @DisplayName("a parked event keeps its attempts and error, is listed as parked, and a requeue makes it due "
                + "again")
        void parkAndRequeue() {
            append("ev-1", "s:1", 1, true, T0);
            tx(t -> t.outbox().markFailed(EventId.of("ev-1"), "first", at(1), false));
            assertThat(failed("ev-1", "gave up", at(2), true)).isTrue();
            OutboxEntry parked = entryOf("s:1", 0);
            assertThat(parked.status()).isEqualTo(OutboxStatus.PARKED);
            assertThat(parked.attempts()).isEqualTo(2);
            assertThat(parked.lastError()).isEqualTo("gave up");
            assertThat(tx((StoreTransaction t) -> t.outbox().parked(10))).containsExactly(parked);
            assertThat(failed("ev-1", "again", at(3), true)).isFalse();
            assertThat(requeued("ev-1", at(30))).isTrue();
            assertThat(entryOf("s:1", 0)).satisfies(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.nextAttemptAt()).isEqualTo(at(30));
                assertThat(e.attempts()).isEqualTo(2);
            });
            assertThat(tx((StoreTransaction t) -> t.outbox().parked(10))).isEmpty();
            assertThat(requeued("ev-1", at(30))).as("not parked any more").isFalse();
            assertThat(claim(at(30), 10, at(31))).containsExactly("ev-1");
        }

        @Test
        @DisplayName("requeue is false for pending, delivered and unknown events")
        void requeueOnlyParked() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:2", 1, false, T0);
            tx(t -> {
                assertThat(t.outbox().requeue(EventId.of("ev-1"), at(9))).isFalse();
                assertThat(t.outbox().requeue(EventId.of("ev-2"), at(9))).isFalse();
                assertThat(t.outbox().requeue(EventId.of("ev-9"), at(9))).isFalse();
                return null;
            });
            assertThat(entryOf("s:1", 0).nextAttemptAt()).isEqualTo(T0);
        }

        @Test
        @DisplayName("parked events are listed oldest first, at most the limit")
        void parkedListing() {
            for (int i = 1; i <= 4; i++) {
                append("ev-" + i, "s:" + i, 1, true, T0);
            }
            for (int i : new int[] {3, 1, 4}) {
                tx(t -> t.outbox().markFailed(EventId.of("ev-" + i), "e" + i, T0, true));
            }
            assertThat(parkedIds(10)).containsExactly("ev-1", "ev-3", "ev-4");
            assertThat(parkedIds(2)).containsExactly("ev-1", "ev-3");
            assertThat(claim(T0, 10, T0)).containsExactly("ev-2");
        }

        private ReferralEvent appendAt(String id, String stream, long seq, boolean pending, Instant occurredAt) {
            ReferralEvent e = event(id, stream, seq, occurredAt);
            write(t -> t.events().append(e, pending, occurredAt));
            return e;
        }

        private OutboxStatistics statistics() {
            return tx(t -> t.outbox().statistics());
        }

        private int deleteDelivered(Instant before, int limit) {
            return tx(t -> t.outbox().deleteDelivered(before, limit));
        }

        private List<String> idsOf(String stream) {
            return tx(t -> t.events().ofStream(stream)).stream().map(e -> e.event().metadata().id().value())
                    .toList();
        }

        @Test
        @DisplayName("statistics of an empty outbox: nothing pending or parked, and no oldest pending event")
        void statisticsEmpty() {
            OutboxStatistics s = statistics();
            assertThat(s.pending()).isZero();
            assertThat(s.parked()).isZero();
            assertThat(s.oldestPendingAt()).isEmpty();
            assertThat(s.oldestPendingAge(T0)).isEqualTo(Duration.ZERO);
        }

        @Test
        @DisplayName("statistics count pending events (due or not, claimed or retried) and parked events, not delivered"
                + " ones, and tell when the oldest pending event occurred")
        void statisticsCount() {
            appendAt("ev-1", "s:1", 1, false, at(1));
            appendAt("ev-2", "s:2", 1, true, at(3));
            appendAt("ev-3", "s:3", 1, true, at(2));
            appendAt("ev-4", "s:4", 1, true, at(4));
            appendAt("ev-5", "s:5", 1, true, at(5));
            appendAt("ev-6", "s:6", 1, true, at(6));
            assertThat(claim(at(60), 1, at(70))).as("claimed, still pending").containsExactly("ev-2");
            assertThat(failed("ev-4", "retry", at(90), false)).isTrue();
            assertThat(failed("ev-5", "gave up", at(90), true)).isTrue();
            assertThat(delivered("ev-6")).isTrue();

            OutboxStatistics s = statistics();
            assertThat(s.pending()).isEqualTo(3);
            assertThat(s.parked()).isEqualTo(1);
            assertThat(s.oldestPendingAt()).contains(at(2));
            assertThat(s.oldestPendingAge(at(12))).isEqualTo(Duration.ofMinutes(10));

            assertThat(delivered("ev-3")).isTrue();
            assertThat(statistics().oldestPendingAt()).as("the next oldest").contains(at(3));
        }

        @Test
        @DisplayName("deleteDelivered deletes delivered events that occurred before the cutoff, oldest first, at most"
                + " the limit, and never a pending or parked one")
        void deleteDeliveredBounded() {
            appendAt("ev-1", "s:a", 1, false, at(1));
            appendAt("ev-2", "s:b", 1, false, at(2));
            appendAt("ev-3", "s:a", 2, false, at(3));
            appendAt("ev-4", "s:c", 1, true, at(1));
            appendAt("ev-5", "s:d", 1, true, at(1));
            appendAt("ev-6", "s:b", 2, false, at(10));
            assertThat(failed("ev-5", "gave up", at(1), true)).isTrue();

            assertThat(deleteDelivered(at(10), 2)).isEqualTo(2);
            assertThat(idsOf("s:a")).containsExactly("ev-3");
            assertThat(idsOf("s:b")).containsExactly("ev-6");
            assertThat(deleteDelivered(at(10), 5)).as("only ev-3 is left before the cutoff").isEqualTo(1);
            assertThat(idsOf("s:a")).isEmpty();
            assertThat(deleteDelivered(at(10), 5)).isZero();
            assertThat(idsOf("s:b")).as("occurred at the cutoff, not before").containsExactly("ev-6");
            assertThat(idsOf("s:c")).containsExactly("ev-4");
            assertThat(idsOf("s:d")).containsExactly("ev-5");
            assertThat(statistics().pending()).isEqualTo(1);
            assertThat(statistics().parked()).isEqualTo(1);
        }

        @Test
        @DisplayName("after deleteDelivered a stream's sequence goes on after the last number reserved, and its later"
                + " events stay claimable")
        void deleteDeliveredKeepsSequences() {
            for (int i = 1; i <= 3; i++) {
                ReferralEvent e = event("ev-" + i, "s:1", i, at(i));
                boolean pending = i > 1;
                write(t -> {
                    assertThat(t.events().nextSequence("s:1")).isEqualTo(e.metadata().sequence());
                    t.events().append(e, pending, e.metadata().occurredAt());
                });
            }
            assertThat(deleteDelivered(at(60), 10)).isEqualTo(1);
            assertThat(idsOf("s:1")).containsExactly("ev-2", "ev-3");
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence("s:1"))).isEqualTo(4L);
            assertThat(claim(at(60), 10, at(61))).as("the stream's due run, as any claim takes it")
                    .containsExactly("ev-2", "ev-3");
        }

        @Test
        @DisplayName("a rolled-back deleteDelivered leaves the events, and a limit below 1 is refused")
        void deleteDeliveredRollsBack() {
            appendAt("ev-1", "s:1", 1, false, at(1));
            assertThatThrownBy(() -> store.inTransaction(t -> {
                assertThat(t.outbox().deleteDelivered(at(60), 10)).isEqualTo(1);
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(idsOf("s:1")).containsExactly("ev-1");
            assertThatThrownBy(() -> tx(t -> t.outbox().deleteDelivered(at(60), 0)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
