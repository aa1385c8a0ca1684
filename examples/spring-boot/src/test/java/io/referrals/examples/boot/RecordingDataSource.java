package io.referrals.examples.boot;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.outbox.OutboxDispatcher;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sample's pool in its tests ({@code spring.datasource.type}): a HikariCP pool that records, when Spring closes
 * it, whether the outbox dispatcher was still running, and counts connections asked for after that.
 */
public class RecordingDataSource extends HikariDataSource {
    static volatile OutboxDispatcher watched;
    static volatile Boolean dispatcherRunningAtClose;
    static final AtomicInteger ASKED_AFTER_CLOSE = new AtomicInteger();

    @Override
    public Connection getConnection() throws SQLException {
        if (isClosed()) {
            ASKED_AFTER_CLOSE.incrementAndGet();
        }
        return super.getConnection();
    }

    @Override
    public void close() {
        OutboxDispatcher d = watched;
        if (d != null && !isClosed()) {
            dispatcherRunningAtClose = d.isRunning();
        }
        super.close();
    }
}
