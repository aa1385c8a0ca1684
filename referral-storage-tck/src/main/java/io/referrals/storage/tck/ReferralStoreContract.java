package io.referrals.storage.tck;

import io.referrals.core.ReferralEngine;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import java.time.Instant;

/**
 * The contract every {@link ReferralStore} must meet: each obligation stated in the Javadoc of {@link ReferralStore},
 * {@link StoreTransaction} and its area interfaces, checked by a test whose display name states it, plus concurrency
 * checks (many threads on one store) and engine-level checks (several {@link ReferralEngine}s sharing the store).
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
 * <p>The kit is one chain of classes, one per area of the SPI, each adding its {@code @Nested} group:
 * {@link StoreContractSupport} (hooks and helpers), {@link TransactionContract}, {@link ProgramRecordsContract},
 * {@link AdvocateRecordsContract}, {@link CodeRecordsContract}, {@link ReferralRecordsContract},
 * {@link TimelineRecordsContract}, {@link EventRecordsContract}, {@link OutboxRecordsContract},
 * {@link RewardRecordsContract}, {@link LedgerRecordsContract}, {@link CounterRecordsContract},
 * {@link MomentRecordsContract}, {@link AskRecordsContract}, {@link ProgramStatisticsContract},
 * {@link ConcurrencyContract}, {@link EngineContract}, {@link AdvocateViewContract}, and this class at the end. Extend
 * this class, not one of those.
 *
 * <p>Timestamps written by the kit have microsecond precision; a store must read back every {@link Instant} it was
 * given at that precision, and also {@link Instant#MIN} and {@link Instant#MAX} (the open ends of a
 * {@link io.referrals.core.model.Schedule}). Ids compare by {@link String#compareTo}, case-sensitively.
 */
public abstract class ReferralStoreContract extends AdvocateViewContract {

    /** For subclasses, one per store under test. */
    protected ReferralStoreContract() {
    }
}
