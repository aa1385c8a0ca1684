package io.referrals.storage.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Wraps a data source and counts, without timing anything, what the store asks of the driver: statements prepared
 * (with their SQL), statement executions ({@code execute*}, a batch counting once), commits and rollbacks. A round trip
 * is an execution, a commit or a rollback; connection checkout and auto-commit switches are not counted (HikariCP
 * and the drivers used here answer those without asking the server).
 */
public final class RoundTripCounter implements DataSource {
    private final DataSource target;
    public final List<String> prepared = new CopyOnWriteArrayList<>();
    public final AtomicInteger executions = new AtomicInteger();
    public final AtomicInteger commits = new AtomicInteger();
    public final AtomicInteger rollbacks = new AtomicInteger();

    public RoundTripCounter(DataSource target) {
        this.target = target;
    }

    public void reset() {
        prepared.clear();
        executions.set(0);
        commits.set(0);
        rollbacks.set(0);
    }

    public int roundTrips() {
        return executions.get() + commits.get() + rollbacks.get();
    }

    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(prepared.size()).append(" statements, ").append(executions.get()).append(" executions, ")
                .append(commits.get()).append(" commits, ").append(rollbacks.get()).append(" rollbacks = ")
                .append(roundTrips()).append(" round trips");
        for (String s : prepared) {
            sb.append("\n    ").append(s.length() > 140 ? s.substring(0, 140) + "..." : s);
        }
        return sb.toString();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection(target.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return connection(target.getConnection(user, password));
    }

    private Connection connection(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("commit")) {
                commits.incrementAndGet();
            } else if (name.equals("rollback")) {
                rollbacks.incrementAndGet();
            }
            Object result = invoke(method, c, args);
            if (name.startsWith("prepare")) {
                prepared.add(String.valueOf(args[0]));
                return statement(PreparedStatement.class, result);
            }
            if (name.equals("createStatement")) {
                // recorded when executed, with its SQL
                return statement(Statement.class, result);
            }
            return result;
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                h);
    }

    private Object statement(Class<?> type, Object target) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executions.incrementAndGet();
                if (args != null && args.length > 0 && args[0] instanceof String sql) {
                    prepared.add(sql);
                }
            }
            return invoke(method, target, args);
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
