package io.referrals.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the store gets its connections. Use {@link JdbcReferralStore#builder(javax.sql.DataSource)} for a pool the
 * store borrows from, and implement this interface to make the store join the host's own transaction.
 *
 * <p>When {@link #joinsHostTransaction()} is {@code true}, the store never commits, rolls back, closes or changes the
 * auto-commit mode of a connection it is given in a transaction (auto-commit off): it wraps its work in a savepoint,
 * rolls back to that savepoint if the work fails, and leaves the commit to the host, so a host rollback also removes
 * the store's writes. A connection given with auto-commit on is not in a transaction; the store then runs its own
 * transaction on it (auto-commit off, commit or roll back, auto-commit restored) but still never closes it.
 *
 * <p>{@link JdbcReferralStore.Builder#build()} also takes one connection, to detect the dialect and migrate: build the
 * store outside a host transaction, or with {@link MigrationMode#VALIDATE} or {@link MigrationMode#NONE}, since
 * migrating would commit the host's work. With a joined transaction, build the engine
 * {@linkplain io.referrals.core.ReferralEngine.Builder#outbox() for the outbox}: in-process delivery happens when the
 * store's work returns, before the host commits, whereas the outbox holds events until the host's commit makes them
 * visible to a dispatcher.
 *
 * <p>For example, with Spring: {@code acquire} returns {@code DataSourceUtils.getConnection(ds)} and {@code release}
 * calls {@code DataSourceUtils.releaseConnection(c, ds)}; or, without implementing this interface, build the store on a
 * {@code TransactionAwareDataSourceProxy} with {@link HostTransactions#JOIN}. When {@link #joinsHostTransaction()} is
 * {@code false}, the provider declares every connection the store's own, also one handed out with auto-commit off
 * (the store then commits it, as with {@link HostTransactions#NONE}). Implementations must be thread-safe.
 */
public interface ConnectionProvider {

    /** A connection for one store transaction. */
    Connection acquire() throws SQLException;

    /** Gives back a connection obtained from {@link #acquire()}; called exactly once per acquired connection. */
    void release(Connection connection) throws SQLException;

    /**
     * True when connections belong to the host's transaction: the store then neither commits nor closes them. False
     * when the store owns each transaction (it commits or rolls back, restores auto-commit and releases).
     */
    boolean joinsHostTransaction();
}
