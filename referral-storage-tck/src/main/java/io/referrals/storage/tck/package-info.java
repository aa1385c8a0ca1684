/**
 * The storage contract kit: the tests every {@link io.referrals.core.storage.ReferralStore} implementation must pass,
 * published as main code so that a store's own test sources extend them with a few lines.
 *
 * <ul>
 *   <li>{@link io.referrals.storage.tck.ReferralStoreContract} (JUnit 5): the end of a chain of contract classes, one
 *       per area of the SPI ({@code TransactionContract}, {@code ProgramRecordsContract}, ...,
 *       {@code ProgramStatisticsContract}), each with a {@code @Nested} group whose tests state the area's obligations
 *       (unique keys, conditional updates, round trips, orderings, paging), then a concurrency group (many threads on
 *       one store, optionally spread over a second store on the same data) and an engine-level group (several engines
 *       sharing the store). Implement {@code newStore()} to return an empty store per test.</li>
 *   <li>{@link io.referrals.storage.tck.ReferralStoreStatefulContract} (jqwik): random sequences of engine operations
 *       checked against a reference model, plus ledger and counter properties. Implement {@code newStore()}; tries use
 *       fresh random ids, so the store need not be emptied between tries.</li>
 *   <li>{@link io.referrals.storage.tck.MutableClock}: a thread-safe clock tests move by hand instead of waiting.</li>
 * </ul>
 *
 * <p>A JDBC adapter, for example, adds per database a subclass of each contract whose {@code newStore()} returns a
 * store over a freshly truncated schema, and overrides {@code sameDataStore()} to hand the concurrency groups a second
 * store on its own connection pool. Name the subclasses so that the test runner picks them up ({@code *Test},
 * {@code *Properties}).
 */
package io.referrals.storage.tck;
