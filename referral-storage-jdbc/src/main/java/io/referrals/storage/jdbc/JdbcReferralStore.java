package io.referrals.storage.jdbc;

import io.referrals.core.error.StorageException;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.storage.jdbc.internal.Caches;
import io.referrals.storage.jdbc.internal.Db;
import io.referrals.storage.jdbc.internal.Isolation;
import io.referrals.storage.jdbc.internal.JdbcTransaction;
import io.referrals.storage.jdbc.internal.Migrator;
import io.referrals.storage.jdbc.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ReferralStore} on a relational database through JDBC: H2 (the embedded default), PostgreSQL 15+ and
 * MariaDB 10.11+. Built with {@link #builder(DataSource)} or {@link #builder(ConnectionProvider)}; immutable and
 * thread-safe once built, and any number of stores (in one process or many) may share one database.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Uniqueness, optimistic versions, counters, the never-negative points balance and gapless stream sequences are
 *       enforced by the database itself (unique constraints and single-statement conditional writes), so they hold at
 *       each database's default isolation level across any number of instances.</li>
 *   <li>Every instant is stored as a UTC instant at microsecond precision, independent of the session and JVM time
 *       zones.</li>
 *   <li>Every {@link SQLException} surfaces as a {@link StorageException} keeping its SQLState (or, for a deadlock or
 *       serialisation failure, as a retryable {@link io.referrals.core.error.ConflictException}).</li>
 *   <li>With a {@link DataSource} the store borrows one connection per transaction, switches auto-commit off for the
 *       transaction if it was on, commits or rolls back, restores auto-commit and closes (returns) the connection. It
 *       never owns the pool. It never commits or rolls back a transaction it did not begin: a connection handed out
 *       with auto-commit off is refused, or joined with a savepoint, or taken as the store's own, as configured with
 *       {@link Builder#hostTransactions(HostTransactions)}. See {@link ConnectionProvider} for a host's own way of
 *       handing out connections.</li>
 *   <li>Programs and codes are cached per instance ({@link CacheOptions}); the cache is bypassed by a transaction for
 *       the entries it writes, and never decides uniqueness or conditional writes.</li>
 * </ul>
 */
public final class JdbcReferralStore implements ReferralStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcReferralStore.class);
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}|");

    private final ConnectionProvider connections;
    private final HostTransactions hostTransactions;
    private final Dialect dialect;
    private final Sql sql;
    private final Caches caches;

    private JdbcReferralStore(Builder b, Dialect dialect) {
        this.connections = b.connections;
        this.hostTransactions = b.hostTransactions();
        this.dialect = dialect;
        this.sql = new Sql(dialect, b.prefix);
        this.caches = new Caches(b.cache);
    }

    /**
     * A builder for a store that borrows connections from {@code dataSource}, one per transaction, and closes
     * (returns) each after it. What the store does with a connection handed out with auto-commit off is set with
     * {@link Builder#hostTransactions(HostTransactions)}: by default it refuses it.
     */
    public static Builder builder(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new Builder(new DataSourceConnections(dataSource), HostTransactions.REFUSE);
    }

    /** A builder for a store that takes connections from {@code provider} (for example to join a host transaction). */
    public static Builder builder(ConnectionProvider provider) {
        return new Builder(Objects.requireNonNull(provider, "provider"), null);
    }

    /**
     * The complete DDL of the schema for a DBA to apply by hand, history table and rows included, so that a store
     * built with {@link MigrationMode#VALIDATE} accepts it.
     *
     * @throws IllegalArgumentException if the prefix is not 0-30 lower-case letters, digits and underscores starting
     *     with a letter
     */
    public static String ddl(Dialect dialect, String tablePrefix) {
        Objects.requireNonNull(dialect, "dialect");
        return Migrator.ddl(dialect, checkPrefix(tablePrefix));
    }

    /** The dialect in use, detected or configured. */
    public Dialect dialect() {
        return dialect;
    }

    /** The table prefix in use. */
    public String tablePrefix() {
        return sql.prefix();
    }

    /** True: the data is in a database and outlives this store. */
    @Override
    public boolean isPersistent() {
        return true;
    }

    /**
     * True if the store joins transactions it did not begin: built with {@link HostTransactions#JOIN}, or on a
     * {@link ConnectionProvider} whose {@link ConnectionProvider#joinsHostTransaction()} is true. Engines on such a
     * store must use the outbox.
     */
    @Override
    public boolean joinsHostTransactions() {
        return hostTransactions == HostTransactions.JOIN;
    }

    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        Connection c = acquire();
        boolean restoreAutoCommit = false;
        try {
            boolean autoCommit = c.getAutoCommit();
            if (!autoCommit && hostTransactions == HostTransactions.REFUSE) {
                throw refusedHostTransaction();
            }
            boolean joined = !autoCommit && hostTransactions == HostTransactions.JOIN;
            if (autoCommit) {
                c.setAutoCommit(false);
                restoreAutoCommit = true;
            }
            Savepoint savepoint = joined ? c.setSavepoint() : null;
            boolean readCommitted = Isolation.readCommitted(c, dialect, joined);
            JdbcTransaction tx = new JdbcTransaction(c, sql, caches, !joined, readCommitted);
            T result;
            try {
                result = work.apply(tx);
                tx.flush();
            } catch (RuntimeException | Error e) {
                try {
                    if (joined) {
                        c.rollback(savepoint);
                    } else {
                        c.rollback();
                    }
                } catch (SQLException rollbackFailure) {
                    if (joined && e instanceof RuntimeException) {
                        // the database ended the host's whole transaction (a deadlock victim on MariaDB, say): a retry
                        // here would run outside it, so the host must roll back and start again
                        throw hostTransactionLost(e, rollbackFailure);
                    }
                    e.addSuppressed(Db.translate(rollbackFailure, "rollback"));
                } finally {
                    tx.close();
                }
                throw e;
            }
            try {
                if (joined) {
                    c.releaseSavepoint(savepoint);
                } else {
                    c.commit();
                }
            } catch (SQLException e) {
                rollbackQuietly(c, joined, savepoint);
                throw e;
            } finally {
                tx.close();
            }
            return result;
        } catch (SQLException e) {
            throw Db.translate(e, "transaction");
        } finally {
            if (restoreAutoCommit) {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException e) {
                    LOG.warn("could not restore auto-commit on a connection (SQLState {})", e.getSQLState());
                }
            }
            try {
                connections.release(c);
            } catch (SQLException e) {
                LOG.warn("could not release a connection (SQLState {})", e.getSQLState());
            }
        }
    }

    private static IllegalStateException refusedHostTransaction() {
        return new IllegalStateException("the data source handed out a connection with auto-commit off: it is in a"
                + " transaction the store did not begin (for example Spring's TransactionAwareDataSourceProxy inside"
                + " @Transactional), which the store never commits. Build the store with"
                + " hostTransactions(HostTransactions.JOIN) to join such transactions (and the engine with outbox()),"
                + " or with hostTransactions(HostTransactions.NONE) if the pool hands out connections with auto-commit"
                + " off that nobody else has written on");
    }

    private static StorageException hostTransactionLost(Throwable failure, SQLException rollbackFailure) {
        StorageException lost = new StorageException("the store's work failed inside the host's transaction and"
                + " rolling back to its savepoint failed too (SQLState " + rollbackFailure.getSQLState() + "): the"
                + " database may have rolled back the host's whole transaction; roll it back and run it again",
                rollbackFailure.getSQLState(), failure);
        lost.addSuppressed(rollbackFailure);
        return lost;
    }

    private static void rollbackQuietly(Connection c, boolean joined, Savepoint savepoint) {
        try {
            if (joined) {
                c.rollback(savepoint);
            } else {
                c.rollback();
            }
        } catch (SQLException e) {
            LOG.warn("rollback after a failed commit failed too (SQLState {})", e.getSQLState());
        }
    }

    private Connection acquire() {
        try {
            return Objects.requireNonNull(connections.acquire(), "the connection provider returned null");
        } catch (SQLException e) {
            throw Db.translate(e, "getting a connection");
        }
    }

    private static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "tablePrefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a table prefix is empty or 1-30 lower-case letters, digits and"
                    + " underscores starting with a letter: '" + prefix + "'");
        }
        return prefix;
    }

    /**
     * Borrows from a data source and closes (returns) each connection after its transaction. Whether a connection
     * with auto-commit off is refused, joined or owned is the builder's {@link HostTransactions}, not this answer.
     */
    private static final class DataSourceConnections implements ConnectionProvider {
        private final DataSource dataSource;

        DataSourceConnections(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Connection acquire() throws SQLException {
            return dataSource.getConnection();
        }

        @Override
        public void release(Connection connection) throws SQLException {
            connection.close();
        }

        @Override
        public boolean joinsHostTransaction() {
            return false;
        }
    }

    /**
     * Configures a {@link JdbcReferralStore}. Setters check their input at once. Not thread-safe; {@link #build()}
     * may be called more than once.
     */
    public static final class Builder {
        private final ConnectionProvider connections;
        /** Null for a connection provider, which says itself whether it joins. */
        private HostTransactions dataSourceMode;
        private Dialect dialect;
        private String prefix = "ref_";
        private MigrationMode migration = MigrationMode.MIGRATE;
        private CacheOptions cache = CacheOptions.DEFAULTS;

        private Builder(ConnectionProvider connections, HostTransactions dataSourceMode) {
            this.connections = connections;
            this.dataSourceMode = dataSourceMode;
        }

        /**
         * What the store does with a connection that the data source hands out with auto-commit off, a transaction
         * it did not begin; the default is {@link HostTransactions#REFUSE}. Only for a store built on a
         * {@link DataSource}.
         *
         * @throws IllegalStateException if the builder was made from a {@link ConnectionProvider}, which says itself
         *     whether it joins host transactions
         */
        public Builder hostTransactions(HostTransactions mode) {
            Objects.requireNonNull(mode, "mode");
            if (dataSourceMode == null) {
                throw new IllegalStateException("a ConnectionProvider says itself whether the store joins host"
                        + " transactions (joinsHostTransaction()); hostTransactions(...) is for a DataSource");
            }
            this.dataSourceMode = mode;
            return this;
        }

        private HostTransactions hostTransactions() {
            if (dataSourceMode != null) {
                return dataSourceMode;
            }
            return connections.joinsHostTransaction() ? HostTransactions.JOIN : HostTransactions.NONE;
        }

        /** The dialect, instead of detecting it from the connection's metadata. */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The prefix of every table, index and constraint name; the default is {@code ref_}.
         *
         * @throws IllegalArgumentException unless empty or 1-30 lower-case letters, digits and underscores starting
         *     with a letter
         */
        public Builder tablePrefix(String prefix) {
            this.prefix = checkPrefix(prefix);
            return this;
        }

        /** What {@link #build()} does about the schema; the default is {@link MigrationMode#MIGRATE}. */
        public Builder migration(MigrationMode mode) {
            this.migration = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** Cache bounds; the default is {@link CacheOptions#DEFAULTS}. */
        public Builder cache(CacheOptions options) {
            this.cache = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Detects the dialect unless set, migrates or validates the schema as configured, and builds the store. With
         * a {@linkplain #dialect(Dialect) dialect} and {@link MigrationMode#NONE} it takes no connection at all.
         *
         * @throws StorageException if the database cannot be reached, is not supported, or the schema does not
         *     validate
         * @throws IllegalStateException if the connection taken has auto-commit off and the store
         *     {@linkplain HostTransactions#REFUSE refuses} such connections, or if {@link MigrationMode#MIGRATE} is
         *     asked while it {@linkplain HostTransactions#JOIN joins} one: migrating would commit the host's work
         */
        public JdbcReferralStore build() {
            if (dialect != null && migration == MigrationMode.NONE) {
                // nothing to detect or check: no connection needed (a joined store can be built outside any
                // host transaction)
                LOG.debug("JDBC referral store: dialect {}, table prefix '{}', no migration, cache {}", dialect,
                        prefix, cache);
                return new JdbcReferralStore(this, dialect);
            }
            Connection c;
            try {
                c = connections.acquire();
            } catch (SQLException e) {
                throw Db.translate(e, "getting a connection");
            }
            try {
                Dialect d = dialect;
                if (d == null) {
                    String product = c.getMetaData().getDatabaseProductName();
                    String version = c.getMetaData().getDatabaseProductVersion();
                    d = Dialect.of(product, version).orElseThrow(() -> new StorageException("unsupported database '"
                            + product + " " + version + "': the store speaks H2, PostgreSQL 15+ and MariaDB 10.11+",
                            null));
                }
                HostTransactions mode = hostTransactions();
                if (mode == HostTransactions.REFUSE && !c.getAutoCommit()) {
                    throw refusedHostTransaction();
                }
                if (migration == MigrationMode.MIGRATE && mode == HostTransactions.JOIN && !c.getAutoCommit()) {
                    throw new IllegalStateException("MigrationMode.MIGRATE would commit the host's transaction:"
                            + " build the store outside a transaction, or use VALIDATE or NONE");
                }
                Migrator.run(c, d, prefix, migration);
                LOG.debug("JDBC referral store: dialect {}, table prefix '{}', migration {}, cache {}", d, prefix,
                        migration, cache);
                return new JdbcReferralStore(this, d);
            } catch (SQLException e) {
                throw Db.translate(e, "starting the store");
            } finally {
                try {
                    connections.release(c);
                } catch (SQLException e) {
                    LOG.warn("could not release a connection (SQLState {})", e.getSQLState());
                }
            }
        }
    }
}
