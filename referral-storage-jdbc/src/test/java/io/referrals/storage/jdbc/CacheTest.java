package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Caches of codes and programs (H2)")
class CacheTest {
    private static final Instant T0 = Instant.parse("2025-01-06T09:00:00Z");
    private TestDatabase db;
    private JdbcReferralStore one;
    private JdbcReferralStore other;

    @BeforeEach
    void open() {
        db = TestDatabase.create(Dialect.H2);
        HikariDataSource pool = db.pool(4);
        CacheOptions longLived = new CacheOptions(100, Duration.ofHours(1));
        one = JdbcReferralStore.builder(pool).cache(longLived).build();
        other = JdbcReferralStore.builder(db.pool(4)).cache(longLived).build();
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Program program(long version, ProgramStatus status) {
        Program p = Program.builder(ProgramId.of("p-1"), "Partners", ProgramKind.PARTNER).status(status).build();
        return new Program(p.id(), p.name(), p.kind(), p.status(), p.schedule(), p.pipeline(), p.crmMapping(),
                version);
    }

    private static ReferralCode code() {
        return new ReferralCode("JANE-ACME", AdvocateId.of("adv-1"), ProgramId.of("p-1"), true, CodeStatus.ACTIVE, T0,
                T0);
    }

    @Test
    @DisplayName("a change made through the store is seen at once by its next read")
    void invalidatedOnChange() {
        one.inTransaction((StoreTransaction tx) -> {
            tx.programs().insert(program(1, ProgramStatus.ACTIVE));
            return null;
        });
        assertThat(one.inTransaction((StoreTransaction tx) -> tx.programs().get(ProgramId.of("p-1")))).isPresent();

        one.inTransaction((StoreTransaction tx) -> tx.programs().update(program(2, ProgramStatus.PAUSED)));

        assertThat(one.inTransaction((StoreTransaction tx) -> tx.programs().get(ProgramId.of("p-1"))).orElseThrow()
                .status())
                .isEqualTo(ProgramStatus.PAUSED);
    }

    @Test
    @DisplayName("a rolled-back write never reaches the cache")
    void rolledBackWritesNotCached() {
        assertThatThrownBy(() -> one.inTransaction((StoreTransaction tx) -> {
            tx.programs().insert(program(1, ProgramStatus.ACTIVE));
            assertThat(tx.programs().get(ProgramId.of("p-1"))).isPresent();
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(one.inTransaction((StoreTransaction tx) -> tx.programs().get(ProgramId.of("p-1")))).isEmpty();
    }

    @Test
    @DisplayName("a stale cached code never decides a write: the conditional update fails, and the next read is fresh")
    void staleCacheNeverDecides() {
        ReferralCode active = code();
        one.inTransaction((StoreTransaction tx) -> {
            tx.codes().insert(active);
            return null;
        });
        assertThat(one.inTransaction((StoreTransaction tx) -> tx.codes().get(active.key()))).contains(active);
        ReferralCode revoked = active.revoke(T0.plusSeconds(60));
        assertThat(other.inTransaction((StoreTransaction tx) -> tx.codes().update(active, revoked))).isTrue();

        assertThat(one.inTransaction((StoreTransaction tx) -> tx.codes().get(active.key())))
                .as("another instance's change is seen once the entry expires").contains(active);
        assertThat(one.inTransaction((StoreTransaction tx) -> tx.codes()
                .update(active, active.revoke(T0.plusSeconds(90)))))
                .isFalse();
        assertThat(one.inTransaction((StoreTransaction tx) -> tx.codes().get(active.key()))).contains(revoked);
        assertThatThrownBy(() -> one.inTransaction((StoreTransaction tx) -> {
            tx.codes().insert(active);
            return null;
        })).isInstanceOfSatisfying(DuplicateKeyException.class, e -> assertThat(e.key()).isEqualTo(UniqueKey.CODE));
    }

    @Test
    @DisplayName("with caching disabled every read goes to the database")
    void disabled() {
        JdbcReferralStore uncached = JdbcReferralStore.builder(db.pool(2)).cache(CacheOptions.DISABLED).build();
        ReferralCode active = code();
        uncached.inTransaction((StoreTransaction tx) -> {
            tx.codes().insert(active);
            return null;
        });
        assertThat(uncached.inTransaction((StoreTransaction tx) -> tx.codes().get(active.key()))).contains(active);
        ReferralCode revoked = active.revoke(T0.plusSeconds(60));
        other.inTransaction((StoreTransaction tx) -> tx.codes().update(active, revoked));

        assertThat(uncached.inTransaction((StoreTransaction tx) -> tx.codes().get(active.key()))).contains(revoked);
        assertThatThrownBy(() -> new CacheOptions(-1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
