package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.advocate;
import static io.referrals.storage.tck.Fixtures.program;
import static io.referrals.storage.tck.Fixtures.referral;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.ReferralEngine;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.ReferralException;
import io.referrals.core.error.StorageException;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The root of the contract kit's class chain: the hooks a store implements or overrides, the store's lifecycle around
 * each test, and the helpers every area contract shares. Stores extend {@link ReferralStoreContract}, the end of the
 * chain, never this class.
 */
public abstract class StoreContractSupport {

    /** The store under test, fresh (empty) for every test. */
    protected ReferralStore store;

    /** The clock of engines the kit builds; tests move it instead of waiting. */
    protected final MutableClock clock = MutableClock.startingNow();

    StoreContractSupport() {
    }

    /**
     * A new, empty store for one test. Called before every test; the store is handed to {@link #cleanUp} afterwards.
     *
     * @return the store under test
     */
    protected abstract ReferralStore newStore();

    /**
     * A second store over the same data as the current {@link #store}, for example on a separate connection pool.
     * Concurrency tests spread their threads over both. The default is the current store itself.
     *
     * @return a store over the same data
     */
    protected ReferralStore sameDataStore() {
        return store;
    }

    /**
     * Releases what {@link #newStore()} acquired. Called after every test; the default does nothing.
     *
     * @param used the store the test used
     */
    protected void cleanUp(ReferralStore used) {
    }

    /**
     * How many threads concurrency tests use; at least 2. The default is 12.
     *
     * @return the number of racing threads
     */
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

    // ---- transactions -----------------------------------------------------------------------------------------------

    /**
     * Runs {@code work} in a transaction of the store under test.
     *
     * @param work what to run
     * @param <T> the result type
     * @return what {@code work} returned
     */
    protected final <T> T tx(Function<StoreTransaction, T> work) {
        return store.inTransaction(work);
    }

    /**
     * Runs {@code work} in a transaction of the store under test and commits.
     *
     * @param work what to run
     */
    protected final void write(Consumer<StoreTransaction> work) {
        store.inTransaction(t -> {
            work.accept(t);
            return null;
        });
    }

    /**
     * Asserts that {@code insert}, run in a transaction of {@code s}, fails with a {@link DuplicateKeyException}
     * naming {@code key}.
     *
     * @param s the store
     * @param key the unique key the failure must name
     * @param insert the writes, the last of which breaks {@code key}
     */
    protected static void assertDuplicate(ReferralStore s, UniqueKey key, Consumer<StoreTransaction> insert) {
        assertThatThrownBy(() -> s.inTransaction(t -> {
            insert.accept(t);
            return null;
        })).isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.key()).isEqualTo(key));
    }

    /**
     * Seeds program {@code prog-1}, advocate {@code adv-1} enrolled in it, and referral {@code ref-1} with
     * idempotency key {@code key-1}.
     *
     * @return the referral
     */
    protected final Referral seedReferral() {
        Program p = program("prog-1");
        Advocate a = advocate("adv-1", "ext-1");
        Referral r = referral("ref-1", p.id(), a.id(), "key-1");
        write(t -> {
            t.programs().insert(p);
            t.advocates().insert(a);
            t.advocates().insertEnrolment(new Enrolment(a.id(), p.id(), T0));
            t.referrals().insert(r);
        });
        return r;
    }

    /**
     * Checks the conditional update of a versioned value: {@code update} writes only the version after the stored
     * one, and otherwise returns {@code false} and writes nothing, as {@code read} shows after each attempt.
     *
     * @param v1 the first version, inserted with {@code insert}
     * @param next the next version of a value
     * @param insert stores a new value
     * @param update the conditional update under test
     * @param read reads the stored value with the id of the given one
     * @param <V> the value type
     */
    protected final <V> void assertVersioned(V v1, UnaryOperator<V> next, BiConsumerTx<V> insert,
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

    /**
     * An insert taking a transaction and a value.
     *
     * @param <V> the value type
     */
    @FunctionalInterface
    protected interface BiConsumerTx<V> {
        /**
         * Stores {@code value} in {@code t}.
         *
         * @param t the transaction
         * @param value the value
         */
        void accept(StoreTransaction t, V value);
    }

    /** A test failure that is neither a store nor a JDK exception, to see it come back unchanged. */
    protected static final class WorkFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** A new failure. */
        public WorkFailed() {
            super("the work failed on purpose");
        }
    }

    /** An {@link Error} thrown by work, to see it come back unchanged. */
    protected static final class WorkError extends Error {
        private static final long serialVersionUID = 1L;

        /** A new error. */
        public WorkError() {
            super("the work failed with an error on purpose");
        }
    }

    // ---- engines and concurrency ------------------------------------------------------------------------------------

    /**
     * An engine over {@code s} with the kit's clock.
     *
     * @param s the store
     * @return a new engine
     */
    protected final ReferralEngine engine(ReferralStore s) {
        return Fixtures.engine(s, clock).build();
    }

    /**
     * Runs {@code task} on {@code n} threads released together.
     *
     * @param n how many threads
     * @param task the work of one thread, given its index
     * @param <T> the result type
     * @return the results in thread order
     */
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

    /**
     * A task of one racing thread, given its index.
     *
     * @param <T> the result type
     */
    @FunctionalInterface
    protected interface IntFunctionThrowing<T> {
        /**
         * Runs the task of thread {@code index}.
         *
         * @param index the thread's index, from 0
         * @return the thread's result
         * @throws Exception if the task fails
         */
        T apply(int index) throws Exception;
    }

    /**
     * The store for racing thread {@code index}: even threads use {@link #store}, odd ones {@code other}.
     *
     * @param index the thread's index
     * @param other the second store, usually {@link #sameDataStore()}
     * @return the thread's store
     */
    protected final ReferralStore storeFor(int index, ReferralStore other) {
        return index % 2 == 0 ? store : other;
    }

    /**
     * Runs {@code work} until it commits, retrying when the store reports a retryable conflict or a storage failure
     * (a serialisation failure or deadlock victim at the database). A {@link DuplicateKeyException} is not retried.
     *
     * @param s the store
     * @param work what to run
     * @param <T> the result type
     * @return what the committed run of {@code work} returned
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
            } catch (StorageException e) {
                last = e;
            }
        }
        throw new AssertionError("no commit after 50 attempts", last);
    }
}
