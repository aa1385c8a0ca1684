package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.StorageException;
import io.referrals.core.storage.ReferralStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MariaDbStoreTest extends JdbcStoreSuite {
    private static TestDatabase db;

    @BeforeAll
    static void openDatabase() {
        db = TestDatabase.create(Dialect.MARIADB);
        JdbcReferralStore.builder(db.pool(1)).build();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    TestDatabase db() {
        return db;
    }

    @Test
    @DisplayName("a migration stopped halfway (DDL commits itself here) resumes on the next start")
    void migrationStoppedHalfwayResumes() {
        assertMigrationStoppedHalfwayResumes();
    }

    @Test
    @DisplayName("a deadlock that ends a joined host transaction is reported as lost, not as a conflict to retry: "
            + "MariaDB rolled back the host's whole transaction, so a retry would run outside it")
    void deadlockVictimInHostTransactionIsNotRetryable() throws Exception {
        ReferralStore observer = JdbcReferralStore.builder(db.pool(1)).build();
        consume(observer, "dl-a", 1);
        consume(observer, "dl-b", 1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection one = db.connect(); Connection two = db.connect()) {
            one.setAutoCommit(false);
            two.setAutoCommit(false);
            ReferralStore first = joined(one);
            ReferralStore second = joined(two);
            consume(first, "dl-a", 1); // each host transaction now holds one counter row
            consume(second, "dl-b", 1);

            // each then wants the other's row: MariaDB picks a victim and rolls its whole transaction back
            List<Future<Boolean>> crossing = List.of(threads.submit(() -> consume(first, "dl-b", 1)),
                    threads.submit(() -> consume(second, "dl-a", 1)));
            List<Throwable> failures = new ArrayList<>();
            for (Future<Boolean> f : crossing) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (TimeoutException e) {
                    throw new AssertionError("no deadlock was detected", e);
                }
            }
            assertThat(failures).singleElement().satisfies(e -> {
                assertThat(e).isInstanceOf(StorageException.class).isNotInstanceOf(ConflictException.class)
                        .hasMessageContaining("roll it back");
                assertThat(e.getCause()).isInstanceOfSatisfying(ConflictException.class,
                        c -> assertThat(c.isRetryable()).isTrue());
            });
            one.commit();
            two.commit();
        } finally {
            threads.shutdownNow();
        }
        // the survivor's two units committed with its host; the victim's first unit went with its transaction
        assertThat(counter(observer, "dl-a") + counter(observer, "dl-b")).isEqualTo(4);
    }

    private static ReferralStore joined(Connection host) throws SQLException {
        return JdbcReferralStore.builder(new HostConnection(host)).dialect(Dialect.MARIADB)
                .migration(MigrationMode.NONE).build();
    }
}
