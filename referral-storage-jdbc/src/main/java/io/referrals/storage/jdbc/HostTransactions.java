package io.referrals.storage.jdbc;

/**
 * What a {@link JdbcReferralStore} built on a {@link javax.sql.DataSource} does with a connection that the data source
 * hands out with auto-commit off. Such a connection is in a transaction the store did not begin: typically the
 * host's, as with Spring's {@code TransactionAwareDataSourceProxy} inside {@code @Transactional}, where the host
 * commits or rolls back after the store's work has returned. Whatever the choice, the store never commits or rolls
 * back a transaction of the host's. A connection handed out in auto-commit is always the store's own: it switches
 * auto-commit off for one transaction, commits or rolls back, and switches it back on.
 *
 * <p>Set with {@link JdbcReferralStore.Builder#hostTransactions(HostTransactions)}; a
 * {@link ConnectionProvider} says the same through {@link ConnectionProvider#joinsHostTransaction()}.
 */
public enum HostTransactions {

    /**
     * The default: a connection with auto-commit off is refused with an {@link IllegalStateException} that says how
     * to configure the store, and nothing is written on it. {@link JdbcReferralStore.Builder#build()} already refuses
     * when the connection it takes has auto-commit off.
     */
    REFUSE,

    /**
     * Joins the transaction of a connection with auto-commit off: the store's work runs inside a savepoint, is rolled
     * back to that savepoint if it fails (the host's own writes stay), and is otherwise left for the host to commit
     * or roll back; the store never commits, rolls back or changes the auto-commit mode of that connection, and
     * gives it back with {@code close()}, which a transaction-aware data source turns into "release". The store then
     * {@linkplain JdbcReferralStore#joinsHostTransactions() joins host transactions}, so engines on it must use the
     * outbox. Build the store outside a host transaction (migrating would commit it), or with
     * {@link MigrationMode#VALIDATE} or {@link MigrationMode#NONE}.
     */
    JOIN,

    /**
     * There are none: every connection the data source hands out is the store's alone, also one with auto-commit off
     * (a pool configured to hand out connections with auto-commit off, and no host code sharing them). The store
     * commits or rolls back each of its transactions itself.
     */
    NONE
}
