package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.advocate;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.code;
import static io.referrals.storage.tck.Fixtures.customProgram;
import static io.referrals.storage.tck.Fixtures.earn;
import static io.referrals.storage.tck.Fixtures.entry;
import static io.referrals.storage.tck.Fixtures.event;
import static io.referrals.storage.tck.Fixtures.ledger;
import static io.referrals.storage.tck.Fixtures.minimalAdvocate;
import static io.referrals.storage.tck.Fixtures.noted;
import static io.referrals.storage.tck.Fixtures.program;
import static io.referrals.storage.tck.Fixtures.redeem;
import static io.referrals.storage.tck.Fixtures.referral;
import static io.referrals.storage.tck.Fixtures.referralBuilder;
import static io.referrals.storage.tck.Fixtures.renamed;
import static io.referrals.storage.tck.Fixtures.reward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.ReferralException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.EventId;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Schedule;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ReferralStore} must meet: each obligation stated in the Javadoc of {@link ReferralStore}
 * and {@link StoreTransaction}, checked by a test whose display name states it, plus concurrency checks (many threads
 * on one store) and engine-level checks (several {@link ReferralEngine}s sharing the store).
 *
 * <p>To prove a store, extend this class in the store's own test sources and supply an empty store per test:
 * <pre>{@code
 * class InMemoryReferralStoreContractTest extends ReferralStoreContract {
 *     protected ReferralStore newStore() {
 *         return new InMemoryReferralStore();
 *     }
 * }
 * }</pre>
 * A JDBC store typically creates its schema once (for example in a {@code @BeforeAll} of the subclass), empties its
 * tables in {@link #newStore()}, and overrides {@link #sameDataStore()} to return a second store on its own connection
 * pool, so that the concurrency groups run through two independent stores over the same data. Override
 * {@link #cleanUp(ReferralStore)} to release what {@code newStore()} acquired. Name the subclass so that the build's
 * test runner picks it up ({@code *Test} with Surefire's defaults); every {@code @Nested} group is inherited. The
 * randomised companion is {@link ReferralStoreStatefulContract}.
 *
 * <p>Timestamps written by the kit have microsecond precision; a store must read back every {@link Instant} it was
 * given at that precision, and also {@link Instant#MIN} and {@link Instant#MAX} (the open ends of a {@link Schedule}).
 * Ids compare by {@link String#compareTo}, case-sensitively.
 */
public abstract class ReferralStoreContract {

    /** The store under test, fresh (empty) for every test. */
    protected ReferralStore store;

    /** The clock of engines the kit builds; tests move it instead of waiting. */
    protected final MutableClock clock = MutableClock.startingNow();

    /**
     * A new, empty store for one test. Called before every test; the store is handed to {@link #cleanUp} afterwards.
     */
    protected abstract ReferralStore newStore();

    /**
     * A second store over the same data as the current {@link #store}, for example on a separate connection pool.
     * Concurrency tests spread their threads over both. The default is the current store itself.
     */
    protected ReferralStore sameDataStore() {
        return store;
    }

    /** Releases what {@link #newStore()} acquired. Called after every test; the default does nothing. */
    protected void cleanUp(ReferralStore used) {
    }

    /** How many threads concurrency tests use; at least 2. The default is 12. */
    protected int threads() {
        return 12;
    }

    @BeforeEach
    final void openStore() {
        store = Objects.requireNonNull(newStore(), "newStore() returned null");
    }

    @AfterEach
    final void closeStore() {
        cleanUp(store);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Runs {@code work} in a transaction of the store under test. */
    protected final <T> T tx(Function<StoreTransaction, T> work) {
        return store.inTransaction(work);
    }

    /** Runs {@code work} in a transaction of the store under test and commits. */
    protected final void write(Consumer<StoreTransaction> work) {
        store.inTransaction(t -> {
            work.accept(t);
            return null;
        });
    }

    private static void assertDuplicate(ReferralStore s, UniqueKey key, Consumer<StoreTransaction> insert) {
        assertThatThrownBy(() -> s.inTransaction(t -> {
            insert.accept(t);
            return null;
        })).isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.key()).isEqualTo(key));
    }

    /** Seeds a program, an advocate enrolled in it, and a referral with idempotency key {@code key-1}. */
    private Referral seedReferral() {
        Program p = program("prog-1");
        Advocate a = advocate("adv-1", "ext-1");
        Referral r = referral("ref-1", p.id(), a.id(), "key-1");
        write(t -> {
            t.insertProgram(p);
            t.insertAdvocate(a);
            t.insertEnrolment(new Enrolment(a.id(), p.id(), T0));
            t.insertReferral(r);
        });
        return r;
    }

    /** A test failure that is neither a store nor a JDK exception, to see it come back unchanged. */
    static final class WorkFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorkFailed() {
            super("the work failed on purpose");
        }
    }

    /** An {@link Error} thrown by work, to see it come back unchanged. */
    static final class WorkError extends Error {
        private static final long serialVersionUID = 1L;

        WorkError() {
            super("the work failed with an error on purpose");
        }
    }

    // ==== transactions =============================================================================================

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
            assertThat(tx((StoreTransaction t) -> t.referral(r.id()))).contains(r);
            assertThat(sameDataStore().inTransaction((StoreTransaction t) -> t.referral(r.id()))).contains(r);
        }

        @Test
        @DisplayName("a transaction that throws leaves nothing visible: rows, sequences, events, rewards, ledger, "
                + "counters")
        void failedTransactionLeavesNothing() {
            Program p = program("prog-1");
            Advocate a = advocate("adv-1", "ext-1");
            Referral r = referral("ref-1", p.id(), a.id(), "key-1");
            Reward rw = reward("rwd-1", p.id(), a.id(), r.id(), "stage:won");
            String stream = EventStreams.of(r.id());
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.insertProgram(p);
                t.insertAdvocate(a);
                t.insertEnrolment(new Enrolment(a.id(), p.id(), T0));
                t.insertCode(code("JANE-ACME", a.id(), p.id(), T0));
                t.insertReferral(r);
                t.appendTimelineEntry(entry(r.id(), 1, Stage.SUBMITTED, Stage.CONTACTED));
                assertThat(t.nextSequence(stream)).isEqualTo(1);
                assertThat(t.nextSequence(stream)).isEqualTo(2);
                t.appendEvent(event("ev-1", stream, 1, T0), true, T0);
                t.appendEvent(event("ev-2", stream, 2, T0), false, T0);
                t.insertReward(rw);
                assertThat(t.appendLedgerEntry(earn("led-1", a.id(), 100))).isTrue();
                assertThat(t.tryConsume("cap:1", 5, 10)).isTrue();
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);

            assertNothingOf(p, a, r, rw, stream);
            assertNothingOfThrough(sameDataStore(), p, a, r, rw, stream);
            assertThat(tx((StoreTransaction t) -> t.nextSequence(stream))).as("a rolled-back sequence is handed out again").isEqualTo(1);
        }

        private void assertNothingOf(Program p, Advocate a, Referral r, Reward rw, String stream) {
            assertNothingOfThrough(store, p, a, r, rw, stream);
        }

        private void assertNothingOfThrough(ReferralStore s, Program p, Advocate a, Referral r, Reward rw,
                String stream) {
            s.inTransaction(t -> {
                assertThat(t.program(p.id())).isEmpty();
                assertThat(t.programs()).isEmpty();
                assertThat(t.advocate(a.id())).isEmpty();
                assertThat(t.advocateByExternalId(a.externalId())).isEmpty();
                assertThat(t.enrolment(a.id(), p.id())).isEmpty();
                assertThat(t.enrolments(a.id())).isEmpty();
                assertThat(t.code("JANEACME")).isEmpty();
                assertThat(t.codes(a.id())).isEmpty();
                assertThat(t.referral(r.id())).isEmpty();
                assertThat(t.referralByIdempotencyKey("key-1")).isEmpty();
                assertThat(t.referrals(ReferralQuery.builder().build())).isEmpty();
                assertThat(t.timeline(r.id())).isEmpty();
                assertThat(t.events(stream)).isEmpty();
                assertThat(t.claimDueEvents(T0.plusSeconds(3600), 100, T0.plusSeconds(7200))).isEmpty();
                assertThat(t.reward(rw.id())).isEmpty();
                assertThat(t.rewardByDedupeKey(rw.dedupeKey())).isEmpty();
                assertThat(t.rewardsOfReferral(r.id())).isEmpty();
                assertThat(t.rewardsOfAdvocate(a.id())).isEmpty();
                assertThat(t.rewardsDue(RewardStatus.PENDING, Instant.MAX, 100)).isEmpty();
                assertThat(t.ledger(a.id())).isEmpty();
                assertThat(t.pointsBalance(a.id())).isZero();
                assertThat(t.counter("cap:1")).isZero();
                return null;
            });
        }

        @Test
        @DisplayName("a transaction that throws undoes its updates, claims, outbox changes and counter releases")
        void failedTransactionUndoesUpdates() {
            Referral r = seedReferral();
            Program p = tx(t -> t.program(r.programId())).orElseThrow();
            Advocate a = tx(t -> t.advocate(r.advocateId())).orElseThrow();
            ReferralCode c = code("JANE-ACME", a.id(), p.id(), T0);
            Reward rw = reward("rwd-1", p.id(), a.id(), r.id(), "stage:won");
            write(t -> {
                t.insertCode(c);
                t.insertReward(rw);
                t.appendEvent(event("ev-1", "s:1", 1, T0), true, T0);
                t.appendEvent(event("ev-2", "s:2", 1, T0), true, T0);
                t.appendEvent(event("ev-3", "s:3", 1, T0), true, T0);
                t.markEventFailed(EventId.of("ev-3"), "boom", T0, true);
                t.appendLedgerEntry(earn("led-1", a.id(), 100));
                t.tryConsume("cap:1", 5, 10);
                t.nextSequence("s:seq");
            });
            List<OutboxEntry> before = tx(t -> List.of(t.events("s:1").get(0), t.events("s:2").get(0),
                    t.events("s:3").get(0)));

            assertThatThrownBy(() -> store.inTransaction(t -> {
                assertThat(t.updateProgram(p.withStatus(ProgramStatus.PAUSED).nextVersion())).isTrue();
                assertThat(t.updateAdvocate(a.optOut())).isTrue();
                assertThat(t.updateReferral(noted(r, "changed"))).isTrue();
                assertThat(t.updateCode(c, c.revoke(at(5)))).isTrue();
                assertThat(t.updateReward(rw.withStatus(RewardStatus.APPROVED, at(5)))).isTrue();
                assertThat(t.claimDueEvents(T0, 10, at(5))).hasSize(2);
                assertThat(t.markEventDelivered(EventId.of("ev-1"))).isTrue();
                assertThat(t.markEventFailed(EventId.of("ev-2"), "down", at(9), false)).isTrue();
                assertThat(t.requeueEvent(EventId.of("ev-3"), T0)).isTrue();
                assertThat(t.appendLedgerEntry(redeem("led-2", a.id(), 100))).isTrue();
                t.release("cap:1", 5);
                assertThat(t.nextSequence("s:seq")).isEqualTo(2);
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);

            tx(t -> {
                assertThat(t.program(p.id())).contains(p);
                assertThat(t.advocate(a.id())).contains(a);
                assertThat(t.referral(r.id())).contains(r);
                assertThat(t.code(c.key())).contains(c);
                assertThat(t.reward(rw.id())).contains(rw);
                assertThat(List.of(t.events("s:1").get(0), t.events("s:2").get(0), t.events("s:3").get(0)))
                        .isEqualTo(before);
                assertThat(t.pointsBalance(a.id())).isEqualTo(100);
                assertThat(t.ledger(a.id())).hasSize(1);
                assertThat(t.counter("cap:1")).isEqualTo(5);
                assertThat(t.nextSequence("s:seq")).isEqualTo(2);
                return null;
            });
        }

        @Test
        @DisplayName("the exception thrown by the work is rethrown unchanged, not wrapped")
        void workExceptionRethrownUnchanged() {
            WorkFailed failure = new WorkFailed();
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.insertProgram(program("prog-1"));
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

            assertThat(tx((StoreTransaction t) -> t.programs())).isEmpty();
        }

        @Test
        @DisplayName("an Error thrown by the work is rethrown unchanged after the rollback")
        void workErrorRethrownUnchanged() {
            WorkError error = new WorkError();
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.insertProgram(program("prog-1"));
                throw error;
            })).isSameAs(error);
            assertThat(tx((StoreTransaction t) -> t.program(ProgramId.of("prog-1")))).isEmpty();
        }

        @Test
        @DisplayName("a DuplicateKeyException that escapes the work rolls back the transaction's earlier writes")
        void duplicateRollsBackEarlierWrites() {
            write(t -> t.insertProgram(program("prog-1")));
            assertDuplicate(store, UniqueKey.PROGRAM_ID, t -> {
                t.insertAdvocate(advocate("adv-1", "ext-1"));
                t.insertProgram(program("prog-1"));
            });
            assertThat(tx((StoreTransaction t) -> t.advocate(AdvocateId.of("adv-1")))).isEmpty();
        }

        @Test
        @DisplayName("reads inside a transaction see the transaction's own writes")
        void readYourWrites() {
            Program p = program("prog-1");
            Advocate a = advocate("adv-1", "ext-1");
            Referral r = referral("ref-1", p.id(), a.id(), "key-1");
            ReferralCode c = code("JANE-ACME", a.id(), p.id(), T0);
            Reward rw = reward("rwd-1", p.id(), a.id(), r.id(), "stage:won");
            ReferralEvent ev = event("ev-1", "s:1", 1, T0);
            write(t -> {
                t.insertProgram(p);
                assertThat(t.program(p.id())).contains(p);
                assertThat(t.programs()).containsExactly(p);
                t.insertAdvocate(a);
                assertThat(t.advocate(a.id())).contains(a);
                assertThat(t.advocateByExternalId("ext-1")).contains(a);
                Enrolment e = new Enrolment(a.id(), p.id(), T0);
                t.insertEnrolment(e);
                assertThat(t.enrolment(a.id(), p.id())).contains(e);
                assertThat(t.enrolments(a.id())).containsExactly(e);
                t.insertCode(c);
                assertThat(t.code("JANEACME")).contains(c);
                assertThat(t.codes(a.id())).containsExactly(c);
                t.insertReferral(r);
                assertThat(t.referral(r.id())).contains(r);
                assertThat(t.referralByIdempotencyKey("key-1")).contains(r);
                assertThat(t.referrals(ReferralQuery.builder().program(p.id()).build())).containsExactly(r);
                Referral r2 = noted(r, "updated in the same transaction");
                assertThat(t.updateReferral(r2)).isTrue();
                assertThat(t.referral(r.id())).contains(r2);
                assertThat(t.referralByIdempotencyKey("key-1")).contains(r2);
                TimelineEntry te = entry(r.id(), 1, Stage.SUBMITTED, Stage.CONTACTED);
                t.appendTimelineEntry(te);
                assertThat(t.timeline(r.id())).containsExactly(te);
                assertThat(t.nextSequence("s:1")).isEqualTo(1);
                assertThat(t.nextSequence("s:1")).isEqualTo(2);
                t.appendEvent(ev, true, T0);
                assertThat(t.events("s:1")).extracting(OutboxEntry::event).containsExactly(ev);
                assertThat(t.claimDueEvents(T0, 10, at(1))).extracting(OutboxEntry::event).containsExactly(ev);
                assertThat(t.markEventDelivered(ev.metadata().id())).isTrue();
                assertThat(t.events("s:1").get(0).status()).isEqualTo(OutboxStatus.DELIVERED);
                t.insertReward(rw);
                assertThat(t.reward(rw.id())).contains(rw);
                assertThat(t.rewardByDedupeKey(rw.dedupeKey())).contains(rw);
                assertThat(t.rewardsOfReferral(r.id())).containsExactly(rw);
                assertThat(t.appendLedgerEntry(earn("led-1", a.id(), 70))).isTrue();
                assertThat(t.pointsBalance(a.id())).isEqualTo(70);
                assertThat(t.appendLedgerEntry(redeem("led-2", a.id(), 71))).isFalse();
                assertThat(t.appendLedgerEntry(redeem("led-3", a.id(), 70))).isTrue();
                assertThat(t.pointsBalance(a.id())).isZero();
                assertThat(t.tryConsume("cap:1", 4, 5)).isTrue();
                assertThat(t.counter("cap:1")).isEqualTo(4);
                assertThat(t.tryConsume("cap:1", 2, 5)).isFalse();
            });
        }
    }

    // ==== unique keys ==============================================================================================

    @Nested
    @DisplayName("Unique keys: an insert that breaks one throws DuplicateKeyException naming it and writes nothing")
    class UniqueKeys {

        @Test
        @DisplayName("DuplicateKeyException is a ConflictException that is not retryable")
        void duplicateIsAConflict() {
            write(t -> t.insertProgram(program("prog-1")));
            assertThatThrownBy(() -> write(t -> t.insertProgram(program("prog-1"))))
                    .isInstanceOf(ConflictException.class)
                    .satisfies(e -> assertThat(((ConflictException) e).isRetryable()).isFalse());
        }

        @Test
        @DisplayName("PROGRAM_ID: a second program with the same id")
        void programId() {
            Program p = program("prog-1");
            write(t -> t.insertProgram(p));
            assertDuplicate(store, UniqueKey.PROGRAM_ID, t -> t.insertProgram(customProgram("prog-1")));
            assertThat(tx((StoreTransaction t) -> t.programs())).containsExactly(p);
        }

        @Test
        @DisplayName("ADVOCATE_ID: a second advocate with the same id and another external id")
        void advocateId() {
            Advocate a = advocate("adv-1", "ext-1");
            write(t -> t.insertAdvocate(a));
            assertDuplicate(store, UniqueKey.ADVOCATE_ID, t -> t.insertAdvocate(minimalAdvocate("adv-1", "ext-2")));
            assertThat(tx((StoreTransaction t) -> t.advocate(a.id()))).contains(a);
            assertThat(tx((StoreTransaction t) -> t.advocateByExternalId("ext-2"))).isEmpty();
        }

        @Test
        @DisplayName("ADVOCATE_EXTERNAL_ID: a second advocate with the same external id")
        void advocateExternalId() {
            Advocate a = advocate("adv-1", "ext-1");
            write(t -> t.insertAdvocate(a));
            assertDuplicate(store, UniqueKey.ADVOCATE_EXTERNAL_ID,
                    t -> t.insertAdvocate(minimalAdvocate("adv-2", "ext-1")));
            assertThat(tx((StoreTransaction t) -> t.advocate(AdvocateId.of("adv-2")))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.advocateByExternalId("ext-1"))).contains(a);
        }

        @Test
        @DisplayName("external ids are exact: advocates whose external ids differ only in case are different")
        void externalIdsAreCaseSensitive() {
            Advocate lower = minimalAdvocate("adv-1", "jane.doe");
            Advocate upper = minimalAdvocate("adv-2", "JANE.DOE");
            write(t -> {
                t.insertAdvocate(lower);
                t.insertAdvocate(upper);
            });
            assertThat(tx((StoreTransaction t) -> t.advocateByExternalId("jane.doe"))).contains(lower);
            assertThat(tx((StoreTransaction t) -> t.advocateByExternalId("JANE.DOE"))).contains(upper);
            assertThat(tx((StoreTransaction t) -> t.advocateByExternalId("Jane.Doe"))).isEmpty();
        }

        @Test
        @DisplayName("ENROLMENT: enrolling the same advocate in the same program twice")
        void enrolment() {
            Enrolment e = new Enrolment(AdvocateId.of("adv-1"), ProgramId.of("prog-1"), T0);
            write(t -> {
                t.insertProgram(program("prog-1"));
                t.insertProgram(program("prog-2"));
                t.insertAdvocate(advocate("adv-1", "ext-1"));
                t.insertEnrolment(e);
            });
            assertDuplicate(store, UniqueKey.ENROLMENT,
                    t -> t.insertEnrolment(new Enrolment(e.advocateId(), e.programId(), at(5))));
            assertThat(tx((StoreTransaction t) -> t.enrolments(e.advocateId()))).containsExactly(e);
            Enrolment other = new Enrolment(e.advocateId(), ProgramId.of("prog-2"), at(5));
            write(t -> t.insertEnrolment(other));
            assertThat(tx((StoreTransaction t) -> t.enrolments(e.advocateId()))).containsExactly(e, other);
        }

        @Test
        @DisplayName("CODE: a code whose key (case and hyphens ignored) is taken, even by another advocate")
        void code() {
            ReferralCode c = Fixtures.code("JANE-ACME", AdvocateId.of("adv-1"), ProgramId.of("prog-1"), T0);
            write(t -> t.insertCode(c));
            assertDuplicate(store, UniqueKey.CODE,
                    t -> t.insertCode(Fixtures.code("jane acme", AdvocateId.of("adv-2"), ProgramId.of("prog-1"),
                            at(1))));
            assertThat(tx((StoreTransaction t) -> t.code("JANEACME"))).contains(c);
            assertThat(tx((StoreTransaction t) -> t.codes(AdvocateId.of("adv-2")))).isEmpty();
        }

        @Test
        @DisplayName("REFERRAL_ID: a second referral with the same id and another idempotency key")
        void referralId() {
            Referral r = seedReferral();
            assertDuplicate(store, UniqueKey.REFERRAL_ID,
                    t -> t.insertReferral(referral(r.id().value(), r.programId(), r.advocateId(), "key-2")));
            assertThat(tx((StoreTransaction t) -> t.referral(r.id()))).contains(r);
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey("key-2"))).isEmpty();
        }

        @Test
        @DisplayName("IDEMPOTENCY_KEY: another referral with the same non-empty idempotency key")
        void idempotencyKey() {
            Referral r = seedReferral();
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY,
                    t -> t.insertReferral(referral("ref-2", r.programId(), r.advocateId(), "key-1")));
            assertThat(tx((StoreTransaction t) -> t.referral(ReferralId.of("ref-2")))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey("key-1"))).contains(r);
        }

        @Test
        @DisplayName("referrals without an idempotency key never collide, and keys differing in case are different")
        void emptyAndCaseDistinctKeys() {
            Referral r = seedReferral();
            Referral none1 = referral("ref-2", r.programId(), r.advocateId(), "");
            Referral none2 = referral("ref-3", r.programId(), r.advocateId(), "");
            Referral upper = referral("ref-4", r.programId(), r.advocateId(), "KEY-1");
            write(t -> {
                t.insertReferral(none1);
                t.insertReferral(none2);
                t.insertReferral(upper);
            });
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey("KEY-1"))).contains(upper);
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey("key-1"))).contains(r);
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey(""))).isEmpty();
        }

        @Test
        @DisplayName("TIMELINE_ENTRY: a second entry with the same referral and sequence")
        void timelineEntry() {
            Referral r = seedReferral();
            TimelineEntry first = entry(r.id(), 1, Stage.SUBMITTED, Stage.CONTACTED);
            write(t -> t.appendTimelineEntry(first));
            assertDuplicate(store, UniqueKey.TIMELINE_ENTRY,
                    t -> t.appendTimelineEntry(entry(r.id(), 1, Stage.SUBMITTED, Stage.LOST)));
            assertThat(tx((StoreTransaction t) -> t.timeline(r.id()))).containsExactly(first);
            TimelineEntry otherReferral = entry(ReferralId.of("ref-9"), 1, Stage.SUBMITTED, Stage.LOST);
            write(t -> t.appendTimelineEntry(otherReferral));
            assertThat(tx((StoreTransaction t) -> t.timeline(ReferralId.of("ref-9")))).containsExactly(otherReferral);
        }

        @Test
        @DisplayName("EVENT: a second event with a known event id")
        void eventId() {
            ReferralEvent ev = event("ev-1", "s:1", 1, T0);
            write(t -> t.appendEvent(ev, true, T0));
            assertDuplicate(store, UniqueKey.EVENT, t -> t.appendEvent(event("ev-1", "s:2", 1, T0), true, T0));
            assertThat(tx((StoreTransaction t) -> t.events("s:2"))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.events("s:1"))).extracting(OutboxEntry::event).containsExactly(ev);
        }

        @Test
        @DisplayName("EVENT: a second event with a known stream and sequence")
        void eventStreamSequence() {
            ReferralEvent ev = event("ev-1", "s:1", 1, T0);
            write(t -> t.appendEvent(ev, false, T0));
            assertDuplicate(store, UniqueKey.EVENT, t -> t.appendEvent(event("ev-2", "s:1", 1, T0), true, T0));
            assertThat(tx((StoreTransaction t) -> t.events("s:1"))).extracting(OutboxEntry::event).containsExactly(ev);
            assertThat(tx((StoreTransaction t) -> t.claimDueEvents(at(60), 10, at(61)))).isEmpty();
        }

        @Test
        @DisplayName("REWARD: a second reward with a known id")
        void rewardId() {
            Reward rw = reward("rwd-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), ReferralId.of("ref-1"),
                    "stage:won");
            write(t -> t.insertReward(rw));
            Reward sameId = reward("rwd-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), ReferralId.of("ref-1"),
                    "stage:qualified");
            assertDuplicate(store, UniqueKey.REWARD, t -> t.insertReward(sameId));
            assertThat(tx((StoreTransaction t) -> t.reward(rw.id()))).contains(rw);
            assertThat(tx((StoreTransaction t) -> t.rewardByDedupeKey(sameId.dedupeKey()))).isEmpty();
        }

        @Test
        @DisplayName("REWARD: a second reward with a known dedupe key, which makes rewards exactly-once")
        void rewardDedupeKey() {
            Reward rw = reward("rwd-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), ReferralId.of("ref-1"),
                    "stage:won");
            write(t -> t.insertReward(rw));
            Reward again = reward("rwd-2", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), ReferralId.of("ref-1"),
                    "stage:won");
            assertThat(again.dedupeKey()).isEqualTo(rw.dedupeKey());
            assertDuplicate(store, UniqueKey.REWARD, t -> t.insertReward(again));
            assertThat(tx((StoreTransaction t) -> t.reward(again.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.rewardsOfAdvocate(rw.advocateId()))).containsExactly(rw);
        }

        @Test
        @DisplayName("LEDGER_ENTRY: a second entry with a known id")
        void ledgerEntryId() {
            AdvocateId a = AdvocateId.of("adv-1");
            write(t -> t.appendLedgerEntry(earn("led-1", a, 100)));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY,
                    t -> t.appendLedgerEntry(ledger("led-1", a, LedgerEntry.Kind.EARNED, 5, "other-key", T0)));
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isEqualTo(100);
        }

        @Test
        @DisplayName("LEDGER_ENTRY: an idempotency key already used in the advocate's ledger; other ledgers may reuse it")
        void ledgerIdempotencyKey() {
            AdvocateId a = AdvocateId.of("adv-1");
            AdvocateId b = AdvocateId.of("adv-2");
            write(t -> t.appendLedgerEntry(ledger("led-1", a, LedgerEntry.Kind.EARNED, 100, "reward:1", T0)));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY,
                    t -> t.appendLedgerEntry(ledger("led-2", a, LedgerEntry.Kind.EARNED, 100, "reward:1", T0)));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY,
                    t -> t.appendLedgerEntry(ledger("led-3", a, LedgerEntry.Kind.REDEEMED, -10, "reward:1", T0)));
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isEqualTo(100);
            assertThat(tx((StoreTransaction t) -> t.ledger(a))).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.appendLedgerEntry(
                    ledger("led-4", b, LedgerEntry.Kind.EARNED, 7, "reward:1", T0)))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(b))).isEqualTo(7);
        }
    }

    // ==== conditional updates ======================================================================================

    @Nested
    @DisplayName("Conditional updates: written only when the stored version is one less, otherwise false and nothing "
            + "written")
    class ConditionalUpdates {

        private <V> void assertVersioned(V v1, UnaryOperator<V> next, BiConsumerTx<V> insert,
                BiPredicate<StoreTransaction, V> update, BiFunction<StoreTransaction, V, Optional<V>> read) {
            V v2 = next.apply(v1);
            V v3 = next.apply(v2);
            write(t -> insert.accept(t, v1));
            assertThat(tx((StoreTransaction t) -> update.test(t, v3))).as("skipping a version").isFalse();
            assertThat(tx((StoreTransaction t) -> read.apply(t, v1))).contains(v1);
            assertThat(tx((StoreTransaction t) -> update.test(t, v1))).as("the same version again").isFalse();
            assertThat(tx((StoreTransaction t) -> read.apply(t, v1))).contains(v1);
            assertThat(tx((StoreTransaction t) -> update.test(t, v2))).as("the next version").isTrue();
            assertThat(tx((StoreTransaction t) -> read.apply(t, v1))).contains(v2);
            assertThat(tx((StoreTransaction t) -> update.test(t, v2))).as("a stale writer of the same version").isFalse();
            assertThat(tx((StoreTransaction t) -> read.apply(t, v1))).contains(v2);
            assertThat(tx((StoreTransaction t) -> update.test(t, v3))).as("the version after").isTrue();
            assertThat(tx((StoreTransaction t) -> read.apply(t, v1))).contains(v3);
        }

        @Test
        @DisplayName("programs")
        void programs() {
            assertVersioned(program("prog-1"), p -> p.withStatus(p.status() == ProgramStatus.ACTIVE
                            ? ProgramStatus.PAUSED : ProgramStatus.ACTIVE).nextVersion(),
                    StoreTransaction::insertProgram, StoreTransaction::updateProgram, (t, p) -> t.program(p.id()));
        }

        @Test
        @DisplayName("advocates")
        void advocates() {
            assertVersioned(advocate("adv-1", "ext-1"), a -> renamed(a, "Jane v" + (a.version() + 1)),
                    StoreTransaction::insertAdvocate, StoreTransaction::updateAdvocate, (t, a) -> t.advocate(a.id()));
        }

        @Test
        @DisplayName("referrals, also as seen through their idempotency key")
        void referrals() {
            Referral r = referral("ref-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "key-1");
            assertVersioned(r, x -> noted(x, "note v" + (x.version() + 1)), StoreTransaction::insertReferral,
                    StoreTransaction::updateReferral, (t, x) -> t.referral(x.id()));
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey("key-1"))).map(Referral::version).contains(3L);
        }

        @Test
        @DisplayName("rewards, also as seen through their dedupe key")
        void rewards() {
            Reward rw = reward("rwd-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), ReferralId.of("ref-1"),
                    "stage:won");
            assertVersioned(rw, x -> x.withStatus(x.status() == RewardStatus.PENDING ? RewardStatus.APPROVED
                            : RewardStatus.FULFILLED, x.updatedAt().plusSeconds(60)),
                    StoreTransaction::insertReward, StoreTransaction::updateReward, (t, x) -> t.reward(x.id()));
            assertThat(tx((StoreTransaction t) -> t.rewardByDedupeKey(rw.dedupeKey()))).map(Reward::status)
                    .contains(RewardStatus.FULFILLED);
        }

        @Test
        @DisplayName("updating what does not exist returns false and creates nothing")
        void unknownRowsAreNotCreated() {
            Program p = program("prog-1").nextVersion();
            Advocate a = renamed(advocate("adv-1", "ext-1"), "x");
            Referral r = noted(referral("ref-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "key-1"), "x");
            Reward rw = reward("rwd-1", p.id(), a.id(), r.id(), "stage:won").withStatus(RewardStatus.APPROVED, T0);
            ReferralCode c = code("JANE-ACME", a.id(), p.id(), T0);
            tx(t -> {
                assertThat(t.updateProgram(p)).isFalse();
                assertThat(t.updateAdvocate(a)).isFalse();
                assertThat(t.updateReferral(r)).isFalse();
                assertThat(t.updateReward(rw)).isFalse();
                assertThat(t.updateCode(c, c.revoke(at(1)))).isFalse();
                return null;
            });
            tx(t -> {
                assertThat(t.program(p.id())).isEmpty();
                assertThat(t.advocate(a.id())).isEmpty();
                assertThat(t.advocateByExternalId("ext-1")).isEmpty();
                assertThat(t.referral(r.id())).isEmpty();
                assertThat(t.referralByIdempotencyKey("key-1")).isEmpty();
                assertThat(t.reward(rw.id())).isEmpty();
                assertThat(t.code(c.key())).isEmpty();
                return null;
            });
        }

        @Test
        @DisplayName("codes: replaced only while the stored status and status time equal the expected ones")
        void codes() {
            ReferralCode c = code("JANE-ACME", AdvocateId.of("adv-1"), ProgramId.of("prog-1"), T0);
            write(t -> t.insertCode(c));
            ReferralCode staleTime = new ReferralCode(c.code(), c.advocateId(), c.programId(), c.vanity(),
                    CodeStatus.ACTIVE, c.issuedAt(), at(1));
            assertThat(tx((StoreTransaction t) -> t.updateCode(staleTime, staleTime.revoke(at(2))))).isFalse();
            ReferralCode staleStatus = c.revoke(T0);
            assertThat(tx((StoreTransaction t) -> t.updateCode(staleStatus, staleStatus.revoke(at(2))))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.code(c.key()))).contains(c);
            ReferralCode revoked = c.revoke(at(3));
            assertThat(tx((StoreTransaction t) -> t.updateCode(c, revoked))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.code(c.key()))).contains(revoked);
            assertThat(tx((StoreTransaction t) -> t.updateCode(c, c.revoke(at(4))))).as("a stale revoker").isFalse();
            assertThat(tx((StoreTransaction t) -> t.code(c.key()))).contains(revoked);
            assertThat(tx((StoreTransaction t) -> t.codes(c.advocateId()))).containsExactly(revoked);
        }
    }

    /** An insert taking a transaction and a value. */
    @FunctionalInterface
    interface BiConsumerTx<V> {
        void accept(StoreTransaction t, V value);
    }

    // ==== round trips ==============================================================================================

    @Nested
    @DisplayName("Round trips: values read back are equal to the values written")
    class RoundTrips {

        @Test
        @DisplayName("programs: the default pipeline and CRM mapping, open schedule ends, every kind and status")
        void defaultPrograms() {
            List<Program> all = new ArrayList<>();
            int i = 0;
            for (ProgramKind kind : ProgramKind.values()) {
                for (ProgramStatus status : ProgramStatus.values()) {
                    i++;
                    Schedule schedule = switch (i % 4) {
                        case 0 -> Schedule.ALWAYS;
                        case 1 -> Schedule.from(at(i));
                        case 2 -> Schedule.until(at(i));
                        default -> Schedule.between(at(-i), at(i));
                    };
                    all.add(Program.builder(ProgramId.of(String.format("prog-%02d", i)), "Program " + i, kind)
                            .status(status).schedule(schedule).build());
                }
            }
            write(t -> all.forEach(t::insertProgram));
            assertThat(tx((StoreTransaction t) -> t.programs())).containsExactlyElementsOf(all);
            for (Program p : all) {
                Program back = tx(t -> t.program(p.id())).orElseThrow();
                assertThat(back).isEqualTo(p);
                assertThat(back.schedule().start()).isEqualTo(p.schedule().start());
                assertThat(back.schedule().end()).isEqualTo(p.schedule().end());
                assertThat(back.crmMapping().resolve("Closed Won")).contains(Stage.WON);
            }
        }

        @Test
        @DisplayName("programs: a custom pipeline with loops, several terminal outcomes and its own CRM mapping")
        void customProgramRoundTrip() {
            Program p = customProgram("prog-custom");
            StagePipeline linear = StagePipeline.builder().stage("a").terminal("z", Outcome.REJECTED)
                    .transition("a", "z").build();
            Program q = Program.builder(ProgramId.of("prog-linear"), "Linear", ProgramKind.AMBASSADOR)
                    .pipeline(linear).crmMapping(CrmStageMapping.none()).build();
            write(t -> {
                t.insertProgram(p);
                t.insertProgram(q);
            });
            Program back = tx(t -> t.program(p.id())).orElseThrow();
            assertThat(back).isEqualTo(p);
            assertThat(back.pipeline().stages()).isEqualTo(p.pipeline().stages());
            assertThat(back.pipeline().initial()).isEqualTo(Stage.of("fresh"));
            assertThat(back.pipeline().allows(Stage.of("waiting"), Stage.of("working"))).isTrue();
            assertThat(back.pipeline().outcome(Stage.of("dropped"))).contains(Outcome.LOST);
            assertThat(back.crmMapping().resolve("on-hold")).contains(Stage.of("waiting"));
            assertThat(back.schedule()).isEqualTo(p.schedule());
            assertThat(tx((StoreTransaction t) -> t.program(q.id()))).contains(q);
            Program changed = p.withStatus(ProgramStatus.ENDED).nextVersion();
            assertThat(tx((StoreTransaction t) -> t.updateProgram(changed))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.program(p.id()))).contains(changed);
        }

        @Test
        @DisplayName("advocates: every field, unicode text, empty optional fields, opted out")
        void advocates() {
            Advocate full = advocate("adv-1", "ext-1");
            Advocate minimal = minimalAdvocate("adv-2", "ext-2");
            List<Advocate> kinds = new ArrayList<>();
            for (AdvocateKind kind : AdvocateKind.values()) {
                kinds.add(new Advocate(AdvocateId.of("adv-k-" + kind.ordinal()), "ext-k-" + kind.ordinal(), "K",
                        "k@example.com", kind, "", "", "", Set.of("s"), Map.of("k", ""), true, at(2), 7));
            }
            write(t -> {
                t.insertAdvocate(full);
                t.insertAdvocate(minimal);
                kinds.forEach(t::insertAdvocate);
            });
            assertThat(tx((StoreTransaction t) -> t.advocate(full.id()))).contains(full);
            assertThat(tx((StoreTransaction t) -> t.advocateByExternalId("ext-2"))).contains(minimal);
            for (Advocate a : kinds) {
                assertThat(tx((StoreTransaction t) -> t.advocate(a.id()))).contains(a);
            }
            Advocate out = full.optOut();
            assertThat(tx((StoreTransaction t) -> t.updateAdvocate(out))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.advocateByExternalId("ext-1"))).contains(out);
        }

        @Test
        @DisplayName("enrolments and codes, generated and vanity, active and revoked")
        void enrolmentsAndCodes() {
            AdvocateId a = AdvocateId.of("adv-1");
            Enrolment e = new Enrolment(a, ProgramId.of("prog-1"), at(3));
            ReferralCode generated = new ReferralCode("K7M9P2XQ4RT8WZ", a, ProgramId.of("prog-1"), false,
                    CodeStatus.ACTIVE, at(1), at(1));
            ReferralCode revoked = code("jane acme 2", a, ProgramId.of("prog-1"), at(2)).revoke(at(4));
            write(t -> {
                t.insertEnrolment(e);
                t.insertCode(generated);
                t.insertCode(revoked);
            });
            assertThat(tx((StoreTransaction t) -> t.enrolment(a, e.programId()))).contains(e);
            assertThat(tx((StoreTransaction t) -> t.code("K7M9P2XQ4RT8WZ"))).contains(generated);
            ReferralCode back = tx(t -> t.code("JANEACME2")).orElseThrow();
            assertThat(back).isEqualTo(revoked);
            assertThat(back.code()).as("the code as issued, for display").isEqualTo("jane acme 2");
        }

        @Test
        @DisplayName("referrals: a full prospect with attributes, every channel, consent basis, seniority and review")
        void referrals() {
            List<Referral> all = new ArrayList<>();
            int i = 0;
            for (Channel ch : Channel.values()) {
                for (ConsentBasis consent : ConsentBasis.values()) {
                    i++;
                    Seniority seniority = Seniority.values()[i % Seniority.values().length];
                    ReviewStatus review = ReviewStatus.values()[i % ReviewStatus.values().length];
                    Prospect p = new Prospect("Name " + i, "p" + i + "@example.com", "Company " + i, "",
                            "", seniority, "", "", i % 2 == 0 ? Map.of() : Map.of("i", Integer.toString(i)));
                    all.add(referralBuilder(String.format("ref-%03d", i), ProgramId.of("prog-1"),
                            AdvocateId.of("adv-1")).prospect(p).channel(ch).consent(consent).review(review)
                            .salesRep(ch == Channel.SALES_REP ? "rep-1" : "").code(i % 3 == 0 ? "" : "JANE-ACME")
                            .note(i % 2 == 0 ? "" : "x".repeat(2000)).idempotencyKey(i % 2 == 0 ? "" : "k" + i)
                            .fingerprint(i % 5 == 0 ? "" : "f" + i).build());
                }
            }
            Referral full = referral("ref-full", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "key-full");
            write(t -> {
                all.forEach(t::insertReferral);
                t.insertReferral(full);
            });
            for (Referral r : all) {
                assertThat(tx((StoreTransaction t) -> t.referral(r.id()))).contains(r);
            }
            Referral back = tx(t -> t.referral(full.id())).orElseThrow();
            assertThat(back).isEqualTo(full);
            assertThat(back.prospect()).isEqualTo(full.prospect());
            assertThat(back.prospect().attributes()).isEqualTo(full.prospect().attributes());
            assertThat(back.outcome()).isEmpty();
            assertThat(back.dealValue()).isEmpty();
        }

        @Test
        @DisplayName("referrals: an outcome and a deal value, in currencies with 0, 2 and 3 decimals")
        void referralOutcomeAndMoney() {
            List<Money> amounts = List.of(Money.of("125000.50", "EUR"), Money.of("1000", "JPY"),
                    Money.of("0.125", "BHD"), Money.of("99999999999.99", "USD"), Money.of("0.01", "CHF"),
                    Money.of("42", "EUR"), Money.of("-15.30", "GBP"));
            List<Referral> all = new ArrayList<>();
            Outcome[] outcomes = Outcome.values();
            for (int i = 0; i < amounts.size(); i++) {
                Outcome o = outcomes[i % outcomes.length];
                all.add(referralBuilder("ref-" + i, ProgramId.of("prog-1"), AdvocateId.of("adv-1"))
                        .stage(Stage.of(o.name().toLowerCase(java.util.Locale.ROOT))).outcome(o)
                        .dealValue(amounts.get(i)).timelineLength(i + 1).version(i + 2).updatedAt(at(i)).build());
            }
            write(t -> all.forEach(t::insertReferral));
            for (Referral r : all) {
                Referral back = tx(t -> t.referral(r.id())).orElseThrow();
                assertThat(back).isEqualTo(r);
                assertThat(back.dealValue()).isEqualTo(r.dealValue());
                assertThat(back.outcome()).isEqualTo(r.outcome());
                assertThat(back.dealValue().orElseThrow().currency())
                        .isEqualTo(r.dealValue().orElseThrow().currency());
            }
        }

        @Test
        @DisplayName("timeline entries: every cause kind, reasons and external references")
        void timelineEntries() {
            ReferralId r = ReferralId.of("ref-1");
            List<TimelineEntry> all = new ArrayList<>();
            int seq = 0;
            for (TransitionCause.Kind kind : TransitionCause.Kind.values()) {
                seq++;
                all.add(new TimelineEntry(r, seq, Stage.of("s" + seq), Stage.of("s" + (seq + 1)), at(seq),
                        new TransitionCause(kind, seq % 2 == 0 ? "" : "actor-" + seq),
                        seq % 2 == 0 ? "" : "Demo held \u2713", seq % 2 == 0 ? "" : "006Dn00000" + seq));
            }
            write(t -> all.forEach(t::appendTimelineEntry));
            assertThat(tx((StoreTransaction t) -> t.timeline(r))).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("rewards: every incentive kind, source kind, beneficiary and status, with explanations")
        void rewards() {
            List<Reward> all = new ArrayList<>();
            List<Incentive> incentives = Fixtures.everyIncentive();
            RewardSource.Kind[] sources = RewardSource.Kind.values();
            RewardStatus[] statuses = RewardStatus.values();
            for (int i = 0; i < incentives.size(); i++) {
                RewardSource source = new RewardSource(sources[i % sources.length], "src-" + i);
                Reward base = reward(String.format("rwd-%02d", i), ProgramId.of("prog-1"), AdvocateId.of("adv-1"),
                        source, "milestone:" + i, incentives.get(i), statuses[i % statuses.length], at(i), at(i + 60));
                all.add(new Reward(base.id(), base.programId(), base.advocateId(),
                        i % 2 == 0 ? Beneficiary.ADVOCATE : Beneficiary.REFERRED_PARTY, base.source(), base.ruleId(),
                        base.ruleVersion(), base.milestone(), base.incentive(), base.status(), base.createdAt(),
                        base.holdUntil(), base.updatedAt(), i % 3 == 0 ? List.of() : base.explanation(),
                        base.version()));
            }
            write(t -> all.forEach(t::insertReward));
            for (Reward r : all) {
                assertThat(tx((StoreTransaction t) -> t.reward(r.id()))).contains(r);
                assertThat(tx((StoreTransaction t) -> t.rewardByDedupeKey(r.dedupeKey()))).contains(r);
            }
            assertThat(tx((StoreTransaction t) -> t.rewardsOfAdvocate(AdvocateId.of("adv-1")))).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("ledger entries of every kind")
        void ledgerEntries() {
            AdvocateId a = AdvocateId.of("adv-1");
            List<LedgerEntry> all = List.of(
                    ledger("led-1", a, LedgerEntry.Kind.EARNED, 1000, "k1", at(1)),
                    ledger("led-2", a, LedgerEntry.Kind.REDEEMED, -300, "k2", at(2)),
                    ledger("led-3", a, LedgerEntry.Kind.EXPIRED, -100, "k3", at(3)),
                    ledger("led-4", a, LedgerEntry.Kind.REVERSED, -50, "k4", at(4)),
                    ledger("led-5", a, LedgerEntry.Kind.ADJUSTED, 25, "k5", at(5)),
                    new LedgerEntry(LedgerEntryId.of("led-6"), a, LedgerEntry.Kind.ADJUSTED, -5, "rwd-9", "k6",
                            at(6), ""));
            write(t -> all.forEach(e -> assertThat(t.appendLedgerEntry(e)).isTrue()));
            assertThat(tx((StoreTransaction t) -> t.ledger(a))).containsExactlyElementsOf(all);
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isEqualTo(570);
        }

        @Test
        @DisplayName("events of every type, with their delivery state")
        void events() {
            List<ReferralEvent> all = Fixtures.everyEvent("ev", "s:all");
            write(t -> all.forEach(e -> t.appendEvent(e, false, e.metadata().occurredAt())));
            List<OutboxEntry> back = tx(t -> t.events("s:all"));
            assertThat(back).extracting(OutboxEntry::event).containsExactlyElementsOf(all);
            assertThat(back).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.DELIVERED);
                assertThat(e.attempts()).isZero();
                assertThat(e.lastError()).isEmpty();
            });
            List<ReferralEvent> pending = Fixtures.everyEvent("pe", "s:pending");
            write(t -> pending.forEach(e -> t.appendEvent(e, true, T0)));
            assertThat(tx((StoreTransaction t) -> t.events("s:pending"))).extracting(OutboxEntry::event)
                    .containsExactlyElementsOf(pending);
            assertThat(tx((StoreTransaction t) -> t.events("s:pending"))).allSatisfy(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.nextAttemptAt()).isEqualTo(T0);
            });
        }
    }

    // ==== lookups and orderings ====================================================================================

    @Nested
    @DisplayName("Lookups and list orderings")
    class LookupsAndOrderings {

        @Test
        @DisplayName("lookups of what does not exist are empty, lists are empty, balances and counters zero")
        void emptyLookups() {
            tx(t -> {
                assertThat(t.program(ProgramId.of("x"))).isEmpty();
                assertThat(t.programs()).isEmpty();
                assertThat(t.advocate(AdvocateId.of("x"))).isEmpty();
                assertThat(t.advocateByExternalId("x")).isEmpty();
                assertThat(t.enrolment(AdvocateId.of("x"), ProgramId.of("x"))).isEmpty();
                assertThat(t.enrolments(AdvocateId.of("x"))).isEmpty();
                assertThat(t.code("QQQQ")).isEmpty();
                assertThat(t.codes(AdvocateId.of("x"))).isEmpty();
                assertThat(t.referral(ReferralId.of("x"))).isEmpty();
                assertThat(t.referralByIdempotencyKey("x")).isEmpty();
                assertThat(t.referrals(ReferralQuery.builder().build())).isEmpty();
                assertThat(t.timeline(ReferralId.of("x"))).isEmpty();
                assertThat(t.events("x")).isEmpty();
                assertThat(t.claimDueEvents(Instant.MAX, 10, Instant.MAX)).isEmpty();
                assertThat(t.parkedEvents(10)).isEmpty();
                assertThat(t.markEventDelivered(EventId.of("x"))).isFalse();
                assertThat(t.markEventFailed(EventId.of("x"), "e", T0, false)).isFalse();
                assertThat(t.requeueEvent(EventId.of("x"), T0)).isFalse();
                assertThat(t.reward(RewardId.of("x"))).isEmpty();
                assertThat(t.rewardByDedupeKey("x")).isEmpty();
                assertThat(t.rewardsOfReferral(ReferralId.of("x"))).isEmpty();
                assertThat(t.rewardsOfAdvocate(AdvocateId.of("x"))).isEmpty();
                assertThat(t.rewardsDue(RewardStatus.PENDING, Instant.MAX, 10)).isEmpty();
                assertThat(t.ledger(AdvocateId.of("x"))).isEmpty();
                assertThat(t.pointsBalance(AdvocateId.of("x"))).isZero();
                assertThat(t.counter("x")).isZero();
                return null;
            });
        }

        @Test
        @DisplayName("programs are ordered by id")
        void programsById() {
            write(t -> List.of("prog-c", "prog-a", "prog-b").forEach(id -> t.insertProgram(program(id))));
            assertThat(tx((StoreTransaction t) -> t.programs())).extracting(p -> p.id().value())
                    .containsExactly("prog-a", "prog-b", "prog-c");
        }

        @Test
        @DisplayName("an advocate's enrolments are ordered by program id")
        void enrolmentsByProgram() {
            AdvocateId a = AdvocateId.of("adv-1");
            write(t -> {
                for (String p : List.of("prog-c", "prog-a", "prog-b")) {
                    t.insertEnrolment(new Enrolment(a, ProgramId.of(p), at(p.charAt(5))));
                }
                t.insertEnrolment(new Enrolment(AdvocateId.of("adv-2"), ProgramId.of("prog-a"), T0));
            });
            assertThat(tx((StoreTransaction t) -> t.enrolments(a))).extracting(e -> e.programId().value())
                    .containsExactly("prog-a", "prog-b", "prog-c");
        }

        @Test
        @DisplayName("an advocate's codes are ordered by issue time, then key; codes look up by key only")
        void codesByIssueTime() {
            AdvocateId a = AdvocateId.of("adv-1");
            ProgramId p = ProgramId.of("prog-1");
            write(t -> {
                t.insertCode(code("ZZZZ-LATE", a, p, at(10)));
                t.insertCode(code("BBBB", a, p, at(5)));
                t.insertCode(code("AAAA", a, p, at(5)));
                t.insertCode(code("CCCC-EARLY", a, p, at(1)));
                t.insertCode(code("OTHER", AdvocateId.of("adv-2"), p, at(0)));
            });
            assertThat(tx((StoreTransaction t) -> t.codes(a))).extracting(ReferralCode::code)
                    .containsExactly("CCCC-EARLY", "AAAA", "BBBB", "ZZZZ-LATE");
            assertThat(tx((StoreTransaction t) -> t.code("CCCCEARLY"))).isPresent();
            assertThat(tx((StoreTransaction t) -> t.code("cccc-early"))).as("the caller normalises, the store matches exactly")
                    .isEmpty();
        }

        @Test
        @DisplayName("a timeline is ordered by sequence, whatever the order of appends")
        void timelineBySequence() {
            ReferralId r = ReferralId.of("ref-1");
            TimelineEntry e1 = entry(r, 1, Stage.SUBMITTED, Stage.CONTACTED);
            TimelineEntry e2 = entry(r, 2, Stage.CONTACTED, Stage.QUALIFIED);
            TimelineEntry e3 = entry(r, 3, Stage.QUALIFIED, Stage.WON);
            write(t -> {
                t.appendTimelineEntry(e2);
                t.appendTimelineEntry(e3);
            });
            write(t -> t.appendTimelineEntry(e1));
            write(t -> t.appendTimelineEntry(entry(ReferralId.of("ref-2"), 1, Stage.SUBMITTED, Stage.LOST)));
            assertThat(tx((StoreTransaction t) -> t.timeline(r))).containsExactly(e1, e2, e3);
        }

        @Test
        @DisplayName("a stream's events are ordered by sequence")
        void eventsBySequence() {
            ReferralEvent e1 = event("ev-1", "s:1", 1, at(1));
            ReferralEvent e2 = event("ev-2", "s:1", 2, at(2));
            ReferralEvent e10 = event("ev-10", "s:1", 10, at(3));
            write(t -> {
                t.appendEvent(e10, false, T0);
                t.appendEvent(e1, false, T0);
                t.appendEvent(event("ev-x", "s:2", 1, at(1)), false, T0);
            });
            write(t -> t.appendEvent(e2, false, T0));
            assertThat(tx((StoreTransaction t) -> t.events("s:1"))).extracting(OutboxEntry::event).containsExactly(e1, e2, e10);
        }

        @Test
        @DisplayName("rewards of a referral and of an advocate are ordered by creation time, then id")
        void rewardsByCreation() {
            ProgramId p = ProgramId.of("prog-1");
            AdvocateId a = AdvocateId.of("adv-1");
            ReferralId r = ReferralId.of("ref-1");
            Reward late = reward("rwd-a", p, a, RewardSource.referral(r), "m1", new Incentive.Points(1),
                    RewardStatus.PENDING, at(10), at(10));
            Reward earlyB = reward("rwd-b", p, a, RewardSource.referral(r), "m2", new Incentive.Points(1),
                    RewardStatus.PENDING, at(1), at(1));
            Reward earlyA = reward("rwd-aa", p, a, RewardSource.referral(r), "m3", new Incentive.Points(1),
                    RewardStatus.PENDING, at(1), at(1));
            Reward contest = reward("rwd-c", p, a, new RewardSource(RewardSource.Kind.CONTEST, r.value()), "m4",
                    new Incentive.Points(1), RewardStatus.PENDING, at(0), at(0));
            Reward otherAdvocate = reward("rwd-d", p, AdvocateId.of("adv-2"), RewardSource.referral(r), "m5",
                    new Incentive.Points(1), RewardStatus.PENDING, at(2), at(2));
            write(t -> List.of(late, earlyB, earlyA, contest, otherAdvocate).forEach(t::insertReward));
            assertThat(tx((StoreTransaction t) -> t.rewardsOfReferral(r))).as("only rewards whose source is that referral")
                    .containsExactly(earlyA, earlyB, otherAdvocate, late);
            assertThat(tx((StoreTransaction t) -> t.rewardsOfAdvocate(a))).containsExactly(contest, earlyA, earlyB, late);
        }

        @Test
        @DisplayName("a ledger is ordered by time, then id")
        void ledgerByTime() {
            AdvocateId a = AdvocateId.of("adv-1");
            LedgerEntry l1 = ledger("led-b", a, LedgerEntry.Kind.EARNED, 10, "k1", at(5));
            LedgerEntry l2 = ledger("led-a", a, LedgerEntry.Kind.EARNED, 10, "k2", at(5));
            LedgerEntry l3 = ledger("led-c", a, LedgerEntry.Kind.EARNED, 10, "k3", at(1));
            write(t -> List.of(l1, l2, l3).forEach(t::appendLedgerEntry));
            assertThat(tx((StoreTransaction t) -> t.ledger(a))).containsExactly(l3, l2, l1);
        }
    }

    // ==== referral queries =========================================================================================

    @Nested
    @DisplayName("Referral queries")
    class ReferralQueries {
        private final ProgramId p1 = ProgramId.of("prog-1");
        private final ProgramId p2 = ProgramId.of("prog-2");
        private final AdvocateId a1 = AdvocateId.of("adv-1");
        private final AdvocateId a2 = AdvocateId.of("adv-2");

        private List<Referral> seed() {
            List<Referral> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                all.add(referralBuilder(String.format("ref-%02d", 11 - i), i % 2 == 0 ? p1 : p2, i % 3 == 0 ? a1 : a2)
                        .stage(i % 4 == 0 ? Stage.CONTACTED : Stage.SUBMITTED).build());
            }
            write(t -> all.forEach(t::insertReferral));
            all.sort(java.util.Comparator.comparing(r -> r.id().value()));
            return all;
        }

        private List<String> ids(ReferralQuery q) {
            return tx(t -> t.referrals(q)).stream().map(r -> r.id().value()).toList();
        }

        private static List<String> idsOf(List<Referral> rs) {
            return rs.stream().map(r -> r.id().value()).toList();
        }

        @Test
        @DisplayName("without filters, every referral ordered by id")
        void everything() {
            List<Referral> all = seed();
            assertThat(tx((StoreTransaction t) -> t.referrals(ReferralQuery.builder().build()))).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("filters by program, advocate and stage, alone and combined")
        void filters() {
            List<Referral> all = seed();
            assertThat(ids(ReferralQuery.builder().program(p1).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.programId().equals(p1)).toList()));
            assertThat(ids(ReferralQuery.builder().advocate(a1).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.advocateId().equals(a1)).toList()));
            assertThat(ids(ReferralQuery.builder().stage(Stage.CONTACTED).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.stage().equals(Stage.CONTACTED)).toList()));
            assertThat(ids(ReferralQuery.builder().program(p1).advocate(a1).stage(Stage.CONTACTED).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.programId().equals(p1) && r.advocateId().equals(a1)
                            && r.stage().equals(Stage.CONTACTED)).toList()))
                    .isNotEmpty();
            assertThat(ids(ReferralQuery.builder().program(ProgramId.of("prog-none")).build())).isEmpty();
        }

        @Test
        @DisplayName("pages follow the id cursor: no referral is skipped or repeated, filters apply to every page")
        void paging() {
            List<Referral> all = seed();
            for (ReferralQuery.Builder base : List.of(ReferralQuery.builder(), ReferralQuery.builder().program(p2))) {
                List<String> expected = idsOf(tx((StoreTransaction t) -> t.referrals(base.limit(10_000).build())));
                List<String> seen = new ArrayList<>();
                Optional<ReferralId> cursor = Optional.empty();
                for (int page = 0; page < 20; page++) {
                    ReferralQuery.Builder b = ReferralQuery.builder().limit(5);
                    if (base.build().programId().isPresent()) {
                        b.program(p2);
                    }
                    cursor.ifPresent(b::after);
                    List<Referral> got = tx(t -> t.referrals(b.build()));
                    assertThat(got.size()).isLessThanOrEqualTo(5);
                    if (got.isEmpty()) {
                        break;
                    }
                    got.forEach(r -> seen.add(r.id().value()));
                    cursor = Optional.of(got.get(got.size() - 1).id());
                }
                assertThat(seen).isEqualTo(expected);
            }
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("ref-05")).limit(3).build()))
                    .containsExactly("ref-06", "ref-07", "ref-08");
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("ref-055")).limit(2).build()))
                    .as("a cursor that is not a stored id").containsExactly("ref-06", "ref-07");
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("ref-11")).build())).isEmpty();
            assertThat(ids(ReferralQuery.builder().limit(1).build())).containsExactly(all.get(0).id().value());
        }

        @Test
        @DisplayName("ids order by String.compareTo: upper case before lower case, digits before letters")
        void binaryIdOrder() {
            List<String> ids = List.of("b-1", "B-2", "a-9", "R-1", "9-z", "r-0", "A-0");
            write(t -> ids.forEach(id -> t.insertReferral(referralBuilder(id, p1, a1).build())));
            List<String> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);
            assertThat(ids(ReferralQuery.builder().build())).isEqualTo(sorted);
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("R-1")).build()))
                    .isEqualTo(sorted.subList(sorted.indexOf("R-1") + 1, sorted.size()));
        }
    }

    // ==== sequences ================================================================================================

    @Nested
    @DisplayName("Event sequences")
    class Sequences {

        @Test
        @DisplayName("a new stream starts at 1 and each reservation is one more, independently per stream")
        void countsPerStream() {
            tx(t -> {
                assertThat(t.nextSequence("s:a")).isEqualTo(1);
                assertThat(t.nextSequence("s:a")).isEqualTo(2);
                assertThat(t.nextSequence("s:b")).isEqualTo(1);
                return null;
            });
            assertThat(tx((StoreTransaction t) -> t.nextSequence("s:a"))).isEqualTo(3);
            assertThat(tx((StoreTransaction t) -> t.nextSequence("s:b"))).isEqualTo(2);
        }

        @Test
        @DisplayName("a rolled-back reservation is handed out again, so committed sequences have no gaps")
        void rolledBackIsReused() {
            assertThat(tx((StoreTransaction t) -> t.nextSequence("s:a"))).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> store.inTransaction(t -> {
                    assertThat(t.nextSequence("s:a")).isEqualTo(2);
                    assertThat(t.nextSequence("s:a")).isEqualTo(3);
                    throw new WorkFailed();
                })).isInstanceOf(WorkFailed.class);
            }
            assertThat(tx((StoreTransaction t) -> t.nextSequence("s:a"))).isEqualTo(2);
        }

        @Test
        @DisplayName("a referral's stream starts at 1 with it; the transaction's reads see its writes so far")
        void referralStreamInOneTransaction() {
            Referral seeded = seedReferral();
            Referral r = referral("ref-2", seeded.programId(), seeded.advocateId(), "key-2");
            String stream = EventStreams.of(r.id());
            write(t -> {
                t.insertReferral(r);
                assertThat(t.nextSequence(stream)).isEqualTo(1);
                t.appendEvent(event("evt-1", stream, 1, T0), true, T0);
                assertThat(t.nextSequence(stream)).isEqualTo(2);
                t.appendEvent(event("evt-2", stream, 2, T0), true, T0);
                assertThat(t.referral(r.id())).contains(r);
                assertThat(t.events(stream)).extracting(e -> e.event().metadata().sequence()).containsExactly(1L, 2L);
                assertThat(t.nextSequence(stream)).isEqualTo(3);
                t.appendEvent(event("evt-3", stream, 3, T0), true, T0);
            });
            assertThat(tx((StoreTransaction t) -> t.events(stream))).extracting(e -> e.event().metadata().id().value())
                    .containsExactly("evt-1", "evt-2", "evt-3");
            assertThat(tx((StoreTransaction t) -> t.nextSequence(stream))).isEqualTo(4);
        }

        @Test
        @DisplayName("a clash among a transaction's writes fails it naming the key by its next read or write, and none"
                + " of its writes stays")
        void clashAmongWrites() {
            Referral seeded = seedReferral();
            Referral twin = referral("ref-2", seeded.programId(), seeded.advocateId(), "key-1");
            String stream = EventStreams.of(twin.id());
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> {
                t.insertReferral(twin);
                t.appendEvent(event("evt-1", stream, t.nextSequence(stream), T0), false, T0);
                t.appendEvent(event("evt-2", "s:other", t.nextSequence("s:other"), T0), false, T0);
            });
            assertThat(tx((StoreTransaction t) -> t.referral(twin.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.events(stream))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.events("s:other"))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.nextSequence(stream))).isEqualTo(1);
            assertThat(tx((StoreTransaction t) -> t.nextSequence("s:other"))).isEqualTo(1);

            // the clash surfaces by the next read or write at the latest, never after work that depends on it
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> {
                t.insertReferral(twin);
                t.appendEvent(event("evt-3", stream, t.nextSequence(stream), T0), false, T0);
                t.referral(seeded.id());
                throw new AssertionError("the read after a clashing write returned");
            });
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> {
                t.insertReferral(twin);
                t.updateReferral(seeded.toBuilder().version(seeded.version() + 1).build());
                throw new AssertionError("the write after a clashing write returned");
            });
            assertThat(tx((StoreTransaction t) -> t.referral(seeded.id()))).contains(seeded);
            assertThat(tx((StoreTransaction t) -> t.events(stream))).isEmpty();
        }
    }

    // ==== prospect keys ============================================================================================

    @Nested
    @DisplayName("Referrals by prospect keys")
    class ProspectKeys {

        private static final String ALICE = "a1ce";
        private static final String ACME = "ac3e";
        private static final String BOB = "b0b0";

        /** Stores referrals of one advocate in two programs, with their email and domain keys. */
        private void seed() {
            Program p1 = program("prog-1");
            Program p2 = program("prog-2");
            Advocate a = advocate("adv-1", "ext-1");
            write(t -> {
                t.insertProgram(p1);
                t.insertProgram(p2);
                t.insertAdvocate(a);
                t.insertEnrolment(new Enrolment(a.id(), p1.id(), T0));
                t.insertEnrolment(new Enrolment(a.id(), p2.id(), T0));
                t.insertReferral(keyed("ref-alice-late", p1, a, ALICE, ACME, 30));
                t.insertReferral(keyed("ref-acme-colleague", p2, a, "c0c0", ACME, 10));
                t.insertReferral(keyed("ref-alice-b", p2, a, ALICE, "", 20));
                t.insertReferral(keyed("ref-alice-a", p1, a, ALICE, "", 20));
                t.insertReferral(keyed("ref-bob", p1, a, BOB, "", 5));
                t.insertReferral(keyed("ref-other", p1, a, "d0d0", "e0e0", 1));
                t.insertReferral(keyed("ref-erased", p1, a, "", "", 0));
            });
        }

        private Referral keyed(String id, Program p, Advocate a, String emailKey, String domainKey, long minute) {
            return referralBuilder(id, p.id(), a.id()).idempotencyKey("key-" + id).prospectEmailKey(emailKey)
                    .prospectDomainKey(domainKey).submittedAt(at(minute)).updatedAt(at(minute)).build();
        }

        private List<String> ids(Set<String> keys, int limit) {
            return tx((StoreTransaction t) -> t.referralsByProspectKeys(keys, limit)).stream()
                    .map(r -> r.id().value()).toList();
        }

        @Test
        @DisplayName("one key matches the email key or the domain key, in any program, newest first")
        void oneKeyMatchesEitherColumn() {
            seed();
            assertThat(ids(Set.of(ACME), 100)).containsExactly("ref-alice-late", "ref-acme-colleague");
            assertThat(ids(Set.of(ALICE), 100)).containsExactly("ref-alice-late", "ref-alice-b", "ref-alice-a");
        }

        @Test
        @DisplayName("several keys return every referral matching any of them once, in one ordering")
        void severalKeysMergeWithoutDuplicates() {
            seed();
            assertThat(ids(Set.of(ALICE, ACME, BOB), 100)).containsExactly("ref-alice-late", "ref-alice-b",
                    "ref-alice-a", "ref-acme-colleague", "ref-bob");
        }

        @Test
        @DisplayName("the limit counts the referrals of all keys together and keeps the newest")
        void limitIsTotal() {
            seed();
            assertThat(ids(Set.of(ALICE, ACME, BOB), 3)).containsExactly("ref-alice-late", "ref-alice-b",
                    "ref-alice-a");
            assertThat(ids(Set.of(ALICE, BOB), 1)).containsExactly("ref-alice-late");
        }

        @Test
        @DisplayName("a referral whose keys change is found by its new keys only; rolled-back writes change nothing")
        void keysFollowUpdatesAndRollbacks() {
            seed();
            Referral bob = tx((StoreTransaction t) -> t.referral(ReferralId.of("ref-bob"))).orElseThrow();
            Referral moved = bob.toBuilder().prospectEmailKey("f0f0").version(bob.version() + 1).build();
            write(t -> assertThat(t.updateReferral(moved)).isTrue());
            assertThat(ids(Set.of(BOB), 100)).isEmpty();
            assertThat(ids(Set.of("f0f0"), 100)).containsExactly("ref-bob");

            Program p1 = program("prog-1");
            Advocate a = advocate("adv-1", "ext-1");
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.insertReferral(keyed("ref-bob-again", p1, a, BOB, ACME, 40));
                t.updateReferral(moved.toBuilder().prospectEmailKey(BOB).version(moved.version() + 1).build());
                assertThat(t.referralsByProspectKeys(Set.of(BOB), 100)).hasSize(2);
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(ids(Set.of(BOB), 100)).isEmpty();
            assertThat(ids(Set.of("f0f0"), 100)).containsExactly("ref-bob");
            assertThat(ids(Set.of(ACME), 100)).containsExactly("ref-alice-late", "ref-acme-colleague");
        }

        @Test
        @DisplayName("empty keys match nothing, not even referrals whose keys were erased; unknown keys match nothing")
        void emptyKeysMatchNothing() {
            seed();
            assertThat(ids(Set.of(), 100)).isEmpty();
            assertThat(ids(Set.of(""), 100)).isEmpty();
            assertThat(ids(Set.of("", BOB), 100)).containsExactly("ref-bob");
            assertThat(ids(Set.of("f0f0", "f1f1"), 100)).isEmpty();
        }

        @Test
        @DisplayName("a limit below 1 or more keys than the most accepted is a programmer error")
        void rejectsBadArguments() {
            Set<String> tooMany = new HashSet<>();
            for (int i = 0; i <= StoreTransaction.MAX_PROSPECT_KEYS; i++) {
                tooMany.add("k" + i);
            }
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.referralsByProspectKeys(Set.of(ALICE), 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.referralsByProspectKeys(tooMany, 10)))
                    .isInstanceOf(IllegalArgumentException.class);
            Set<String> most = new HashSet<>(tooMany);
            most.remove("k0");
            assertThat(ids(most, 10)).isEmpty();
        }
    }

    // ==== outbox ===================================================================================================

    @Nested
    @DisplayName("Events and the outbox")
    class Outbox {

        private ReferralEvent append(String id, String stream, long seq, boolean pending, Instant due) {
            ReferralEvent e = event(id, stream, seq, at(seq));
            write(t -> t.appendEvent(e, pending, due));
            return e;
        }

        private List<String> claim(Instant now, int limit, Instant lease) {
            return tx(t -> t.claimDueEvents(now, limit, lease)).stream()
                    .map(e -> e.event().metadata().id().value()).toList();
        }

        private OutboxEntry entryOf(String stream, int index) {
            return tx(t -> t.events(stream)).get(index);
        }

        @Test
        @DisplayName("an event stored as not pending is delivered and never claimed")
        void notPendingIsDelivered() {
            append("ev-1", "s:1", 1, false, T0);
            assertThat(entryOf("s:1", 0).status()).isEqualTo(OutboxStatus.DELIVERED);
            assertThat(claim(at(60), 10, at(61))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.markEventDelivered(EventId.of("ev-1")))).isFalse();
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
            List<OutboxEntry> claimed = tx(t -> t.claimDueEvents(T0, 10, at(5)));
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
                assertThat(t.claimDueEvents(T0, 10, at(5))).hasSize(1);
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(claim(T0, 10, at(5))).containsExactly("ev-1");
        }

        @Test
        @DisplayName("only the earliest pending event of a stream is claimable, so delivery per stream stays in order")
        void earliestPerStream() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:1", 2, true, T0);
            append("ev-3", "s:1", 3, true, T0);
            assertThat(claim(T0, 10, T0)).containsExactly("ev-1");
            assertThat(tx((StoreTransaction t) -> t.markEventDelivered(EventId.of("ev-1")))).isTrue();
            assertThat(claim(T0, 10, T0)).containsExactly("ev-2");
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-2"), "timeout", at(5), false))).isTrue();
            assertThat(claim(at(4), 10, T0)).as("a later event waits while an earlier one awaits its retry")
                    .isEmpty();
            assertThat(claim(at(5), 10, T0)).containsExactly("ev-2");
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
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-1"), "bad payload", at(1), true))).isTrue();
            assertThat(claim(at(60), 10, at(61))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.requeueEvent(EventId.of("ev-1"), at(61)))).isTrue();
            assertThat(claim(at(60), 10, at(62))).isEmpty();
            assertThat(claim(at(61), 10, at(62))).containsExactly("ev-1");
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
        @DisplayName("markEventDelivered delivers a pending event once; false when unknown, delivered or parked")
        void markDelivered() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:2", 1, true, T0);
            assertThat(tx((StoreTransaction t) -> t.markEventDelivered(EventId.of("ev-1")))).isTrue();
            assertThat(entryOf("s:1", 0).status()).isEqualTo(OutboxStatus.DELIVERED);
            assertThat(tx((StoreTransaction t) -> t.markEventDelivered(EventId.of("ev-1")))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-1"), "late", T0, false))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-2"), "x", T0, true))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.markEventDelivered(EventId.of("ev-2")))).isFalse();
            assertThat(entryOf("s:2", 0).status()).isEqualTo(OutboxStatus.PARKED);
            assertThat(claim(at(60), 10, at(61))).isEmpty();
        }

        @Test
        @DisplayName("markEventFailed counts the attempt, keeps the error and schedules the retry")
        void markFailed() {
            append("ev-1", "s:1", 1, true, T0);
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-1"), "HTTP 503", at(1), false))).isTrue();
            assertThat(entryOf("s:1", 0)).satisfies(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.lastError()).isEqualTo("HTTP 503");
                assertThat(e.nextAttemptAt()).isEqualTo(at(1));
            });
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-1"), "HTTP 502", at(3), false))).isTrue();
            assertThat(entryOf("s:1", 0)).satisfies(e -> {
                assertThat(e.attempts()).isEqualTo(2);
                assertThat(e.lastError()).isEqualTo("HTTP 502");
            });
            assertThat(claim(at(2), 10, at(9))).isEmpty();
            assertThat(claim(at(3), 10, at(9))).containsExactly("ev-1");
        }

        @Test
        @DisplayName("a parked event keeps its attempts and error, is listed as parked, and a requeue makes it due again")
        void parkAndRequeue() {
            append("ev-1", "s:1", 1, true, T0);
            tx(t -> t.markEventFailed(EventId.of("ev-1"), "first", at(1), false));
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-1"), "gave up", at(2), true))).isTrue();
            OutboxEntry parked = entryOf("s:1", 0);
            assertThat(parked.status()).isEqualTo(OutboxStatus.PARKED);
            assertThat(parked.attempts()).isEqualTo(2);
            assertThat(parked.lastError()).isEqualTo("gave up");
            assertThat(tx((StoreTransaction t) -> t.parkedEvents(10))).containsExactly(parked);
            assertThat(tx((StoreTransaction t) -> t.markEventFailed(EventId.of("ev-1"), "again", at(3), true))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.requeueEvent(EventId.of("ev-1"), at(30)))).isTrue();
            assertThat(entryOf("s:1", 0)).satisfies(e -> {
                assertThat(e.status()).isEqualTo(OutboxStatus.PENDING);
                assertThat(e.nextAttemptAt()).isEqualTo(at(30));
                assertThat(e.attempts()).isEqualTo(2);
            });
            assertThat(tx((StoreTransaction t) -> t.parkedEvents(10))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.requeueEvent(EventId.of("ev-1"), at(30)))).as("not parked any more").isFalse();
            assertThat(claim(at(30), 10, at(31))).containsExactly("ev-1");
        }

        @Test
        @DisplayName("requeueEvent is false for pending, delivered and unknown events")
        void requeueOnlyParked() {
            append("ev-1", "s:1", 1, true, T0);
            append("ev-2", "s:2", 1, false, T0);
            tx(t -> {
                assertThat(t.requeueEvent(EventId.of("ev-1"), at(9))).isFalse();
                assertThat(t.requeueEvent(EventId.of("ev-2"), at(9))).isFalse();
                assertThat(t.requeueEvent(EventId.of("ev-9"), at(9))).isFalse();
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
                tx(t -> t.markEventFailed(EventId.of("ev-" + i), "e" + i, T0, true));
            }
            assertThat(tx((StoreTransaction t) -> t.parkedEvents(10))).extracting(e -> e.event().metadata().id().value())
                    .containsExactly("ev-1", "ev-3", "ev-4");
            assertThat(tx((StoreTransaction t) -> t.parkedEvents(2))).extracting(e -> e.event().metadata().id().value())
                    .containsExactly("ev-1", "ev-3");
            assertThat(claim(T0, 10, T0)).containsExactly("ev-2");
        }
    }

    // ==== rewards ==================================================================================================

    @Nested
    @DisplayName("Rewards")
    class Rewards {

        @Test
        @DisplayName("a reward is found by its dedupe key")
        void byDedupeKey() {
            Reward rw = reward("rwd-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), ReferralId.of("ref-1"),
                    "stage:won");
            write(t -> t.insertReward(rw));
            assertThat(tx((StoreTransaction t) -> t.rewardByDedupeKey(rw.dedupeKey()))).contains(rw);
            assertThat(tx((StoreTransaction t) -> t.rewardByDedupeKey(rw.dedupeKey() + "x"))).isEmpty();
        }

        @Test
        @DisplayName("rewardsDue: the status asked for, holding period over by the due time (inclusive), oldest first, "
                + "at most the limit")
        void rewardsDue() {
            ProgramId p = ProgramId.of("prog-1");
            AdvocateId a = AdvocateId.of("adv-1");
            List<Reward> all = new ArrayList<>();
            int[] holds = {30, 10, 20, 40, 10};
            for (int i = 0; i < holds.length; i++) {
                all.add(reward("rwd-" + i, p, a, RewardSource.referral(ReferralId.of("ref-" + i)), "stage:won",
                        new Incentive.Points(10), RewardStatus.PENDING, T0, at(holds[i])));
            }
            Reward approved = reward("rwd-approved", p, a, RewardSource.referral(ReferralId.of("ref-x")), "m",
                    new Incentive.Points(10), RewardStatus.APPROVED, T0, at(5));
            write(t -> {
                all.forEach(t::insertReward);
                t.insertReward(approved);
            });
            assertThat(tx((StoreTransaction t) -> t.rewardsDue(RewardStatus.PENDING, at(30), 10))).extracting(r -> r.id().value())
                    .containsExactly("rwd-1", "rwd-4", "rwd-2", "rwd-0");
            assertThat(tx((StoreTransaction t) -> t.rewardsDue(RewardStatus.PENDING, at(30), 2))).extracting(r -> r.id().value())
                    .containsExactly("rwd-1", "rwd-4");
            assertThat(tx((StoreTransaction t) -> t.rewardsDue(RewardStatus.PENDING, at(9), 10))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.rewardsDue(RewardStatus.APPROVED, at(30), 10))).containsExactly(approved);
            Reward approvedNow = all.get(1).withStatus(RewardStatus.APPROVED, at(11));
            write(t -> assertThat(t.updateReward(approvedNow)).isTrue());
            assertThat(tx((StoreTransaction t) -> t.rewardsDue(RewardStatus.PENDING, at(10), 10))).extracting(r -> r.id().value())
                    .containsExactly("rwd-4");
            assertThat(tx((StoreTransaction t) -> t.rewardsDue(RewardStatus.APPROVED, at(30), 10))).containsExactly(approved,
                    approvedNow);
        }
    }

    // ==== ledger ===================================================================================================

    @Nested
    @DisplayName("Points ledger")
    class PointsLedger {
        private final AdvocateId a = AdvocateId.of("adv-1");

        @Test
        @DisplayName("the balance is the sum of the advocate's entries, per advocate")
        void balanceIsTheSum() {
            write(t -> {
                t.appendLedgerEntry(earn("l1", a, 300));
                t.appendLedgerEntry(earn("l2", a, 200));
                t.appendLedgerEntry(redeem("l3", a, 450));
                t.appendLedgerEntry(earn("l4", AdvocateId.of("adv-2"), 9));
            });
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isEqualTo(50)
                    .isEqualTo(tx(t -> t.ledger(a)).stream().mapToLong(LedgerEntry::points).sum());
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(AdvocateId.of("adv-2")))).isEqualTo(9);
        }

        @Test
        @DisplayName("an entry that would take the balance below zero is refused and writes nothing, key included")
        void neverNegative() {
            write(t -> t.appendLedgerEntry(earn("l1", a, 30)));
            LedgerEntry redeem = ledger("l2", a, LedgerEntry.Kind.REDEEMED, -50, "redeem:1", T0);
            assertThat(tx((StoreTransaction t) -> t.appendLedgerEntry(redeem))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.ledger(a))).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isEqualTo(30);
            assertThat(tx((StoreTransaction t) -> t.appendLedgerEntry(
                    ledger("l3", a, LedgerEntry.Kind.ADJUSTED, -31, "adjust:1", T0)))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.appendLedgerEntry(redeem("l9", AdvocateId.of("adv-new"), 1)))).isFalse();
            write(t -> t.appendLedgerEntry(earn("l4", a, 20)));
            assertThat(tx((StoreTransaction t) -> t.appendLedgerEntry(redeem))).as("the refused entry's id and key were not used")
                    .isTrue();
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isZero();
        }

        @Test
        @DisplayName("an entry that takes the balance exactly to zero is accepted")
        void exactlyZero() {
            write(t -> t.appendLedgerEntry(earn("l1", a, 30)));
            assertThat(tx((StoreTransaction t) -> t.appendLedgerEntry(redeem("l2", a, 30)))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isZero();
        }

        @Test
        @DisplayName("an entry with a used idempotency key is not applied twice")
        void idempotent() {
            LedgerEntry credit = ledger("l1", a, LedgerEntry.Kind.EARNED, 100, "reward:rwd-1", T0);
            write(t -> t.appendLedgerEntry(credit));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY, t -> t.appendLedgerEntry(
                    ledger("l2", a, LedgerEntry.Kind.EARNED, 100, "reward:rwd-1", at(1))));
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isEqualTo(100);
            assertThat(tx((StoreTransaction t) -> t.ledger(a))).containsExactly(credit);
        }
    }

    // ==== counters =================================================================================================

    @Nested
    @DisplayName("Counters (caps and budgets)")
    class Counters {

        @Test
        @DisplayName("tryConsume adds while the counter stays at or below capacity, and refuses without writing beyond")
        void capacity() {
            assertThat(tx((StoreTransaction t) -> t.counter("cap:1"))).isZero();
            assertThat(tx((StoreTransaction t) -> t.tryConsume("cap:1", 4, 10))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.tryConsume("cap:1", 6, 10))).as("exactly to capacity").isTrue();
            assertThat(tx((StoreTransaction t) -> t.counter("cap:1"))).isEqualTo(10);
            assertThat(tx((StoreTransaction t) -> t.tryConsume("cap:1", 1, 10))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.counter("cap:1"))).isEqualTo(10);
            assertThat(tx((StoreTransaction t) -> t.tryConsume("cap:1", 1, 11))).as("capacity is per call").isTrue();
            assertThat(tx((StoreTransaction t) -> t.tryConsume("cap:2", 1, 0))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.counter("cap:2"))).isZero();
            assertThat(tx((StoreTransaction t) -> t.tryConsume("cap:3", 11, 10))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.counter("cap:3"))).isZero();
        }

        @Test
        @DisplayName("tryConsume of a non-positive amount throws IllegalArgumentException, unwrapped")
        void positiveAmounts() {
            assertThatThrownBy(() -> tx(t -> t.tryConsume("cap:1", 0, 10)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tx(t -> t.tryConsume("cap:1", -1, 10)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(tx((StoreTransaction t) -> t.counter("cap:1"))).isZero();
        }

        @Test
        @DisplayName("release subtracts, never below zero; counters are independent")
        void release() {
            write(t -> {
                t.tryConsume("cap:1", 7, 10);
                t.tryConsume("cap:2", 3, 10);
            });
            write(t -> t.release("cap:1", 2));
            assertThat(tx((StoreTransaction t) -> t.counter("cap:1"))).isEqualTo(5);
            write(t -> t.release("cap:1", 9));
            assertThat(tx((StoreTransaction t) -> t.counter("cap:1"))).isZero();
            write(t -> t.release("cap:never", 3));
            assertThat(tx((StoreTransaction t) -> t.counter("cap:never"))).isZero();
            assertThat(tx((StoreTransaction t) -> t.counter("cap:2"))).isEqualTo(3);
            assertThat(tx((StoreTransaction t) -> t.tryConsume("cap:1", 10, 10))).isTrue();
        }

        @Test
        @DisplayName("tryConsumeEach applies each consumption on its own and answers for each, in list order")
        void consumeEach() {
            write(t -> {
                t.tryConsume("cap:a", 9, 10);
                t.tryConsume("cap:d", 8, 10);
            });
            assertThat(tx((StoreTransaction t) -> t.tryConsumeEach(List.of(
                    new StoreTransaction.Consumption("cap:a", 1, 10),
                    new StoreTransaction.Consumption("cap:b", 5, 4),
                    new StoreTransaction.Consumption("cap:c", 2, 2),
                    new StoreTransaction.Consumption("cap:d", 3, 10)))))
                    .containsExactly(true, false, true, false);
            assertThat(tx((StoreTransaction t) -> List.of(t.counter("cap:a"), t.counter("cap:b"), t.counter("cap:c"),
                    t.counter("cap:d")))).containsExactly(10L, 0L, 2L, 8L);
            assertThat(tx((StoreTransaction t) -> t.tryConsumeEach(List.of()))).isEmpty();
        }

        @Test
        @DisplayName("tryConsumeEach naming one key twice means successive calls; a rollback writes none of them")
        void consumeEachSameKeyTwice() {
            StoreTransaction.Consumption one = new StoreTransaction.Consumption("cap:x", 1, 2);
            assertThat(tx((StoreTransaction t) -> t.tryConsumeEach(List.of(one, one, one))))
                    .containsExactly(true, true, false);
            assertThat(tx((StoreTransaction t) -> t.counter("cap:x"))).isEqualTo(2);
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.tryConsumeEach(List.of(new StoreTransaction.Consumption("cap:y", 1, 5), one));
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(tx((StoreTransaction t) -> List.of(t.counter("cap:x"), t.counter("cap:y"))))
                    .containsExactly(2L, 0L);
        }

        @Test
        @DisplayName("a consumption of a non-positive amount or without a key is a programmer error")
        void consumptionChecksInput() {
            assertThatThrownBy(() -> new StoreTransaction.Consumption("cap:1", 0, 10))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new StoreTransaction.Consumption(null, 1, 10))
                    .isInstanceOf(NullPointerException.class);
        }
    }

    // ==== concurrency ==============================================================================================

    /** Runs {@code task} on {@code n} threads released together; returns the results in thread order. */
    protected final <T> List<T> race(int n, IntFunctionThrowing<T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> c = () -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                };
                futures.add(pool.submit(c));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("threads started").isTrue();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a racing thread failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("racing threads did not finish in time", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A task of one racing thread, given its index. */
    @FunctionalInterface
    protected interface IntFunctionThrowing<T> {
        T apply(int index) throws Exception;
    }

    /** The store for racing thread {@code index}: even threads use {@link #store}, odd ones {@link #sameDataStore()}. */
    protected final ReferralStore storeFor(int index, ReferralStore other) {
        return index % 2 == 0 ? store : other;
    }

    /**
     * Runs {@code work} until it commits, retrying when the store reports a retryable conflict or a storage failure
     * (a serialisation failure or deadlock victim at the database). A {@link DuplicateKeyException} is not retried.
     */
    protected static <T> T committed(ReferralStore s, Function<StoreTransaction, T> work) {
        ReferralException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return s.inTransaction(work);
            } catch (DuplicateKeyException e) {
                throw e;
            } catch (ConflictException e) {
                if (!e.isRetryable()) {
                    throw e;
                }
                last = e;
            } catch (io.referrals.core.error.StorageException e) {
                last = e;
            }
        }
        throw new AssertionError("no commit after 50 attempts", last);
    }

    @Nested
    @DisplayName("Concurrency: many threads on one store")
    class Concurrency {

        @Test
        @DisplayName("tryConsume never takes a counter past its capacity, and fills it exactly")
        void tryConsumeUnderContention() {
            ReferralStore other = sameDataStore();
            int n = threads();
            long capacity = 37;
            List<Integer> wins = race(n, i -> {
                ReferralStore s = storeFor(i, other);
                int won = 0;
                for (int k = 0; k < 10; k++) {
                    if (committed(s, t -> t.tryConsume("cap:race", 1, capacity))) {
                        won++;
                    }
                }
                return won;
            });
            int total = wins.stream().mapToInt(Integer::intValue).sum();
            assertThat((long) total).isEqualTo(Math.min(capacity, n * 10L));
            assertThat(tx((StoreTransaction t) -> t.counter("cap:race"))).isEqualTo(total);
        }

        @Test
        @DisplayName("tryConsumeEach never takes any of its counters past capacity, and fills each exactly")
        void tryConsumeEachUnderContention() {
            ReferralStore other = sameDataStore();
            int n = threads();
            List<StoreTransaction.Consumption> each = List.of(
                    new StoreTransaction.Consumption("each:lock", 1, Long.MAX_VALUE),
                    new StoreTransaction.Consumption("each:a", 1, 37),
                    new StoreTransaction.Consumption("each:b", 2, 46));
            List<long[]> wins = race(n, i -> {
                ReferralStore s = storeFor(i, other);
                long[] won = new long[3];
                for (int k = 0; k < 10; k++) {
                    List<Boolean> applied = committed(s, t -> t.tryConsumeEach(each));
                    for (int c = 0; c < 3; c++) {
                        won[c] += applied.get(c) ? 1 : 0;
                    }
                }
                return won;
            });
            long[] total = new long[3];
            wins.forEach(w -> IntStream.range(0, 3).forEach(c -> total[c] += w[c]));
            assertThat(total).containsExactly(n * 10L, Math.min(37, n * 10L), Math.min(23, n * 10L));
            assertThat(tx((StoreTransaction t) -> List.of(t.counter("each:lock"), t.counter("each:a"),
                    t.counter("each:b")))).containsExactly(total[0], total[1], 2 * total[2]);
        }

        @Test
        @DisplayName("concurrent redemptions never take a balance below zero; the balance stays the sum of the ledger")
        void ledgerUnderContention() {
            ReferralStore other = sameDataStore();
            AdvocateId a = AdvocateId.of("adv-1");
            write(t -> t.appendLedgerEntry(earn("seed", a, 100)));
            int n = threads();
            List<Integer> wins = race(n, i -> {
                ReferralStore s = storeFor(i, other);
                int won = 0;
                for (int k = 0; k < 4; k++) {
                    String id = "r-" + i + "-" + k;
                    if (committed(s, t -> t.appendLedgerEntry(redeem(id, a, 7)))) {
                        won++;
                    }
                }
                return won;
            });
            int total = wins.stream().mapToInt(Integer::intValue).sum();
            long balance = tx(t -> t.pointsBalance(a));
            assertThat(balance).isGreaterThanOrEqualTo(0).isEqualTo(100 - 7L * total)
                    .isEqualTo(tx(t -> t.ledger(a)).stream().mapToLong(LedgerEntry::points).sum());
            assertThat(total).as("every redemption that fitted was accepted").isEqualTo(Math.min(100 / 7, n * 4));
        }

        @Test
        @DisplayName("concurrent ledger entries with one idempotency key: exactly one is applied")
        void ledgerKeyUnderContention() {
            ReferralStore other = sameDataStore();
            AdvocateId a = AdvocateId.of("adv-1");
            List<String> outcomes = race(threads(), i -> {
                try {
                    committed(storeFor(i, other), t -> t.appendLedgerEntry(
                            ledger("l-" + i, a, LedgerEntry.Kind.EARNED, 10, "reward:once", T0)));
                    return "won";
                } catch (DuplicateKeyException e) {
                    assertThat(e.key()).isEqualTo(UniqueKey.LEDGER_ENTRY);
                    return "duplicate";
                }
            });
            assertThat(outcomes).filteredOn("won"::equals).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.pointsBalance(a))).isEqualTo(10);
        }

        @Test
        @DisplayName("concurrent inserts with one idempotency key: exactly one wins, the others get IDEMPOTENCY_KEY")
        void idempotencyKeyUnderContention() {
            ReferralStore other = sameDataStore();
            List<String> outcomes = race(threads(), i -> {
                Referral r = referral("ref-" + i, ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "same-key");
                try {
                    committed(storeFor(i, other), t -> {
                        t.insertReferral(r);
                        return null;
                    });
                    return r.id().value();
                } catch (DuplicateKeyException e) {
                    assertThat(e.key()).isEqualTo(UniqueKey.IDEMPOTENCY_KEY);
                    return "duplicate";
                }
            });
            List<String> winners = outcomes.stream().filter(o -> !o.equals("duplicate")).toList();
            assertThat(winners).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.referrals(ReferralQuery.builder().build()))).extracting(r -> r.id().value())
                    .containsExactly(winners.get(0));
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey("same-key"))).map(r -> r.id().value())
                    .contains(winners.get(0));
        }

        @Test
        @DisplayName("concurrent inserts of one reward dedupe key: exactly one wins")
        void rewardDedupeUnderContention() {
            ReferralStore other = sameDataStore();
            List<Boolean> outcomes = race(threads(), i -> {
                try {
                    committed(storeFor(i, other), t -> {
                        t.insertReward(reward("rwd-" + i, ProgramId.of("prog-1"), AdvocateId.of("adv-1"),
                                ReferralId.of("ref-1"), "stage:won"));
                        return null;
                    });
                    return true;
                } catch (DuplicateKeyException e) {
                    assertThat(e.key()).isEqualTo(UniqueKey.REWARD);
                    return false;
                }
            });
            assertThat(outcomes).filteredOn(b -> b).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.rewardsOfAdvocate(AdvocateId.of("adv-1")))).hasSize(1);
        }

        @Test
        @DisplayName("concurrent conditional updates of a referral: exactly one writer wins each version")
        void conditionalUpdatesUnderContention() {
            ReferralStore other = sameDataStore();
            Referral r = seedReferral();
            Referral current = r;
            for (int round = 0; round < 5; round++) {
                Referral base = current;
                List<Boolean> outcomes = race(threads(), i -> committed(storeFor(i, other),
                        t -> t.updateReferral(noted(base, "writer " + i))));
                assertThat(outcomes).filteredOn(b -> b).hasSize(1);
                int winner = outcomes.indexOf(true);
                current = tx(t -> t.referral(r.id())).orElseThrow();
                assertThat(current.version()).isEqualTo(base.version() + 1);
                assertThat(current.note()).isEqualTo("writer " + winner);
            }
        }

        @Test
        @DisplayName("nextSequence under contention: committed reservations form a gapless set, none handed out twice")
        void sequencesUnderContention() {
            ReferralStore other = sameDataStore();
            int perThread = 8;
            List<List<Long>> got = race(threads(), i -> {
                List<Long> mine = new ArrayList<>();
                for (int k = 0; k < perThread; k++) {
                    mine.add(committed(storeFor(i, other), t -> t.nextSequence("s:contended")));
                }
                return mine;
            });
            List<Long> all = got.stream().flatMap(List::stream).sorted().toList();
            assertThat(all).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, (long) threads() * perThread).boxed().toList());
        }

        @Test
        @DisplayName("nextSequence with events under contention, some transactions rolling back: committed events "
                + "are numbered 1..n")
        void sequencesWithRollbacks() {
            ReferralStore other = sameDataStore();
            AtomicInteger ids = new AtomicInteger();
            race(threads(), i -> {
                for (int k = 0; k < 6; k++) {
                    boolean fail = (i + k) % 3 == 0;
                    try {
                        committed(storeFor(i, other), t -> {
                            long seq = t.nextSequence("s:events");
                            t.appendEvent(event("ev-" + ids.incrementAndGet(), "s:events", seq, T0), false, T0);
                            if (fail) {
                                throw new WorkFailed();
                            }
                            return seq;
                        });
                    } catch (WorkFailed expected) {
                        // rolled back on purpose
                    }
                }
                return null;
            });
            List<Long> seqs = tx(t -> t.events("s:events")).stream()
                    .map(e -> e.event().metadata().sequence()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(seqs).hasSize((int) IntStream.range(0, threads()).boxed()
                    .flatMap(i -> IntStream.range(0, 6).mapToObj(k -> (i + k) % 3 != 0)).filter(b -> b).count());
        }

        @Test
        @DisplayName("concurrent claimers never receive the same event")
        void claimsUnderContention() {
            ReferralStore other = sameDataStore();
            int events = 60;
            write(t -> {
                for (int i = 0; i < events; i++) {
                    t.appendEvent(event("ev-" + i, "s:" + i, 1, T0), true, T0);
                }
            });
            Set<String> seen = ConcurrentHashMap.newKeySet();
            List<List<String>> claims = race(threads(), i -> {
                List<String> mine = new ArrayList<>();
                for (int k = 0; k < 10; k++) {
                    List<OutboxEntry> got = committed(storeFor(i, other), t -> t.claimDueEvents(T0, 3, at(60)));
                    got.forEach(e -> mine.add(e.event().metadata().id().value()));
                }
                return mine;
            });
            List<String> all = claims.stream().flatMap(List::stream).toList();
            for (String id : all) {
                assertThat(seen.add(id)).as("event %s was claimed twice", id).isTrue();
            }
            assertThat(all).hasSize(Math.min(events, threads() * 30));
        }
    }

    // ==== engines over the store ===================================================================================

    /** An engine over {@code s} with the kit's clock. */
    protected final ReferralEngine engine(ReferralStore s) {
        return Fixtures.engine(s, clock).build();
    }

    @Nested
    @DisplayName("Engines sharing the store")
    class Engines {
        private ProgramId programId;
        private AdvocateId advocateId;

        @BeforeEach
        void seed() {
            ReferralEngine e = engine(store);
            Program p = e.defineProgram(Program.builder(ProgramId.of("prog-1"), "Partners", ProgramKind.PARTNER)
                    .status(ProgramStatus.ACTIVE).build());
            Program loop = e.defineProgram(Program.builder(ProgramId.of("prog-loop"), "Loop", ProgramKind.CUSTOMER)
                    .status(ProgramStatus.ACTIVE).pipeline(Fixtures.loopingPipeline()).build());
            Advocate a = e.registerAdvocate(AdvocateRegistration.of("ext-1", "Jane", "jane@acme.example",
                    AdvocateKind.PARTNER));
            e.enrol(a.id(), p.id());
            e.enrol(a.id(), loop.id());
            programId = p.id();
            advocateId = a.id();
        }

        private CaptureRequest request(ProgramId program, String key) {
            return CaptureRequest.builder().advocate(advocateId).program(program)
                    .prospect(Fixtures.prospect("Initech")).channel(Channel.REFERRAL_FORM)
                    .consent(ConsentBasis.PROSPECT_CONSENT).idempotencyKey(key).build();
        }

        @Test
        @DisplayName("an engine's capture and stage changes are stored with a gapless timeline and event stream")
        void engineRoundTrip() {
            ReferralEngine e = engine(store);
            Referral r = ((CaptureResult.Accepted) e.capture(request(programId, "k-1"))).referral();
            clock.advance(Duration.ofMinutes(5));
            e.transition(TransitionRequest.of(r.id(), Stage.CONTACTED, TransitionCause.rep("rep-1")));
            clock.advance(Duration.ofMinutes(5));
            e.transition(TransitionRequest.of(r.id(), Stage.WON, TransitionCause.crm("salesforce")));
            Referral stored = tx(t -> t.referral(r.id())).orElseThrow();
            assertThat(stored.stage()).isEqualTo(Stage.WON);
            assertThat(stored.outcome()).contains(Outcome.WON);
            assertThat(tx((StoreTransaction t) -> t.timeline(r.id()))).extracting(TimelineEntry::sequence).containsExactly(1, 2);
            assertThat(tx((StoreTransaction t) -> t.events(EventStreams.of(r.id())))).extracting(x -> x.event().metadata().sequence())
                    .containsExactly(1L, 2L, 3L);
            assertThat(tx((StoreTransaction t) -> t.referralByIdempotencyKey("k-1"))).contains(stored);
        }

        @Test
        @DisplayName("engines capturing with one idempotency key at once store one referral and all get its id")
        void concurrentIdempotentCaptures() {
            ReferralStore other = sameDataStore();
            List<ReferralEngine> engines = List.of(engine(store), engine(other), engine(store), engine(other));
            List<CaptureResult> results = race(threads(), i -> engines.get(i % engines.size())
                    .capture(request(programId, "same-key")));
            assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(CaptureResult.Accepted.class));
            Set<ReferralId> ids = results.stream().map(r -> ((CaptureResult.Accepted) r).referral().id())
                    .collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(results).filteredOn(r -> !((CaptureResult.Accepted) r).replayed()).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.referrals(ReferralQuery.builder().program(programId).build())))
                    .extracting(Referral::id).containsExactlyElementsOf(ids);
            ReferralId id = ids.iterator().next();
            assertThat(tx((StoreTransaction t) -> t.events(EventStreams.of(id)))).hasSize(1);
        }

        @Test
        @DisplayName("concurrent stage changes of one referral leave a gapless, legal timeline and event stream")
        void concurrentTransitions() {
            ReferralStore other = sameDataStore();
            ReferralEngine first = engine(store);
            Referral r = ((CaptureResult.Accepted) first.capture(request(ProgramId.of("prog-loop"), ""))).referral();
            StagePipeline pipeline = Fixtures.loopingPipeline();
            List<ReferralEngine> engines = List.of(first, engine(other), engine(store), engine(other));
            Stage working = Stage.of("working");
            Stage waiting = Stage.of("waiting");
            List<Integer> moved = race(threads(), i -> {
                ReferralEngine e = engines.get(i % engines.size());
                int mine = 0;
                for (int k = 0; k < 8; k++) {
                    Stage to = (i + k) % 2 == 0 ? working : waiting;
                    try {
                        TransitionResult res = e.transition(TransitionRequest.of(r.id(), to,
                                TransitionCause.host("thread-" + i)));
                        if (res instanceof TransitionResult.Moved) {
                            mine++;
                        }
                    } catch (IllegalTransitionException | ConflictException | io.referrals.core.error
                            .StorageException expected) {
                        // a lost race or an illegal move from where the referral stands now: nothing written
                    }
                }
                return mine;
            });
            int moves = moved.stream().mapToInt(Integer::intValue).sum();
            List<TimelineEntry> timeline = tx(t -> t.timeline(r.id()));
            assertThat(timeline).hasSize(moves);
            Stage at = pipeline.initial();
            for (int i = 0; i < timeline.size(); i++) {
                TimelineEntry e = timeline.get(i);
                assertThat(e.sequence()).isEqualTo(i + 1);
                assertThat(e.from()).isEqualTo(at);
                assertThat(pipeline.allows(e.from(), e.to())).as("legal move %s", e).isTrue();
                at = e.to();
            }
            Referral stored = tx(t -> t.referral(r.id())).orElseThrow();
            assertThat(stored.stage()).isEqualTo(at);
            assertThat(stored.timelineLength()).isEqualTo(moves);
            assertThat(stored.version()).isEqualTo(1L + moves);
            List<Long> seqs = tx(t -> t.events(EventStreams.of(r.id()))).stream()
                    .map(x -> x.event().metadata().sequence()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 1L + moves).boxed().toList());
            assertThat(moves).as("some moves happened").isPositive();
            assertThat(new HashSet<>(timeline)).hasSize(timeline.size());
        }
    }
}
