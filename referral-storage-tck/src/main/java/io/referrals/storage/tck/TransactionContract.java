package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.advocate;
import static io.referrals.storage.tck.Fixtures.ask;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.code;
import static io.referrals.storage.tck.Fixtures.earn;
import static io.referrals.storage.tck.Fixtures.entry;
import static io.referrals.storage.tck.Fixtures.event;
import static io.referrals.storage.tck.Fixtures.moment;
import static io.referrals.storage.tck.Fixtures.noted;
import static io.referrals.storage.tck.Fixtures.program;
import static io.referrals.storage.tck.Fixtures.redeem;
import static io.referrals.storage.tck.Fixtures.referral;
import static io.referrals.storage.tck.Fixtures.reward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.error.ConflictException;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.EventId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentKind;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The obligations of {@link ReferralStore#inTransaction} and the general ones of {@link StoreTransaction}: atomic
 * commit and rollback over every area, reads that see the transaction's own writes, exceptions rethrown unchanged,
 * and held-back writes whose clashes fail the transaction. Part of {@link ReferralStoreContract}.
 */
public abstract class TransactionContract extends StoreContractSupport {

    /** The writes of the large-transaction check: past any one statement's limits on every database. */
    static final int LARGE_TRANSACTION_WRITES = 20_000;

    /** The counter every transaction check consumes. */
    static final CounterKey CAP = CounterKey.of("cap", "1");

    TransactionContract() {
    }

    @Nested
    @DisplayName("Transactions")
    class Transactions {

        @Test
        @DisplayName("inTransaction returns what the work returned")
        void returnsTheWorksResult() {
            assertThat(store.<String>inTransaction(t -> "done")).isEqualTo("done");
        }

        @Test
        @DisplayName("a committed transaction is visible to later transactions, also through the same-data store")
        void committedWritesAreVisible() {
            Referral r = seedReferral();
            assertThat(tx((StoreTransaction t) -> t.referrals().get(r.id()))).contains(r);
            assertThat(sameDataStore().inTransaction((StoreTransaction t) -> t.referrals().get(r.id()))).contains(r);
        }

        @Test
        @DisplayName("a transaction that throws leaves nothing visible: rows, sequences, events, rewards, ledger, "
                + "counters, moments, asks")
        void failedTransactionLeavesNothing() {
            Program p = program("prog-1");
            Advocate a = advocate("adv-1", "ext-1");
            Referral r = referral("ref-1", p.id(), a.id(), "key-1");
            Reward rw = reward("rwd-1", p.id(), a.id(), r.id(), "stage:won");
            String stream = EventStreams.of(r.id());
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.programs().insert(p);
                t.advocates().insert(a);
                t.advocates().insertEnrolment(new Enrolment(a.id(), p.id(), T0));
                t.codes().insert(code("JANE-ACME", a.id(), p.id(), T0));
                t.referrals().insert(r);
                t.timelines().append(entry(r.id(), 1, Stage.SUBMITTED, Stage.CONTACTED));
                assertThat(t.events().nextSequence(stream)).isEqualTo(1);
                assertThat(t.events().nextSequence(stream)).isEqualTo(2);
                t.events().append(event("ev-1", stream, 1, T0), true, T0);
                t.events().append(event("ev-2", stream, 2, T0), false, T0);
                t.rewards().insert(rw);
                assertThat(t.ledger().append(earn("led-1", a.id(), 100))).isTrue();
                assertThat(t.counters().tryConsume(CAP, 5, 10)).isTrue();
                t.moments().insert(moment("mom-1", a.id(), MomentKind.GO_LIVE, T0));
                t.asks().insert(ask("ask-1", p.id(), a.id(), T0));
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);

            assertNothingOf(store, p, a, r, rw, stream);
            assertNothingOf(sameDataStore(), p, a, r, rw, stream);
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence(stream)))
                    .as("a rolled-back sequence is handed out again").isEqualTo(1);
        }

        private void assertNothingOf(ReferralStore s, Program p, Advocate a, Referral r, Reward rw, String stream) {
            s.inTransaction(t -> {
                assertThat(t.programs().get(p.id())).isEmpty();
                assertThat(t.programs().all()).isEmpty();
                assertThat(t.advocates().get(a.id())).isEmpty();
                assertThat(t.advocates().byExternalId(a.externalId())).isEmpty();
                assertThat(t.advocates().enrolment(a.id(), p.id())).isEmpty();
                assertThat(t.advocates().enrolments(a.id())).isEmpty();
                assertThat(t.advocates().enrolmentsInProgram(p.id(), "", 10)).isEmpty();
                assertThat(t.codes().get("JANEACME")).isEmpty();
                assertThat(t.codes().ofAdvocate(a.id())).isEmpty();
                assertThat(t.referrals().get(r.id())).isEmpty();
                assertThat(t.referrals().byIdempotencyKey("key-1")).isEmpty();
                assertThat(t.referrals().find(ReferralQuery.builder().build())).isEmpty();
                assertThat(t.timelines().of(r.id())).isEmpty();
                assertThat(t.events().ofStream(stream)).isEmpty();
                assertThat(t.outbox().claimDue(T0.plusSeconds(3600), 100, T0.plusSeconds(7200))).isEmpty();
                assertThat(t.rewards().get(rw.id())).isEmpty();
                assertThat(t.rewards().byDedupeKey(rw.dedupeKey())).isEmpty();
                assertThat(t.rewards().ofReferral(r.id())).isEmpty();
                assertThat(t.rewards().ofAdvocate(a.id())).isEmpty();
                assertThat(t.rewards().ofProgram(p.id(), "", 10)).isEmpty();
                assertThat(t.rewards().due(RewardStatus.PENDING, Instant.MAX, 100)).isEmpty();
                assertThat(t.ledger().entries(a.id())).isEmpty();
                assertThat(t.ledger().balance(a.id())).isZero();
                assertThat(t.counters().value(CAP)).isZero();
                assertThat(t.moments().ofAdvocate(a.id())).isEmpty();
                assertThat(t.asks().of(a.id(), p.id())).isEmpty();
                assertThat(t.asks().countByStatus(p.id(), ReportPeriod.ALL_TIME)).allSatisfy(
                        (status, n) -> assertThat(n).isZero());
                return null;
            });
        }

        @Test
        @DisplayName("a transaction that throws undoes its updates, claims, outbox changes, replaced payloads and "
                + "counter releases")
        void failedTransactionUndoesUpdates() {
            Referral r = seedReferral();
            Program p = tx(t -> t.programs().get(r.programId())).orElseThrow();
            Advocate a = tx(t -> t.advocates().get(r.advocateId())).orElseThrow();
            ReferralCode c = code("JANE-ACME", a.id(), p.id(), T0);
            Reward rw = reward("rwd-1", p.id(), a.id(), r.id(), "stage:won");
            Ask k = ask("ask-1", p.id(), a.id(), T0);
            write(t -> {
                t.codes().insert(c);
                t.rewards().insert(rw);
                t.events().append(event("ev-1", "s:1", 1, T0), true, T0);
                t.events().append(event("ev-2", "s:2", 1, T0), true, T0);
                t.events().append(event("ev-3", "s:3", 1, T0), true, T0);
                t.outbox().markFailed(EventId.of("ev-3"), "boom", T0, true);
                t.ledger().append(earn("led-1", a.id(), 100));
                t.counters().tryConsume(CAP, 5, 10);
                t.events().nextSequence("s:seq");
                t.asks().insert(k);
            });
            List<OutboxEntry> before = tx(t -> List.of(t.events().ofStream("s:1").get(0),
                    t.events().ofStream("s:2").get(0), t.events().ofStream("s:3").get(0)));
            ReferralEvent scrubbed = new AdvocateRegistered(before.get(0).event().metadata(),
                    AdvocateSummary.of(Fixtures.minimalAdvocate("adv-ev", "erased")));

            assertThatThrownBy(() -> store.inTransaction(t -> {
                assertThat(t.programs().update(p.withStatus(ProgramStatus.PAUSED).nextVersion())).isTrue();
                assertThat(t.advocates().update(a.optOut())).isTrue();
                assertThat(t.referrals().update(noted(r, "changed"))).isTrue();
                assertThat(t.codes().update(c, c.revoke(at(5)))).isTrue();
                assertThat(t.rewards().update(rw.withStatus(RewardStatus.APPROVED, at(5)))).isTrue();
                assertThat(t.events().replace(scrubbed)).isTrue();
                assertThat(t.outbox().claimDue(T0, 10, at(5))).hasSize(2);
                assertThat(t.outbox().markDelivered(EventId.of("ev-1"))).isTrue();
                assertThat(t.outbox().markFailed(EventId.of("ev-2"), "down", at(9), false)).isTrue();
                assertThat(t.outbox().requeue(EventId.of("ev-3"), T0)).isTrue();
                assertThat(t.ledger().append(redeem("led-2", a.id(), 100))).isTrue();
                t.counters().release(CAP, 5);
                assertThat(t.events().nextSequence("s:seq")).isEqualTo(2);
                assertThat(t.asks().update(k.resolve(AskStatus.DECLINED, at(5), null))).isTrue();
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);

            tx(t -> {
                assertThat(t.programs().get(p.id())).contains(p);
                assertThat(t.advocates().get(a.id())).contains(a);
                assertThat(t.referrals().get(r.id())).contains(r);
                assertThat(t.codes().get(c.key())).contains(c);
                assertThat(t.rewards().get(rw.id())).contains(rw);
                assertThat(List.of(t.events().ofStream("s:1").get(0), t.events().ofStream("s:2").get(0),
                        t.events().ofStream("s:3").get(0))).isEqualTo(before);
                assertThat(t.ledger().balance(a.id())).isEqualTo(100);
                assertThat(t.ledger().entries(a.id())).hasSize(1);
                assertThat(t.counters().value(CAP)).isEqualTo(5);
                assertThat(t.events().nextSequence("s:seq")).isEqualTo(2);
                assertThat(t.asks().get(k.id())).contains(k);
                return null;
            });
        }

        @Test
        @DisplayName("the exception thrown by the work is rethrown unchanged, not wrapped")
        void workExceptionRethrownUnchanged() {
            WorkFailed failure = new WorkFailed();
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.programs().insert(program("prog-1"));
                throw failure;
            })).isSameAs(failure);

            ConflictException conflict = new ConflictException("referral.version", "changed concurrently", true);
            assertThatThrownBy(() -> store.inTransaction(t -> {
                throw conflict;
            })).isSameAs(conflict);

            IllegalStateException state = new IllegalStateException("programming error");
            assertThatThrownBy(() -> store.inTransaction(t -> {
                throw state;
            })).isSameAs(state);

            assertThat(tx((StoreTransaction t) -> t.programs().all())).isEmpty();
        }

        @Test
        @DisplayName("an Error thrown by the work is rethrown unchanged after the rollback")
        void workErrorRethrownUnchanged() {
            WorkError error = new WorkError();
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.programs().insert(program("prog-1"));
                throw error;
            })).isSameAs(error);
            assertThat(tx((StoreTransaction t) -> t.programs().get(ProgramId.of("prog-1")))).isEmpty();
        }

        @Test
        @DisplayName("DuplicateKeyException is a ConflictException that is not retryable")
        void duplicateIsAConflict() {
            write(t -> t.programs().insert(program("prog-1")));
            assertThatThrownBy(() -> write(t -> t.programs().insert(program("prog-1"))))
                    .isInstanceOf(ConflictException.class)
                    .satisfies(e -> assertThat(((ConflictException) e).isRetryable()).isFalse());
        }

        @Test
        @DisplayName("a DuplicateKeyException that escapes the work rolls back the transaction's earlier writes")
        void duplicateRollsBackEarlierWrites() {
            write(t -> t.programs().insert(program("prog-1")));
            assertDuplicate(store, UniqueKey.PROGRAM_ID, t -> {
                t.advocates().insert(advocate("adv-1", "ext-1"));
                t.programs().insert(program("prog-1"));
            });
            assertThat(tx((StoreTransaction t) -> t.advocates().get(AdvocateId.of("adv-1")))).isEmpty();
        }

        @Test
        @DisplayName("a clash among a transaction's held-back writes fails it naming the key by its next read or "
                + "write, and none of its writes stays")
        void clashAmongWrites() {
            Referral seeded = seedReferral();
            Referral twin = referral("ref-2", seeded.programId(), seeded.advocateId(), "key-1");
            String stream = EventStreams.of(twin.id());
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> {
                t.referrals().insert(twin);
                t.events().append(event("evt-1", stream, t.events().nextSequence(stream), T0), false, T0);
                t.events().append(event("evt-2", "s:other", t.events().nextSequence("s:other"), T0), false, T0);
            });
            assertThat(tx((StoreTransaction t) -> t.referrals().get(twin.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.events().ofStream(stream))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.events().ofStream("s:other"))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence(stream))).isEqualTo(1);
            assertThat(tx((StoreTransaction t) -> t.events().nextSequence("s:other"))).isEqualTo(1);

            // the clash surfaces by the next read or write at the latest, never after work that depends on it
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> {
                t.referrals().insert(twin);
                t.events().append(event("evt-3", stream, t.events().nextSequence(stream), T0), false, T0);
                t.referrals().get(seeded.id());
                throw new AssertionError("the read after a clashing write returned");
            });
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> {
                t.referrals().insert(twin);
                t.referrals().update(seeded.toBuilder().version(seeded.version() + 1).build());
                throw new AssertionError("the write after a clashing write returned");
            });
            assertThat(tx((StoreTransaction t) -> t.referrals().get(seeded.id()))).contains(seeded);
            assertThat(tx((StoreTransaction t) -> t.events().ofStream(stream))).isEmpty();
        }

        @Test
        @DisplayName("one transaction of 20,000 writes (referrals, timeline entries, rewards, sequences, events) "
                + "commits, and every write reads back")
        void largeTransactionCommits() {
            Program p = program("prog-big");
            Advocate a = advocate("adv-big", "ext-big");
            write(t -> {
                t.programs().insert(p);
                t.advocates().insert(a);
            });
            int n = LARGE_TRANSACTION_WRITES / 5;
            List<ReferralId> ids = new ArrayList<>(n);
            write(t -> {
                for (int i = 0; i < n; i++) {
                    Referral r = Fixtures.referralBuilder(String.format("ref-big-%05d", i), p.id(), a.id()).build();
                    t.referrals().insert(r);
                    t.timelines().append(entry(r.id(), 1, Stage.SUBMITTED, Stage.CONTACTED));
                    t.rewards().insert(reward(String.format("rwd-big-%05d", i), p.id(), a.id(), r.id(),
                            "stage:contacted"));
                    String stream = EventStreams.of(r.id());
                    t.events().append(event("ev-big-" + i, stream, t.events().nextSequence(stream), T0), i % 2 == 0,
                            T0);
                    ids.add(r.id());
                    if (i == n / 2) { // half the writes go ahead of a read, the other half before the commit
                        assertThat(t.referrals().get(ids.get(0))).isPresent();
                    }
                }
            });

            List<ReferralId> stored = new ArrayList<>(n);
            List<String> rewards = new ArrayList<>(n);
            tx(t -> {
                for (ReferralId after = null; ; ) {
                    ReferralQuery.Builder page = ReferralQuery.builder().program(p.id()).limit(1000);
                    if (after != null) {
                        page.after(after);
                    }
                    List<Referral> rows = t.referrals().find(page.build());
                    if (rows.isEmpty()) {
                        break;
                    }
                    rows.forEach(r -> stored.add(r.id()));
                    after = rows.get(rows.size() - 1).id();
                }
                for (String after = ""; ; ) {
                    List<Reward> rows = t.rewards().ofProgram(p.id(), after, 1000);
                    if (rows.isEmpty()) {
                        break;
                    }
                    rows.forEach(r -> rewards.add(r.id().value()));
                    after = rows.get(rows.size() - 1).id().value();
                }
                for (int i = 0; i < n; i += n / 10 - 1) {
                    ReferralId id = ids.get(i);
                    assertThat(t.timelines().of(id)).containsExactly(entry(id, 1, Stage.SUBMITTED, Stage.CONTACTED));
                    assertThat(t.events().ofStream(EventStreams.of(id))).singleElement()
                            .satisfies(e -> assertThat(e.event().metadata().sequence()).isEqualTo(1));
                }
                return null;
            });
            assertThat(stored).containsExactlyElementsOf(ids);
            assertThat(rewards).hasSize(n).startsWith("rwd-big-00000").endsWith(String.format("rwd-big-%05d", n - 1));
        }

        @Test
        @DisplayName("reads inside a transaction see the transaction's own writes, in every area")
        void readYourWrites() {
            Program p = program("prog-1");
            Advocate a = advocate("adv-1", "ext-1");
            Referral r = referral("ref-1", p.id(), a.id(), "key-1");
            ReferralCode c = code("JANE-ACME", a.id(), p.id(), T0);
            Reward rw = reward("rwd-1", p.id(), a.id(), r.id(), "stage:won");
            ReferralEvent ev = event("ev-1", "s:1", 1, T0);
            write(t -> {
                t.programs().insert(p);
                assertThat(t.programs().get(p.id())).contains(p);
                assertThat(t.programs().all()).containsExactly(p);
                t.advocates().insert(a);
                assertThat(t.advocates().get(a.id())).contains(a);
                assertThat(t.advocates().byExternalId("ext-1")).contains(a);
                Enrolment e = new Enrolment(a.id(), p.id(), T0);
                t.advocates().insertEnrolment(e);
                assertThat(t.advocates().enrolment(a.id(), p.id())).contains(e);
                assertThat(t.advocates().enrolments(a.id())).containsExactly(e);
                assertThat(t.advocates().enrolmentsInProgram(p.id(), "", 10)).containsExactly(e);
                t.codes().insert(c);
                assertThat(t.codes().get("JANEACME")).contains(c);
                assertThat(t.codes().ofAdvocate(a.id())).containsExactly(c);
                t.referrals().insert(r);
                assertThat(t.referrals().get(r.id())).contains(r);
                assertThat(t.referrals().byIdempotencyKey("key-1")).contains(r);
                assertThat(t.referrals().find(ReferralQuery.builder().program(p.id()).build())).containsExactly(r);
                Referral r2 = noted(r, "updated in the same transaction");
                assertThat(t.referrals().update(r2)).isTrue();
                assertThat(t.referrals().get(r.id())).contains(r2);
                assertThat(t.referrals().byIdempotencyKey("key-1")).contains(r2);
                Referral batched = referral("ref-2", p.id(), a.id(), "key-2");
                t.referrals().insertAll(List.of(batched));
                assertThat(t.referrals().byIdempotencyKey("key-2")).contains(batched);
                TimelineEntry te = entry(r.id(), 1, Stage.SUBMITTED, Stage.CONTACTED);
                t.timelines().append(te);
                assertThat(t.timelines().of(r.id())).containsExactly(te);
                TimelineEntry te2 = entry(r.id(), 2, Stage.CONTACTED, Stage.QUALIFIED);
                t.timelines().appendAll(List.of(te2));
                assertThat(t.timelines().of(r.id())).containsExactly(te, te2);
                assertThat(t.events().nextSequence("s:1")).isEqualTo(1);
                assertThat(t.events().nextSequence("s:1")).isEqualTo(2);
                t.events().append(ev, true, T0);
                assertThat(t.events().ofStream("s:1")).extracting(OutboxEntry::event).containsExactly(ev);
                ReferralEvent scrubbed = new AdvocateRegistered(ev.metadata(),
                        AdvocateSummary.of(Fixtures.minimalAdvocate("adv-ev", "erased")));
                assertThat(t.events().replace(scrubbed)).isTrue();
                assertThat(t.outbox().claimDue(T0, 10, at(1))).extracting(OutboxEntry::event)
                        .containsExactly(scrubbed);
                assertThat(t.outbox().markDelivered(ev.metadata().id())).isTrue();
                assertThat(t.events().ofStream("s:1").get(0).status()).isEqualTo(OutboxStatus.DELIVERED);
                t.rewards().insert(rw);
                assertThat(t.rewards().get(rw.id())).contains(rw);
                assertThat(t.rewards().byDedupeKey(rw.dedupeKey())).contains(rw);
                assertThat(t.rewards().ofReferral(r.id())).containsExactly(rw);
                assertThat(t.rewards().ofProgram(p.id(), "", 10)).containsExactly(rw);
                assertThat(t.ledger().append(earn("led-1", a.id(), 70))).isTrue();
                assertThat(t.ledger().balance(a.id())).isEqualTo(70);
                assertThat(t.ledger().append(redeem("led-2", a.id(), 71))).isFalse();
                assertThat(t.ledger().append(redeem("led-3", a.id(), 70))).isTrue();
                assertThat(t.ledger().balance(a.id())).isZero();
                assertThat(t.counters().tryConsume(CAP, 4, 5)).isTrue();
                assertThat(t.counters().value(CAP)).isEqualTo(4);
                assertThat(t.counters().tryConsume(CAP, 2, 5)).isFalse();
                Moment m = moment("mom-1", a.id(), MomentKind.RENEWAL, T0);
                t.moments().insert(m);
                assertThat(t.moments().get(m.id())).contains(m);
                assertThat(t.moments().ofAdvocate(a.id())).containsExactly(m);
                assertThat(t.moments().forAsking(p.id(), T0, T0)).containsExactly(m);
                Ask k = ask("ask-1", p.id(), a.id(), T0);
                t.asks().insert(k);
                assertThat(t.asks().get(k.id())).contains(k);
                assertThat(t.asks().of(a.id(), p.id())).containsExactly(k);
                assertThat(t.asks().pending(p.id(), at(1), 10)).containsExactly(k);
                assertThat(t.moments().forAsking(p.id(), T0, T0)).as("a pending ask holds the advocate back")
                        .isEmpty();
                Ask declined = k.resolve(AskStatus.DECLINED, at(1), null);
                assertThat(t.asks().update(declined)).isTrue();
                assertThat(t.asks().pending(p.id(), at(1), 10)).isEmpty();
                assertThat(t.asks().countByStatus(p.id(), ReportPeriod.ALL_TIME))
                        .containsAllEntriesOf(Map.of(AskStatus.DECLINED, 1L));
            });
        }
    }
}
