package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.storage.OutboxSignal;
import io.referrals.storage.jdbc.ConnectionProvider;
import java.sql.Connection;
import java.util.Objects;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The store's bridge to Spring-managed transactions, usable without Spring Boot: a {@link ConnectionProvider} that
 * takes the connection bound to the calling thread's Spring transaction (or a fresh one from the pool outside any),
 * and an {@link OutboxSignal} that wakes the outbox dispatcher after that transaction commits.
 */
public final class SpringTransactions {

    private SpringTransactions() {
    }

    /**
     * Connections through {@link DataSourceUtils}: inside a Spring transaction on {@code dataSource} the store joins it
     * (a savepoint around its work, the commit left to Spring, so a rollback of the host's method also removes the
     * referral and its events); outside one, the store runs and commits its own transaction on a pooled connection.
     */
    public static ConnectionProvider connections(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        return new ConnectionProvider() {
            @Override
            public Connection acquire() {
                return DataSourceUtils.getConnection(dataSource);
            }

            @Override
            public void release(Connection connection) {
                DataSourceUtils.releaseConnection(connection, dataSource);
            }

            @Override
            public boolean joinsHostTransaction() {
                return true;
            }

            @Override
            public String toString() {
                return "Spring-managed connections of " + dataSource;
            }
        };
    }

    /**
     * A signal that wakes dispatchers after the commit of the calling thread's Spring transaction (nothing on a
     * rollback), or at once outside a transaction.
     */
    public static OutboxSignal afterCommitSignal() {
        return OutboxSignal.deferred(wakeUp -> {
            if (TransactionSynchronizationManager.isSynchronizationActive()
                    && TransactionSynchronizationManager.isActualTransactionActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        wakeUp.run();
                    }
                });
            } else {
                wakeUp.run();
            }
        });
    }
}
