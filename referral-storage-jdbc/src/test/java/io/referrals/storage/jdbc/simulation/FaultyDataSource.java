package io.referrals.storage.jdbc.simulation;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A pool wrapper whose connections can be killed at a chosen statement, as a failover, a network cut or an
 * administrator's {@code pg_terminate_backend} would: the connection is aborted (the server rolls its transaction
 * back) and the statement fails with SQLState {@code 08006}. Thread-safe.
 */
final class FaultyDataSource implements DataSource {
    private final DataSource delegate;
    private final AtomicInteger killIn = new AtomicInteger();
    private final AtomicInteger kills = new AtomicInteger();

    FaultyDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Kills the connection at the {@code n}th statement (or commit) from now, on any connection. */
    void armKill(int n) {
        killIn.set(n);
    }

    boolean disarm() {
        return killIn.getAndSet(0) > 0;
    }

    int kills() {
        return kills.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(delegate.getConnection(username, password));
    }

    private Connection wrap(Connection real) {
        return (Connection) Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, m, args) -> {
                    if (m.getName().equals("commit")) {
                        maybeKill(real);
                    }
                    Object out = invoke(m, real, args);
                    if (out instanceof Statement st && m.getReturnType().isInterface()) {
                        return statement(real, st, m.getReturnType());
                    }
                    return out;
                });
    }

    private Object statement(Connection real, Statement st, Class<?> type) {
        return Proxy.newProxyInstance(FaultyDataSource.class.getClassLoader(), new Class<?>[] {type},
                (proxy, m, args) -> {
                    if (m.getName().startsWith("execute")) {
                        maybeKill(real);
                    }
                    return invoke(m, st, args);
                });
    }

    private void maybeKill(Connection real) throws SQLException {
        int left = killIn.get();
        if (left > 0 && killIn.compareAndSet(left, left - 1) && left == 1) {
            kills.incrementAndGet();
            try {
                real.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the kill stands either way: the statement fails below
            }
            throw new SQLException("simulated connection kill", "08006");
        }
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return delegate.isWrapperFor(iface);
    }
}
