package io.referrals.storage.jdbc.simulation;

import io.referrals.storage.jdbc.ConnectionProvider;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The host's own transactions, as a Spring application has them: a connection bound to the thread for the length of a
 * host transaction, in which the host writes its own rows ({@code sim_host_order}) and calls the engine. Two ways in
 * for the store: {@link #transactionAware()}, a plain {@link DataSource} that hands out the bound connection (Spring's
 * {@code TransactionAwareDataSourceProxy}, auto-commit off, close does nothing), and {@link #joining()}, a
 * {@link ConnectionProvider} that joins the host transaction.
 */
final class HostTransactions {
    private final DataSource pool;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    HostTransactions(DataSource pool) {
        this.pool = pool;
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE sim_host_order (id VARCHAR(64) NOT NULL PRIMARY KEY)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the host's table", e);
        }
    }

    /**
     * Runs {@code work} in a host transaction that first writes the host's order {@code orderId}, then commits or
     * rolls back as asked. An exception of {@code work} rolls the host transaction back and is rethrown.
     */
    <T> T inHostTransaction(String orderId, boolean commit, Supplier<T> work) {
        Connection c;
        try {
            c = pool.getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sim_host_order (id) VALUES (?)")) {
                ps.setString(1, orderId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the host could not begin its transaction", e);
        }
        bound.set(c);
        try {
            T result = work.get();
            end(c, commit);
            return result;
        } catch (RuntimeException | Error e) {
            end(c, false);
            throw e;
        } finally {
            bound.remove();
            try {
                c.setAutoCommit(true);
                c.close();
            } catch (SQLException e) {
                throw new IllegalStateException("the host could not give its connection back", e);
            }
        }
    }

    private static void end(Connection c, boolean commit) {
        try {
            if (commit) {
                c.commit();
            } else {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the host could not end its transaction", e);
        }
    }

    /** Whether the host's order is stored (committed). */
    boolean orderExists(String orderId) {
        try (Connection c = pool.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM sim_host_order WHERE id = ?")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the host's orders", e);
        }
    }

    /** Joins the host transaction bound to the thread; outside one, borrows from the pool. */
    ConnectionProvider joining() {
        return new ConnectionProvider() {
            @Override
            public Connection acquire() throws SQLException {
                Connection c = bound.get();
                return c != null ? c : pool.getConnection();
            }

            @Override
            public void release(Connection connection) throws SQLException {
                if (connection != bound.get()) {
                    connection.close();
                }
            }

            @Override
            public boolean joinsHostTransaction() {
                return true;
            }
        };
    }

    /** Spring's TransactionAwareDataSourceProxy: the bound connection, whose close does nothing; else the pool's. */
    DataSource transactionAware() {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                Connection c = bound.get();
                if (c == null) {
                    return pool.getConnection();
                }
                return (Connection) Proxy.newProxyInstance(HostTransactions.class.getClassLoader(),
                        new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                            if (m.getName().equals("close")) {
                                return null;
                            }
                            try {
                                return m.invoke(c, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }

            @Override
            public Connection getConnection(String username, String password) throws SQLException {
                return getConnection();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {
            }

            @Override
            public void setLoginTimeout(int seconds) {
            }

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
