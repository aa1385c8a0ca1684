package io.referrals.storage.jdbc.internal;

import io.referrals.storage.jdbc.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The isolation of a store transaction. PostgreSQL and H2 run at READ COMMITTED by default. MariaDB defaults to
 * REPEATABLE READ, where the locking read that a capture needs to see a concurrent capture of the same prospect takes
 * gap locks, and captures of different prospects whose keys fall in the same gap deadlock on them. So the store runs
 * its own MariaDB transactions at READ COMMITTED, with a plain read, and takes no gap locks.
 */
public final class Isolation {
    private static final Logger LOG = LoggerFactory.getLogger(Isolation.class);
    /** MariaDB's ER_CANT_CHANGE_TX_CHARACTERISTICS: a transaction is already in progress on the connection. */
    private static final int IN_PROGRESS = 1568;

    private Isolation() {
    }

    /**
     * Prepares the transaction about to start on {@code c} (auto-commit already off, no statement run yet) and tells
     * whether each of its statements reads the latest committed rows. On MariaDB, a transaction of the store's own
     * whose session is not at READ COMMITTED gets READ COMMITTED for this transaction only ({@code SET TRANSACTION},
     * one statement; nothing to restore); a host's transaction keeps its level. A connection whose session is at
     * READ COMMITTED already (a pool configured so) costs nothing: the driver knows its session's level.
     *
     * @param hosts true inside a host's transaction, whose level is the host's to choose
     */
    public static boolean readCommitted(Connection c, Dialect dialect, boolean hosts) throws SQLException {
        if (dialect != Dialect.MARIADB) {
            return true;
        }
        int level = c.getTransactionIsolation();
        if (level == Connection.TRANSACTION_READ_COMMITTED || level == Connection.TRANSACTION_READ_UNCOMMITTED) {
            return true;
        }
        if (hosts) {
            return false;
        }
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() != IN_PROGRESS) {
                throw e;
            }
            // a connection handed over with a transaction under way (auto-commit off): keep its level, read locking
            LOG.debug("a MariaDB transaction was under way on the connection; it keeps its isolation level");
            return false;
        }
    }
}
