package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.StorageException;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.EventId;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.outbox.BackoffPolicy;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import io.referrals.storage.tck.MutableClock;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the contract kit cannot see: schema migration, table prefixes, host transactions, auto-commit, time zones, error
 * translation, and several engines and outbox dispatchers on separate HikariCP pools sharing one database. Each
 * dialect runs it through a subclass that opens a database of its own for the class.
 */
abstract class JdbcStoreSuite {
    private static final int THREADS = 24;
    /** The match-key secret every engine of the suite shares, as a host's engines on one database must. */
    static final byte[] SECRET = "jdbc-store-suite-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    /**
     * The schema scripts shipped: {@code V1__init.sql}, {@code V2__program_pages.sql},
     * {@code V3__reward_next_attempt.sql}, {@code V4__timeline_kind.sql}, {@code V5__outbox_retention.sql},
     * {@code V6__advocate_pages.sql}, {@code V7__advocate_messages.sql} and
     * {@code V8__insights_cohort.sql}.
     */
    private static final int SCRIPTS = 8;

    /** The class's database. */
    abstract TestDatabase db();

    @AfterEach
    void closePools() {
        db().closePools();
    }

    private static String randomPrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    }

    private JdbcReferralStore store(HikariDataSource pool, String prefix) {
        return JdbcReferralStore.builder(pool).tablePrefix(prefix).build();
    }

    private static Program activeProgram(String id) {
        return Program.builder(ProgramId.of(id), "Partners " + id, ProgramKind.PARTNER).status(ProgramStatus.ACTIVE)
                .build();
    }

    private long count(String sql) {
        try (Connection c = db().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void execute(String sql) {
        try (Connection c = db().connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The counter {@code key} as {@code store} reads it. */
    static long counter(ReferralStore store, String key) {
        return store.inTransaction((StoreTransaction tx) -> tx.counters().value(new CounterKey(key)));
    }

    /** Adds {@code amount} to the counter {@code key}, capacity 10, in a transaction of {@code store}. */
    static boolean consume(ReferralStore store, String key, long amount) {
        return store.inTransaction((StoreTransaction tx) -> tx.counters().tryConsume(new CounterKey(key), amount, 10));
    }

    /** {@code store}, counting the retryable conflicts (deadlocks, serialisation failures) its transactions throw. */
    private static ReferralStore countingConflicts(ReferralStore store, AtomicInteger conflicts) {
        return new ReferralStore() {
            @Override
            public <T> T inTransaction(Function<StoreTransaction, T> work) {
                try {
                    return store.inTransaction(work);
                } catch (ConflictException e) {
                    if (e.isRetryable()) {
                        conflicts.incrementAndGet();
                    }
                    throw e;
                }
            }
        };
    }

    /** Runs {@code n} tasks at once (released together) and returns their results or failures. */
    private static <T> List<Object> race(int n, Function<Integer, T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> c = () -> {
                    start.await();
                    return task.apply(index);
                };
                futures.add(pool.submit(c));
            }
            start.countDown();
            List<Object> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get(120, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(e.getCause());
                }
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The statements of a printed DDL, without comments and terminators. */
    private static List<String> statements(String ddl) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : ddl.split("\n")) {
            if (line.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.endsWith(";")) {
                String sql = current.toString().strip();
                out.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return out;
    }

    /**
     * For dialects whose DDL commits itself (MariaDB, and H2 as the migrator runs it): leaves the schema as a
     * migration stopped by a failure would, half of its tables and indexes created and no version recorded, then
     * builds a store, which completes the schema; validation then passes and the store works.
     */
    void assertMigrationStoppedHalfwayResumes() {
        String prefix = randomPrefix();
        List<String> schema = statements(JdbcReferralStore.ddl(db().dialect, prefix)).stream()
                .filter(sql -> !sql.contains(prefix + "schema_history")).toList();
        assertThat(schema).hasSizeGreaterThan(20);
        schema.subList(0, schema.size() / 2).forEach(this::execute);

        HikariDataSource pool = db().pool(2);
        JdbcReferralStore migrated = store(pool, prefix);
        JdbcReferralStore.builder(pool).tablePrefix(prefix).migration(MigrationMode.VALIDATE).build();
        assertThat(count("SELECT COUNT(*) FROM " + prefix + "schema_history")).isEqualTo(SCRIPTS);
        migrated.inTransaction((StoreTransaction tx) -> {
            tx.programs().insert(activeProgram("p-resumed"));
            return null;
        });
        assertThat(migrated.inTransaction((StoreTransaction tx) -> tx.programs().all())).hasSize(1);
    }

    // ==== schema ===================================================================================================

    @Nested
    @DisplayName("Schema migration")
    class Schema {

        @Test
        @DisplayName("several instances migrating at once create the schema exactly once")
        void concurrentMigrations() {
            String prefix = randomPrefix();
            List<Object> results = race(6, i -> store(db().pool(2), prefix));

            assertThat(results).allMatch(r -> r instanceof JdbcReferralStore);
            assertThat(count("SELECT COUNT(*) FROM " + prefix + "schema_history")).isEqualTo(SCRIPTS);
            JdbcReferralStore s = (JdbcReferralStore) results.get(0);
            s.inTransaction((StoreTransaction tx) -> {
                tx.programs().insert(activeProgram("p-1"));
                return null;
            });
            assertThat(s.inTransaction((StoreTransaction tx) -> tx.programs().get(ProgramId.of("p-1")))).isPresent();
        }

        @Test
        @DisplayName("validate mode refuses a schema whose recorded checksum differs from the shipped script")
        void checksumMismatch() {
            String prefix = randomPrefix();
            HikariDataSource pool = db().pool(2);
            store(pool, prefix);
            execute("UPDATE " + prefix + "schema_history SET checksum = checksum + 1");

            assertThatThrownBy(() -> JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.VALIDATE).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("checksum");
            assertThatThrownBy(() -> store(pool, prefix))
                    .isInstanceOf(StorageException.class).hasMessageContaining("checksum");
        }

        @Test
        @DisplayName("validate mode refuses a database without the schema, and none mode does not look")
        void validateWithoutSchema() {
            String prefix = randomPrefix();
            HikariDataSource pool = db().pool(2);

            assertThatThrownBy(() -> JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.VALIDATE).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("not installed");
            JdbcReferralStore unchecked = JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.NONE).build();
            assertThat(unchecked.tablePrefix()).isEqualTo(prefix);
        }

        @Test
        @DisplayName("the printed DDL, applied by hand, passes validation and works")
        void printedDdl() {
            String prefix = randomPrefix();
            String ddl = JdbcReferralStore.ddl(db().dialect, prefix);
            assertThat(ddl).containsPattern("CREATE TABLE (IF NOT EXISTS )?" + prefix + "referral")
                    .doesNotContain("${prefix}");
            statements(ddl).forEach(JdbcStoreSuite.this::execute);

            JdbcReferralStore s = JdbcReferralStore.builder(db().pool(2)).tablePrefix(prefix)
                    .migration(MigrationMode.VALIDATE).build();
            s.inTransaction((StoreTransaction tx) -> {
                tx.programs().insert(activeProgram("p-ddl"));
                return null;
            });
            assertThat(count("SELECT COUNT(*) FROM " + prefix + "program")).isEqualTo(1);
        }

        @Test
        @DisplayName("a schema at version 1 is refused by validate mode and brought to version 2 by migrate mode")
        void upgradesFromVersion1() {
            String prefix = randomPrefix();
            HikariDataSource pool = db().pool(2);
            store(pool, prefix);
            // back to version 1: the indexes of V2__program_pages.sql dropped and its history row deleted
            for (String index : List.of("enrolment_program_ix", "reward_program_id_ix")) {
                execute("DROP INDEX " + prefix + index + (db().dialect == Dialect.MARIADB
                        ? " ON " + prefix + (index.startsWith("enrolment") ? "enrolment" : "reward") : ""));
            }
            execute("DELETE FROM " + prefix + "schema_history WHERE version = 2");

            assertThatThrownBy(() -> JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.VALIDATE).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("V2__program_pages.sql");
            JdbcReferralStore upgraded = store(pool, prefix);
            JdbcReferralStore.builder(pool).tablePrefix(prefix).migration(MigrationMode.VALIDATE).build();
            assertThat(count("SELECT COUNT(*) FROM " + prefix + "schema_history")).isEqualTo(SCRIPTS);
            upgraded.inTransaction((StoreTransaction tx) -> {
                tx.advocates().insertEnrolment(new Enrolment(AdvocateId.of("a-1"), ProgramId.of("p-1"),
                        Instant.parse("2025-01-06T09:00:00Z")));
                return null;
            });
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.advocates()
                    .enrolmentsInProgram(ProgramId.of("p-1"), "", 10))).hasSize(1);
        }

        @Test
        @DisplayName("a schema at version 2 holding rewards and events written then is brought to version 3: each "
                + "reward's next attempt is the end of its holding period, and due rewards are read by it")
        void upgradesFromVersion2() {
            String prefix = randomPrefix();
            HikariDataSource pool = db().pool(2);
            JdbcReferralStore before = store(pool, prefix);
            Instant t0 = Instant.parse("2025-01-06T09:00:00Z");
            List<Reward> rewards = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rewards.add(Reward.builder(RewardId.of("rwd-" + i), ProgramId.of("p-1"), AdvocateId.of("a-1"))
                        .source(RewardSource.referral(ReferralId.of("ref-" + i))).rule("won", 1).milestone("stage:won")
                        .incentive(new Incentive.Points(100)).status(RewardStatus.PENDING).createdAt(t0)
                        .holdUntil(t0.plusSeconds(60L * (3 - i))).build());
            }
            ReferralEvent earned = new io.referrals.core.event.RewardEarned(new io.referrals.core.event.EventMetadata(
                    EventId.of("ev-1"), "s:1", 1, t0), new AdvocateSummary(AdvocateId.of("a-1"), "crm-1", "Ann", "",
                    false), rewards.get(0));
            before.inTransaction((StoreTransaction tx) -> {
                rewards.forEach(tx.rewards()::insert);
                tx.events().append(earned, false, t0);
                return null;
            });
            // back to version 2: the column and index of V3__reward_next_attempt.sql gone, the old index back, its
            // history row deleted, and bodies as version 2 wrote them, without a next attempt
            execute("DROP INDEX " + prefix + "reward_next_attempt_ix"
                    + (db().dialect == Dialect.MARIADB ? " ON " + prefix + "reward" : ""));
            execute("ALTER TABLE " + prefix + "reward DROP COLUMN next_attempt_at");
            execute("CREATE INDEX " + prefix + "reward_due_ix ON " + prefix + "reward (status, hold_until)");
            execute("DELETE FROM " + prefix + "schema_history WHERE version = 3");
            withoutNextAttempt(prefix + "reward", "id");
            withoutNextAttempt(prefix + "event", "id");

            assertThatThrownBy(() -> JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.VALIDATE).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("V3__reward_next_attempt.sql");
            JdbcReferralStore upgraded = store(pool, prefix);
            assertThat(count("SELECT COUNT(*) FROM " + prefix + "schema_history")).isEqualTo(SCRIPTS);

            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.rewards().get(rewards.get(0).id())))
                    .contains(rewards.get(0));
            assertThat(rewards.get(0).nextAttemptAt()).isEqualTo(rewards.get(0).holdUntil());
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.events().ofStream("s:1")))
                    .extracting(OutboxEntry::event).containsExactly(earned);
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.rewards().due(RewardStatus.PENDING,
                    t0.plusSeconds(120), 10))).containsExactly(rewards.get(2), rewards.get(1));
            Reward putOff = rewards.get(2).toBuilder().nextAttemptAt(t0.plusSeconds(600)).version(2).build();
            upgraded.inTransaction((StoreTransaction tx) -> tx.rewards().update(putOff));
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.rewards().due(RewardStatus.PENDING,
                    t0.plusSeconds(600), 10))).containsExactly(rewards.get(1), rewards.get(0), putOff);
        }

        /** Rewrites every body of {@code table} without its rewards' {@code nextAttemptAt}. */
        private void withoutNextAttempt(String table, String key) {
            try (Connection c = db().connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + key + ", body FROM " + table)) {
                List<String[]> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
                for (String[] row : rows) {
                    String legacy = row[1].replaceAll("\"nextAttemptAt\":\"[^\"]*\",", "");
                    assertThat(legacy).isNotEqualTo(row[1]);
                    try (java.sql.PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET body = ? WHERE "
                            + key + " = ?")) {
                        ps.setString(1, legacy);
                        ps.setString(2, row[0]);
                        ps.executeUpdate();
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Test
        @DisplayName("a schema at version 3 is brought to version 4: timeline entries and stored events written "
                + "before read back as ordinary moves, and programs written before reopen nothing")
        void upgradesFromVersion3() {
            String prefix = randomPrefix();
            HikariDataSource pool = db().pool(2);
            JdbcReferralStore before = store(pool, prefix);
            ReferralId id = ReferralId.of("r-old");
            TimelineEntry entry = new TimelineEntry(id, 1, Stage.SUBMITTED, Stage.LOST, Instant.parse(
                    "2025-01-06T09:00:00Z"), TransitionCause.crm("salesforce"), "", "");
            Program program = activeProgram("p-old");
            ReferralSummary summary = new ReferralSummary(id, program.id(), program.name(), new AdvocateSummary(
                    AdvocateId.of("a-1"), "ext-1", "Jane", "", false), "Initech", Stage.LOST, true,
                    Channel.REFERRAL_FORM, ConsentBasis.PROSPECT_CONSENT);
            StageChanged event = new StageChanged(new EventMetadata(EventId.of("e-old"), "referral:r-old", 1,
                    entry.at()), summary, entry);
            before.inTransaction((StoreTransaction tx) -> {
                tx.programs().insert(program);
                tx.events().append(event, false, entry.at());
                return null;
            });
            // back to version 3: the kind column dropped, its history row deleted, bodies as version 2 wrote them
            execute("ALTER TABLE " + prefix + "timeline DROP COLUMN kind");
            execute("DELETE FROM " + prefix + "schema_history WHERE version = 4");
            execute("INSERT INTO " + prefix + "timeline (referral_id, seq, from_stage, to_stage, moved_at,"
                    + " cause_kind, cause_actor, reason, external_ref) SELECT 'r-old', 1, 'submitted', 'lost',"
                    + " occurred_at, 'CRM_SYNC', 'salesforce', '', '' FROM " + prefix + "event WHERE id = 'e-old'");
            execute("UPDATE " + prefix + "event SET body = REPLACE(body, ',\"kind\":\"MOVED\"', '')");
            execute("UPDATE " + prefix + "program SET body = REPLACE(body, ',\"reopenings\":{}', '')");
            assertThat(count("SELECT COUNT(*) FROM " + prefix + "event WHERE body LIKE '%\"kind\":\"MOVED\"%'")).isZero();
            assertThat(count("SELECT COUNT(*) FROM " + prefix + "program WHERE body LIKE '%reopenings%'")).isZero();

            assertThatThrownBy(() -> JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.VALIDATE).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("V4__timeline_kind.sql");
            JdbcReferralStore upgraded = store(pool, prefix);

            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.timelines().of(id))).containsExactly(entry);
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.events().ofStream("referral:r-old")))
                    .extracting(OutboxEntry::event).containsExactly(event);
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.programs().get(program.id())))
                    .contains(program);
        }

        @Test
        @DisplayName("a schema at version 5 holding an advocate's referrals, rewards and ledger is brought to version"
                + " 6: indexes on (advocate, time, id) replace the narrower ones on (advocate, time), and pages read the"
                + " rows written before, newest first")
        void upgradesFromVersion5() {
            String prefix = randomPrefix();
            HikariDataSource pool = db().pool(2);
            JdbcReferralStore before = store(pool, prefix);
            AdvocateId a = AdvocateId.of("a-1");
            Instant t0 = Instant.parse("2025-01-06T09:00:00Z");
            List<Referral> referrals = new ArrayList<>();
            List<Reward> rewards = new ArrayList<>();
            List<LedgerEntry> ledger = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Instant at = t0.plusSeconds(60L * i);
                referrals.add(Referral.builder().id(ReferralId.of("ref-" + i)).programId(ProgramId.of("p-1"))
                        .advocateId(a).prospect(Prospect.builder().company("Initech " + i).build())
                        .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).stage(Stage.SUBMITTED)
                        .submittedAt(at).updatedAt(at).build());
                rewards.add(Reward.builder(RewardId.of("rwd-" + i), ProgramId.of("p-1"), a)
                        .source(RewardSource.referral(ReferralId.of("ref-" + i))).rule("won", 1).milestone("stage:won")
                        .incentive(new Incentive.Points(100)).status(RewardStatus.PENDING).createdAt(at).holdUntil(at)
                        .build());
                ledger.add(new LedgerEntry(LedgerEntryId.of("led-" + i), a, LedgerEntry.Kind.EARNED, 100, "rwd-" + i,
                        "reward:rwd-" + i, at, "Points for a referral"));
            }
            before.inTransaction((StoreTransaction tx) -> {
                referrals.forEach(tx.referrals()::insert);
                rewards.forEach(tx.rewards()::insert);
                ledger.forEach(tx.ledger()::append);
                return null;
            });
            // back to version 5: the indexes of V6__advocate_pages.sql dropped, the ones it replaced back, its history
            // row deleted
            for (String table : List.of("referral", "reward", "ledger")) {
                execute("DROP INDEX " + prefix + table + "_advocate_page_ix"
                        + (db().dialect == Dialect.MARIADB ? " ON " + prefix + table : ""));
            }
            execute("CREATE INDEX " + prefix + "reward_advocate_ix ON " + prefix + "reward (advocate_id, created_at)");
            execute("CREATE INDEX " + prefix + "ledger_advocate_ix ON " + prefix + "ledger (advocate_id, entry_at)");
            execute("DELETE FROM " + prefix + "schema_history WHERE version = 6");
            assertThat(indexes(prefix + "reward")).contains(prefix + "reward_advocate_ix")
                    .doesNotContain(prefix + "reward_advocate_page_ix");

            assertThatThrownBy(() -> JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.VALIDATE).build())
                    .isInstanceOf(StorageException.class).hasMessageContaining("V6__advocate_pages.sql");
            JdbcReferralStore upgraded = store(pool, prefix);
            JdbcReferralStore.builder(pool).tablePrefix(prefix).migration(MigrationMode.VALIDATE).build();
            assertThat(count("SELECT COUNT(*) FROM " + prefix + "schema_history")).isEqualTo(SCRIPTS);
            assertThat(indexes(prefix + "referral")).contains(prefix + "referral_advocate_page_ix",
                    prefix + "referral_advocate_ix");
            assertThat(indexes(prefix + "reward")).contains(prefix + "reward_advocate_page_ix")
                    .doesNotContain(prefix + "reward_advocate_ix");
            assertThat(indexes(prefix + "ledger")).contains(prefix + "ledger_advocate_page_ix")
                    .doesNotContain(prefix + "ledger_advocate_ix");

            Before second = new Before(t0.plusSeconds(60), "ref-1");
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.referrals().ofAdvocate(a, Before.first(), 2)))
                    .containsExactly(referrals.get(2), referrals.get(1));
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.referrals().ofAdvocate(a, second, 2)))
                    .containsExactly(referrals.get(0));
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.rewards().ofAdvocate(a, Before.first(), 2)))
                    .containsExactly(rewards.get(2), rewards.get(1));
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.rewards().ofAdvocate(a,
                    new Before(t0.plusSeconds(60), "rwd-1"), 2))).containsExactly(rewards.get(0));
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.ledger().entries(a, Before.first(), 2)))
                    .containsExactly(ledger.get(2), ledger.get(1));
            assertThat(upgraded.inTransaction((StoreTransaction tx) -> tx.ledger().entries(a,
                    new Before(t0.plusSeconds(60), "led-1"), 2))).containsExactly(ledger.get(0));
        }

        /** The names of a table's indexes, in lower case, as the driver's metadata lists them. */
        private Set<String> indexes(String table) {
            try (Connection c = db().connect()) {
                DatabaseMetaData md = c.getMetaData();
                String name = md.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                Set<String> out = new HashSet<>();
                try (ResultSet rs = md.getIndexInfo(c.getCatalog(), c.getSchema(), name, false, true)) {
                    while (rs.next()) {
                        String index = rs.getString("INDEX_NAME");
                        if (index != null) {
                            out.add(index.toLowerCase(Locale.ROOT));
                        }
                    }
                }
                assertThat(out).as("indexes of %s", table).isNotEmpty();
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Test
        @DisplayName("the table prefix is honoured: two prefixes in one database keep separate data")
        void prefixes() {
            String a = randomPrefix();
            String b = randomPrefix();
            HikariDataSource pool = db().pool(4);
            JdbcReferralStore first = store(pool, a);
            JdbcReferralStore second = store(pool, b);

            first.inTransaction((StoreTransaction tx) -> {
                tx.programs().insert(activeProgram("p-a"));
                tx.events().nextSequence("s");
                return null;
            });

            assertThat(second.inTransaction((StoreTransaction tx) -> tx.programs().all())).isEmpty();
            assertThat(second.inTransaction((StoreTransaction tx) -> tx.events().nextSequence("s"))).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM " + a + "program")).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM " + b + "program")).isZero();
        }

        @Test
        @DisplayName("a malformed table prefix is refused at once")
        void malformedPrefix() {
            assertThatThrownBy(() -> JdbcReferralStore.builder(db().pool(1)).tablePrefix("Bad-Prefix"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> JdbcReferralStore.ddl(db().dialect, "x;drop"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    // ==== connections and transactions ============================================================================

    /** A provider handing out one host connection, counting releases, refusing to be closed by the store. */
    static final class HostConnection implements ConnectionProvider {
        final Connection connection;
        final AtomicInteger released = new AtomicInteger();

        HostConnection(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Connection acquire() {
            return connection;
        }

        @Override
        public void release(Connection c) {
            released.incrementAndGet();
        }

        @Override
        public boolean joinsHostTransaction() {
            return true;
        }
    }

    @Nested
    @DisplayName("Connections and transactions")
    class Transactions {

        @Test
        @DisplayName("joining a host transaction: a host rollback removes the engine's writes, a host commit keeps "
                + "them, and the store never commits or closes the host's connection")
        void joinsHostTransaction() throws SQLException {
            HikariDataSource pool = db().pool(4);
            ReferralStore observer = store(pool, "ref_");
            try (Connection host = pool.getConnection()) {
                host.setAutoCommit(false);
                HostConnection provider = new HostConnection(host);
                assertThatThrownBy(() -> JdbcReferralStore.builder(provider).build())
                        .as("migrating would commit the host's transaction").isInstanceOf(IllegalStateException.class);
                ReferralEngine engine = ReferralEngine.builder().outbox().store(JdbcReferralStore.builder(provider)
                        .migration(MigrationMode.VALIDATE).build()).matchKeySecret(SECRET).build();

                Advocate rolledBack = engine.registerAdvocate(AdvocateRegistration.of("host-rb", "Jane", "",
                        AdvocateKind.CUSTOMER));
                assertThat(engine.advocate(rolledBack.id())).as("visible inside the host transaction").isPresent();
                assertThat(observer.inTransaction((StoreTransaction tx) -> tx.advocates().get(rolledBack.id())))
                        .isEmpty();
                host.rollback();
                assertThat(host.isClosed()).isFalse();
                assertThat(host.getAutoCommit()).isFalse();
                assertThat(observer.inTransaction((StoreTransaction tx) -> tx.advocates().get(rolledBack.id())))
                        .isEmpty();
                assertThat(observer.inTransaction((StoreTransaction tx) -> tx.events()
                        .ofStream("advocate:" + rolledBack.id().value())))
                        .as("no event for rolled-back work").isEmpty();

                Advocate kept = engine.registerAdvocate(AdvocateRegistration.of("host-ok", "Joe", "",
                        AdvocateKind.CUSTOMER));
                host.commit();
                assertThat(observer.inTransaction((StoreTransaction tx) -> tx.advocates().get(kept.id())))
                        .contains(kept);
                assertThat(provider.released.get()).isPositive();
                assertThat(host.isClosed()).isFalse();
            }
        }

        @Test
        @DisplayName("inside a host transaction, failed work is undone to its savepoint and the host's own writes stay")
        void savepointInHostTransaction() throws SQLException {
            HikariDataSource pool = db().pool(4);
            ReferralStore observer = store(pool, "ref_");
            try (Connection host = pool.getConnection()) {
                host.setAutoCommit(false);
                ReferralStore joined = JdbcReferralStore.builder(new HostConnection(host))
                        .migration(MigrationMode.NONE).build();
                consume(joined, "host-own", 1);

                assertThatThrownBy(() -> joined.inTransaction((StoreTransaction tx) -> {
                    tx.counters().tryConsume(new CounterKey("store-work"), 1, 10);
                    throw new IllegalStateException("work failed");
                })).isInstanceOf(IllegalStateException.class).hasMessage("work failed");
                host.commit();
            }
            assertThat(counter(observer, "host-own")).isEqualTo(1);
            assertThat(counter(observer, "store-work")).isZero();
        }

        @Test
        @DisplayName("with pools in auto-commit on, or off and declared the store's own, the store commits its own "
                + "transactions")
        void autoCommitOnAndOff() {
            HikariDataSource on = db().pool(2, c -> c.setAutoCommit(true));
            HikariDataSource off = db().pool(2, c -> c.setAutoCommit(false));
            ReferralStore viaOn = store(on, "ref_");
            ReferralStore viaOff = JdbcReferralStore.builder(off).hostTransactions(HostTransactions.NONE).build();

            consume(viaOn, "ac-on", 2);
            consume(viaOff, "ac-off", 3);

            assertThat(counter(viaOff, "ac-on")).isEqualTo(2);
            assertThat(counter(viaOn, "ac-off")).isEqualTo(3);
            assertThatThrownBy(() -> viaOff.inTransaction((StoreTransaction tx) -> {
                tx.counters().tryConsume(new CounterKey("ac-rolled"), 1, 10);
                throw new IllegalStateException("no");
            })).isInstanceOf(IllegalStateException.class);
            assertThat(counter(viaOn, "ac-rolled")).isZero();
        }

        @Test
        @DisplayName("by default a data source's connection with auto-commit off is refused, at build and in a "
                + "transaction, saying how to configure the store, and nothing is committed on it")
        void autoCommitOffIsRefusedByDefault() throws SQLException {
            HikariDataSource off = db().pool(2, c -> c.setAutoCommit(false));
            assertThatThrownBy(() -> JdbcReferralStore.builder(off).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("HostTransactions.JOIN")
                    .hasMessageContaining("HostTransactions.NONE");
            ReferralStore unchecked = JdbcReferralStore.builder(off).dialect(db().dialect)
                    .migration(MigrationMode.NONE).build();
            assertThat(unchecked.joinsHostTransactions()).isFalse();

            try (Connection host = db().connect()) {
                host.setAutoCommit(false);
                consume(JdbcReferralStore.builder(new HostConnection(host)).migration(MigrationMode.NONE).build(),
                        "host-half-done", 1);
                ReferralStore refusing = JdbcReferralStore.builder(new SingleConnectionDataSource(host, true))
                        .dialect(db().dialect).migration(MigrationMode.NONE).build();
                assertThatThrownBy(() -> consume(refusing, "refused", 1))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("auto-commit off");
                assertThatThrownBy(() -> consume(unchecked, "refused", 1))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("auto-commit off");
                host.rollback();
            }
            ReferralStore observer = store(db().pool(1), "ref_");
            assertThat(counter(observer, "host-half-done")).as("the host's rollback undid its own work").isZero();
            assertThat(counter(observer, "refused")).isZero();
        }

        @Test
        @DisplayName("a connection handed over in auto-commit gets its own transaction and its auto-commit back")
        void restoresAutoCommit() throws SQLException {
            try (Connection c = db().connect()) {
                assertThat(c.getAutoCommit()).isTrue();
                HostConnection provider = new HostConnection(c);
                ReferralStore s = JdbcReferralStore.builder(provider).build();
                consume(s, "restored", 1);
                assertThat(c.getAutoCommit()).isTrue();
                assertThat(c.isClosed()).isFalse();
            }
            assertThat(counter(store(db().pool(1), "ref_"), "restored")).isEqualTo(1);
        }

        @Test
        @DisplayName("a failing statement surfaces as StorageException keeping the SQLState, never a raw driver exception")
        void translatesErrors() {
            ReferralStore missing = JdbcReferralStore.builder(db().pool(1)).tablePrefix(randomPrefix())
                    .migration(MigrationMode.NONE).build();

            assertThatThrownBy(() -> missing.inTransaction((StoreTransaction tx) -> tx.programs()
                    .get(ProgramId.of("p"))))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.sqlState()).isPresent());
        }

        @Test
        @DisplayName("times are stored as UTC instants, whatever the session and JVM time zones")
        void utcInstants() throws SQLException {
            HikariDataSource pool = db().pool(2);
            ReferralStore s = store(pool, "ref_");
            Instant issued = Instant.parse("2025-01-06T09:00:00.123456Z");
            ProgramId program = ProgramId.of("p-tz");
            AdvocateId advocate = AdvocateId.of("adv-tz");
            ReferralCode code = new ReferralCode("TZCODE1", advocate, program, true, CodeStatus.ACTIVE, issued, issued);
            s.inTransaction((StoreTransaction tx) -> {
                tx.codes().insert(code);
                return null;
            });

            assertThat(ZoneId.systemDefault().getRules().getOffset(issued)).isNotEqualTo(ZoneOffset.UTC);
            String raw = switch (db().dialect) {
                case POSTGRESQL -> "SELECT to_char(issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";
                case MARIADB -> "SELECT DATE_FORMAT(issued_at, '%Y-%m-%d %H:%i:%s.%f')";
                case H2 -> "SELECT CAST(issued_at AS VARCHAR)";
            } + " FROM ref_code WHERE code_key = 'TZCODE1'";
            try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(raw)) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("2025-01-06 09:00:00.123456");
            }
            if (db().dialect == Dialect.MARIADB) {
                try (Connection c = pool.getConnection(); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT @@session.time_zone")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo(TestDatabase.MARIADB_SESSION_ZONE);
                }
            }
            assertThat(store(db().pool(1), "ref_").inTransaction((StoreTransaction tx) -> tx.codes().get("TZCODE1")))
                    .contains(code);
        }
    }

    // ==== several engines ==========================================================================================

    @Nested
    @DisplayName("Several engines on separate pools sharing one database")
    class SeveralEngines {
        private final List<ReferralEngine> engines = new ArrayList<>();
        private AdvocateId advocate;
        private ProgramId program;

        private ReferralEngine engine(int i) {
            return engines.get(i % engines.size());
        }

        private void seed(String tag) {
            for (int i = 0; i < 3; i++) {
                engines.add(ReferralEngine.builder().store(store(db().pool(8), "ref_")).matchKeySecret(SECRET).build());
            }
            program = engine(0).defineProgram(activeProgram("prog-" + tag)).id();
            advocate = engine(1).registerAdvocate(AdvocateRegistration.of("ext-" + tag, "Jane", "jane@acme.example",
                    AdvocateKind.PARTNER)).id();
            engine(2).enrol(advocate, program);
        }

        @Test
        @DisplayName("captures of different prospects never fail nor deadlock: 16 threads on two engines, 1,280 "
                + "captures, not one retryable conflict")
        void concurrentCapturesOfDifferentProspectsNeverFail() {
            int threads = 16;
            int perThread = 80;
            AtomicInteger conflicts = new AtomicInteger();
            List<ReferralEngine> two = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ReferralStore counted = countingConflicts(store(db().pool(threads / 2), "ref_"), conflicts);
                two.add(ReferralEngine.builder().store(counted).matchKeySecret(SECRET)
                        .defaultEligibilityPolicy(EligibilityPolicy.builder().advocateLimits().build()) // 80 an hour
                        .build());
            }
            String tag = UUID.randomUUID().toString().substring(0, 8);
            ProgramId p = two.get(0).defineProgram(activeProgram("prog-many-" + tag)).id();
            List<AdvocateId> advocates = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                AdvocateId a = two.get(1).registerAdvocate(AdvocateRegistration.of("ext-many-" + tag + "-" + t,
                        "Advocate " + t, "advocate" + t + "@partner" + t + ".example", AdvocateKind.PARTNER)).id();
                two.get(0).enrol(a, p);
                advocates.add(a);
            }

            List<Object> results = race(threads, t -> {
                ReferralEngine engine = two.get(t % 2);
                List<Object> outcomes = new ArrayList<>();
                for (int k = 0; k < perThread; k++) {
                    String who = tag + "-" + t + "-" + k;
                    try {
                        outcomes.add(engine.capture(CaptureRequest.builder().advocate(advocates.get(t)).program(p)
                                .prospect(Prospect.builder().fullName("Prospect " + who)
                                        .email("buyer-" + who + "@company-" + who + ".example")
                                        .company("Company " + who).companyDomain("company-" + who + ".example")
                                        .build())
                                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build()));
                    } catch (RuntimeException e) {
                        outcomes.add(e);
                    }
                }
                return outcomes;
            });

            List<Object> all = new ArrayList<>();
            for (Object r : results) {
                assertThat(r).isInstanceOf(List.class);
                all.addAll((List<?>) r);
            }
            assertThat(all).hasSize(threads * perThread);
            assertThat(all).filteredOn(o -> !(o instanceof CaptureResult.Accepted)).as("captures that failed")
                    .isEmpty();
            assertThat(conflicts.get()).as("deadlocks or serialisation failures the engine had to retry").isZero();
            assertThat(count("SELECT COUNT(*) FROM ref_referral WHERE program_id = 'prog-many-" + tag + "'"))
                    .isEqualTo(threads * perThread);
        }

        @Test
        @DisplayName("concurrent captures with one idempotency key store one referral and all callers get it")
        void idempotentCapture() {
            seed("idem");
            CaptureRequest request = CaptureRequest.builder().advocate(advocate).program(program)
                    .prospect(Prospect.builder().fullName("Peter Gibbons") // a prospect no other test refers
                            .email("peter-" + UUID.randomUUID() + "@initech.example").company("Initech").build())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT)
                    .idempotencyKey("idem-" + UUID.randomUUID()).build();

            List<Object> results = race(THREADS, i -> engine(i).capture(request));

            Set<ReferralId> ids = new HashSet<>();
            for (Object r : results) {
                assertThat(r).isInstanceOf(CaptureResult.Accepted.class);
                ids.add(((CaptureResult) r).acceptedReferral().id());
            }
            assertThat(ids).hasSize(1);
            assertThat(engine(0).store().inTransaction((StoreTransaction tx) -> tx.referrals().find(
                    io.referrals.core.storage.ReferralQuery.builder().advocate(advocate).build()))).hasSize(1);
        }

        @Test
        @DisplayName("a referral body stored before capture receipts were kept reads back without one, and a replay "
                + "of its capture answers from its current state")
        void bodyWithoutCaptureReceipt() throws Exception {
            seed("legacy");
            CaptureRequest request = CaptureRequest.builder().advocate(advocate).program(program)
                    .prospect(Prospect.builder().fullName("Milton Waddams").email("milton@initech.example")
                            .company("Initech").build())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT)
                    .idempotencyKey("legacy-" + UUID.randomUUID()).build();
            Referral recorded = engine(0).capture(request).acceptedReferral();
            assertThat(recorded.captured()).isPresent();
            try (Connection c = db().connect()) {
                String body;
                try (PreparedStatement ps = c.prepareStatement("SELECT body FROM ref_referral WHERE id = ?")) {
                    ps.setString(1, recorded.id().value());
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        body = rs.getString(1);
                    }
                }
                ObjectNode doc = (ObjectNode) new ObjectMapper().readTree(body);
                assertThat(doc.remove("captured")).isNotNull();
                try (PreparedStatement ps = c.prepareStatement("UPDATE ref_referral SET body = ? WHERE id = ?")) {
                    ps.setString(1, doc.toString());
                    ps.setString(2, recorded.id().value());
                    assertThat(ps.executeUpdate()).isOne();
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
            }

            Referral stored = engine(1).referral(recorded.id()).orElseThrow();

            assertThat(stored.captured()).isEmpty();
            assertThat(stored.asCaptured()).isEmpty();
            assertThat(engine(2).capture(request)).isEqualTo(new CaptureResult.Accepted(stored, true));
        }

        @Test
        @DisplayName("the first of many concurrent referrals of one prospect wins; the others are duplicates")
        void firstReferralOfAProspectWins() {
            byte[] secret = "shared-secret-of-the-host".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            List<ReferralEngine> screening = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                screening.add(ReferralEngine.builder().store(store(db().pool(8), "ref_")).matchKeySecret(secret)
                        .build());
            }
            ProgramId p = screening.get(0).defineProgram(activeProgram("prog-own-" + UUID.randomUUID())).id();
            List<AdvocateId> advocates = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                AdvocateId a = screening.get(i % 3).registerAdvocate(AdvocateRegistration.of("ext-own-"
                        + UUID.randomUUID(), "Advocate " + i, "", AdvocateKind.PARTNER)).id();
                screening.get(i % 3).enrol(a, p);
                advocates.add(a);
            }
            String email = "peter-" + UUID.randomUUID() + "@initech.example";

            List<Object> results = race(THREADS, i -> screening.get(i % 3).capture(CaptureRequest.builder()
                    .advocate(advocates.get(i)).program(p)
                    .prospect(Prospect.builder().fullName("Peter Gibbons").email(email).company("Initech").build())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build()));

            assertThat(results).filteredOn(r -> r instanceof CaptureResult.Accepted).hasSize(1);
            assertThat(results).filteredOn(r -> !(r instanceof CaptureResult.Accepted)).hasSize(THREADS - 1)
                    .allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(CaptureResult.Rejected.class,
                            rejected -> assertThat(rejected.reasons()).extracting(io.referrals.core.model.Reason::code)
                                    .contains("duplicate_prospect")));
        }

        @Test
        @DisplayName("concurrent inserts of one reward (same rule, milestone, source and beneficiary) store it once")
        void rewardOnce() {
            seed("reward");
            ReferralId referral = ReferralId.random();
            Instant now = Instant.parse("2025-01-06T09:00:00Z");
            List<Object> results = race(THREADS, i -> engine(i).transactions().inTransaction(w -> {
                w.store().rewards().insert(new Reward(RewardId.random(), program, advocate, Beneficiary.ADVOCATE,
                        RewardSource.referral(referral), "rule-1", 1, "stage:won", new Incentive.Points(500),
                        RewardStatus.PENDING, now, now, now, List.of(), 1));
                return "inserted";
            }));

            assertThat(results.stream().filter("inserted"::equals).count()).isEqualTo(1);
            assertThat(results).filteredOn(r -> !"inserted".equals(r)).allSatisfy(r -> assertThat(r)
                    .isInstanceOfSatisfying(DuplicateKeyException.class,
                            e -> assertThat(e.key()).isEqualTo(UniqueKey.REWARD)));
            assertThat(engine(0).store().inTransaction((StoreTransaction tx) -> tx.rewards().ofReferral(referral)))
                    .hasSize(1);
        }

        @Test
        @DisplayName("concurrent consumption never takes a cap past its capacity and fills it exactly")
        void capNeverExceeded() {
            seed("cap");
            CounterKey key = CounterKey.of("cap", UUID.randomUUID().toString());
            List<Object> results = race(THREADS * 2, i -> engine(i).transactions()
                    .inTransaction(w -> w.store().counters().tryConsume(key, 1, 10)));

            assertThat(results.stream().filter(Boolean.TRUE::equals).count()).isEqualTo(10);
            assertThat(engine(0).store().inTransaction((StoreTransaction tx) -> tx.counters().value(key)))
                    .isEqualTo(10);
        }

        @Test
        @DisplayName("concurrent redemptions never take the points balance below zero")
        void ledgerNeverNegative() {
            seed("ledger");
            Instant now = Instant.parse("2025-01-06T09:00:00Z");
            engine(0).transactions().inTransaction(w -> w.store().ledger().append(new LedgerEntry(
                    LedgerEntryId.random(), advocate, LedgerEntry.Kind.EARNED, 100, "", "earn-1", now, "")));

            List<Object> results = race(THREADS, i -> engine(i).transactions().inTransaction(w -> w.store().ledger()
                    .append(new LedgerEntry(LedgerEntryId.random(), advocate, LedgerEntry.Kind.REDEEMED, -10, "",
                            "redeem-" + i, now, ""))));

            assertThat(results.stream().filter(Boolean.TRUE::equals).count()).isEqualTo(10);
            ReferralStore s = engine(1).store();
            assertThat(s.inTransaction((StoreTransaction tx) -> tx.ledger().balance(advocate))).isZero();
            assertThat(s.inTransaction((StoreTransaction tx) -> tx.ledger().entries(advocate)).stream()
                    .mapToLong(LedgerEntry::points).sum())
                    .isZero();
        }

        @Test
        @DisplayName("concurrent emitters on one stream, some rolling back, leave a gapless committed sequence")
        void gaplessSequences() {
            seed("seq");
            String stream = "advocate:" + advocate.value();
            long before = engine(0).events(stream).size();
            List<Object> results = race(THREADS, i -> engine(i).transactions().inTransaction(w -> {
                w.emit(stream, m -> new AdvocateOptedOut(m, new AdvocateSummary(advocate, "ext", "Jane", "", false)));
                if (i % 3 == 0) {
                    throw new IllegalStateException("rolled back on purpose");
                }
                return "committed";
            }));

            long committed = results.stream().filter("committed"::equals).count();
            List<Long> sequences = engine(1).events(stream).stream().map(e -> e.event().metadata().sequence())
                    .toList();
            assertThat(sequences).hasSize((int) (before + committed));
            for (int i = 0; i < sequences.size(); i++) {
                assertThat(sequences.get(i)).isEqualTo(i + 1L);
            }
        }
    }

    @Nested
    @DisplayName("Points ledger")
    class Ledger {

        @Test
        @DisplayName("a replayed redemption is a duplicate even when the balance no longer covers it, and a refused "
                + "redemption leaves no entry")
        void replayedRedemption() {
            ReferralStore s = store(db().pool(2), "ref_");
            AdvocateId advocate = AdvocateId.random();
            Instant now = Instant.parse("2025-01-06T09:00:00Z");
            Function<String, LedgerEntry> redeem = key -> new LedgerEntry(LedgerEntryId.random(), advocate,
                    LedgerEntry.Kind.REDEEMED, -50, "", key, now, "");
            s.inTransaction((StoreTransaction tx) -> tx.ledger().append(new LedgerEntry(LedgerEntryId.random(),
                    advocate, LedgerEntry.Kind.EARNED, 50, "", "earn", now, "")));
            assertThat(s.inTransaction((StoreTransaction tx) -> tx.ledger().append(redeem.apply("redeem-1"))))
                    .isTrue();

            assertThatThrownBy(() -> s.inTransaction((StoreTransaction tx) -> tx.ledger().append(
                    redeem.apply("redeem-1")))).isInstanceOfSatisfying(DuplicateKeyException.class,
                            e -> assertThat(e.key()).isEqualTo(UniqueKey.LEDGER_ENTRY));
            assertThat(s.inTransaction((StoreTransaction tx) -> tx.ledger().append(redeem.apply("redeem-2"))))
                    .isFalse();
            assertThat(s.inTransaction((StoreTransaction tx) -> tx.ledger().entries(advocate))).hasSize(2);
            assertThat(s.inTransaction((StoreTransaction tx) -> tx.ledger().balance(advocate))).isZero();
        }
    }

    // ==== statements ===============================================================================================

    @Nested
    @DisplayName("Statements per operation")
    class Statements {

        @Test
        @DisplayName("a capture with warm caches takes one commit and these statements: advocate read, the "
                + "prospect's screening lock and velocity counter, one lookup by the prospect's and the advocate's "
                + "keys (ownership and circular referrals), referral insert, sequence upsert, event insert (on "
                + "PostgreSQL the counters and the lookup go in one request, and the last three as one statement)")
        void captureStatements() {
            RoundTripCounter counting = new RoundTripCounter(db().pool(2));
            ReferralEngine engine = ReferralEngine.builder().store(JdbcReferralStore.builder(counting).build())
                    .matchKeySecret(SECRET).outbox().build();
            ProgramId program = engine.defineProgram(activeProgram("prog-count-" + UUID.randomUUID())).id();
            AdvocateId advocate = engine.registerAdvocate(AdvocateRegistration.of("ext-count-" + UUID.randomUUID(),
                    "Jane", "jane@vendor.example", AdvocateKind.PARTNER)).id();
            engine.enrol(advocate, program);
            Function<String, CaptureRequest> request = company -> CaptureRequest.builder().advocate(advocate)
                    .program(program).prospect(Prospect.builder().fullName("Peter")
                            .email("peter@" + company.toLowerCase(java.util.Locale.ROOT) + ".example")
                            .company(company).build())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build();
            engine.capture(request.apply("Initech"));

            counting.reset();
            assertThat(engine.capture(request.apply("Initrode"))).isInstanceOf(CaptureResult.Accepted.class);

            // the two counters (prospect lock, advocate velocity) are one multi-row conditional upsert on
            // PostgreSQL, one conditional MERGE each on H2 and two statements each on MariaDB; on PostgreSQL the
            // three writes are held back and sent as one statement, and the counters' upsert and the lookup after it
            // are two statements of one request; MariaDB's transaction starts with SET TRANSACTION ISOLATION LEVEL
            // READ COMMITTED (the pool's sessions are at the server's REPEATABLE READ)
            boolean pg = db().dialect == Dialect.POSTGRESQL;
            assertThat(counting.prepared).as(counting.report())
                    .hasSize(pg ? 3 : db().dialect == Dialect.H2 ? 7 : 10);
            if (pg) {
                assertThat(counting.prepared.get(1)).startsWith("INSERT INTO ref_counter ")
                        .contains(";\nSELECT ");
                assertThat(counting.prepared.get(2)).startsWith("WITH w0 AS (INSERT INTO ref_referral ")
                        .contains("w1 AS (INSERT INTO ref_stream_seq ", "w2 AS (INSERT INTO ref_event ");
            }
            assertThat(counting.commits.get()).isEqualTo(1);
        }
    }

    // ==== pages of a program =======================================================================================

    @Nested
    @DisplayName("Pages of a program's enrolments and rewards")
    class ProgramPages {
        private static final int PROGRAMS = 20;
        private static final int PER_PROGRAM = 50;

        private final String prefix = randomPrefix();
        private final RoundTripCounter counting = new RoundTripCounter(db().pool(2));
        private final JdbcReferralStore store = JdbcReferralStore.builder(counting).tablePrefix(prefix).build();

        private ProgramId program(int i) {
            return ProgramId.of(String.format("p-%02d", i));
        }

        /** Enrolments of advocates {@code a-000..} in every program; rewards {@code w-0000..} spread over them. */
        private void seed() {
            Instant now = Instant.parse("2025-01-06T09:00:00Z");
            for (int p = 0; p < PROGRAMS; p++) {
                ProgramId program = program(p);
                store.inTransaction((StoreTransaction tx) -> {
                    for (int a = PER_PROGRAM - 1; a >= 0; a--) {
                        tx.advocates().insertEnrolment(new Enrolment(AdvocateId.of(String.format("a-%03d", a)),
                                program, now));
                    }
                    return null;
                });
            }
            int rewards = PROGRAMS * PER_PROGRAM;
            for (int batch = 0; batch < rewards; batch += PER_PROGRAM) {
                int from = batch;
                store.inTransaction((StoreTransaction tx) -> {
                    for (int i = from; i < from + PER_PROGRAM; i++) {
                        // ids in an order unrelated to programs or insertion: 389 is prime to 1000
                        String id = String.format("w-%04d", i * 389 % rewards);
                        tx.rewards().insert(new Reward(RewardId.of(id), program(i % PROGRAMS), AdvocateId.of("a-000"),
                                Beneficiary.ADVOCATE, RewardSource.referral(ReferralId.of("r-" + id)), "rule-1", 1,
                                "stage:won", new Incentive.Points(10), RewardStatus.PENDING, now, now, now, List.of(),
                                1));
                    }
                    return null;
                });
            }
            for (String table : List.of("enrolment", "reward")) {
                execute((db().dialect == Dialect.POSTGRESQL ? "ANALYZE " : "ANALYZE TABLE ") + prefix + table);
            }
        }

        @Test
        @DisplayName("a program's enrolments come page by page in advocate id order, its rewards in id order, and "
                + "each page is one query answered from an index in that order, without sorting")
        void pagesFromIndexes() throws SQLException {
            seed();
            ProgramId program = program(7);

            List<String> advocates = new ArrayList<>();
            List<Enrolment> enrolments;
            do {
                String after = last(advocates);
                enrolments = store.inTransaction((StoreTransaction tx) -> tx.advocates()
                        .enrolmentsInProgram(program, after, 7));
                assertThat(enrolments).hasSizeLessThanOrEqualTo(7).allMatch(e -> e.programId().equals(program));
                enrolments.forEach(e -> advocates.add(e.advocateId().value()));
            } while (!enrolments.isEmpty());
            assertThat(advocates).hasSize(PER_PROGRAM).isSorted().doesNotHaveDuplicates();

            List<String> rewards = new ArrayList<>();
            List<Reward> page;
            do {
                String after = last(rewards);
                page = store.inTransaction((StoreTransaction tx) -> tx.rewards().ofProgram(program, after, 9));
                assertThat(page).hasSizeLessThanOrEqualTo(9).allMatch(r -> r.programId().equals(program));
                page.forEach(r -> rewards.add(r.id().value()));
            } while (!page.isEmpty());
            assertThat(rewards).hasSize(PER_PROGRAM).isSorted().doesNotHaveDuplicates();
            assertThatThrownBy(() -> store.inTransaction((StoreTransaction tx) -> tx.rewards()
                    .ofProgram(program, "", 0))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.inTransaction((StoreTransaction tx) -> tx.advocates()
                    .enrolmentsInProgram(program, "", 0))).isInstanceOf(IllegalArgumentException.class);

            assertThat(plan(() -> store.inTransaction((StoreTransaction tx) -> tx.advocates()
                    .enrolmentsInProgram(program, "a-010", 10)), "'p-07'", "'a-010'", "10"))
                    .isEqualTo(prefix + "enrolment_program_ix");
            assertThat(plan(() -> store.inTransaction((StoreTransaction tx) -> tx.rewards()
                    .ofProgram(program, "w-0100", 10)), "'p-07'", "'w-0100'", "10"))
                    .isEqualTo(prefix + "reward_program_id_ix");
        }

        private String last(List<String> ids) {
            return ids.isEmpty() ? "" : ids.get(ids.size() - 1);
        }

        /**
         * The index the database uses for the one statement {@code call} sends, its parameters replaced by
         * {@code literals}; fails if the plan sorts or reads no index.
         */
        private String plan(Runnable call, String... literals) throws SQLException {
            counting.reset();
            call.run();
            List<String> sent = counting.prepared.stream().filter(s -> !s.startsWith("SET TRANSACTION")).toList();
            assertThat(sent).hasSize(1);
            String sql = sent.get(0);
            for (String literal : literals) {
                sql = sql.replaceFirst("\\?", literal);
            }
            List<String> lines = new ArrayList<>();
            String key = null;
            try (Connection c = db().connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
                while (rs.next()) {
                    if (db().dialect == Dialect.MARIADB) {
                        key = rs.getString("key");
                        lines.add(rs.getString("type") + " " + key + " " + rs.getString("Extra"));
                    } else {
                        lines.add(rs.getString(1));
                    }
                }
            }
            String plan = String.join("\n", lines);
            switch (db().dialect) {
                case H2 -> {
                    assertThat(plan).as(plan).containsIgnoringCase("index sorted");
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("/\\* PUBLIC\\.(\\w+):")
                            .matcher(plan);
                    key = m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
                }
                case POSTGRESQL -> {
                    assertThat(plan).as(plan).doesNotContain("Sort");
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("Index (?:Only )?Scan using (\\w+)")
                            .matcher(plan);
                    key = m.find() ? m.group(1) : null;
                }
                case MARIADB -> assertThat(plan).as(plan).doesNotContain("filesort");
            }
            assertThat(key).as(plan).isNotNull();
            return key;
        }
    }

    // ==== outbox ===================================================================================================

    @Nested
    @DisplayName("Outbox with several dispatchers on separate pools")
    class Outbox {

        private void emit(ReferralEngine engine, String stream, int count) {
            engine.transactions().inTransaction(w -> {
                for (int i = 0; i < count; i++) {
                    w.emit(stream, m -> new AdvocateOptedOut(m, new AdvocateSummary(AdvocateId.of("adv-o"), "ext",
                            "Jane", "", false)));
                }
                return null;
            });
        }

        @Test
        @DisplayName("three dispatchers deliver every event at least once, in order per stream, losing none")
        void severalDispatchers() {
            String run = UUID.randomUUID().toString().substring(0, 8);
            ReferralEngine engine = ReferralEngine.builder().store(store(db().pool(4), "ref_")).matchKeySecret(SECRET)
                    .outbox().build();
            int streams = 6;
            int perStream = 10;
            for (int round = 0; round < perStream; round++) {
                for (int s = 0; s < streams; s++) {
                    emit(engine, "o:" + run + ":" + s, 1);
                }
            }
            List<ReferralEvent> delivered = Collections.synchronizedList(new ArrayList<>());
            Set<EventId> distinct = Collections.synchronizedSet(new HashSet<>());
            int total = streams * perStream;

            List<Object> results = race(3, i -> {
                OutboxDispatcher d = OutboxDispatcher.builder(store(db().pool(2), "ref_"), e -> {
                    if (e.metadata().stream().contains(run)) {
                        delivered.add(e);
                        distinct.add(e.metadata().id());
                    }
                }).batchSize(4).build();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (distinct.size() < total && System.nanoTime() < deadline) {
                    d.runOnce();
                }
                return distinct.size();
            });

            assertThat(results).containsOnly(total);
            Map<String, List<Long>> byStream = new LinkedHashMap<>();
            synchronized (delivered) {
                for (ReferralEvent e : delivered) {
                    byStream.computeIfAbsent(e.metadata().stream(), k -> new ArrayList<>()).add(e.metadata().sequence());
                }
            }
            assertThat(byStream).hasSize(streams);
            byStream.values().forEach(seqs -> assertThat(seqs).isSorted().contains(1L, (long) perStream));
            for (int s = 0; s < streams; s++) {
                assertThat(engine.events("o:" + run + ":" + s)).allMatch(e -> e.status() == OutboxStatus.DELIVERED);
            }
        }

        @Test
        @DisplayName("dispatchers polling while engines write: every write commits, every event arrives in order")
        void pollingWhileWriting() {
            String run = UUID.randomUUID().toString().substring(0, 8);
            int writers = 4;
            int perWriter = 15;
            int total = writers * perWriter;
            Set<EventId> distinct = Collections.synchronizedSet(new HashSet<>());
            Map<String, List<Long>> byStream = new java.util.concurrent.ConcurrentHashMap<>();
            List<Object> results = race(writers + 2, i -> {
                if (i < writers) {
                    ReferralEngine engine = ReferralEngine.builder().store(store(db().pool(2), "ref_")).outbox()
                            .matchKeySecret(SECRET).build();
                    for (int n = 0; n < perWriter; n++) {
                        emit(engine, "w:" + run + ":" + (n % 3), 1);
                    }
                    return -1;
                }
                OutboxDispatcher d = OutboxDispatcher.builder(store(db().pool(2), "ref_"), e -> {
                    if (e.metadata().stream().contains(run) && distinct.add(e.metadata().id())) {
                        byStream.computeIfAbsent(e.metadata().stream(),
                                k -> Collections.synchronizedList(new ArrayList<>())).add(e.metadata().sequence());
                    }
                }).batchSize(5).build();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (distinct.size() < total && System.nanoTime() < deadline) {
                    d.runOnce();
                }
                return distinct.size();
            });

            assertThat(results.subList(0, writers)).containsOnly(-1);
            assertThat(results.subList(writers, writers + 2)).containsOnly(total);
            assertThat(byStream.values()).allSatisfy(seqs -> assertThat(seqs).isSorted());
        }

        @Test
        @DisplayName("a failing listener is retried with backoff by any dispatcher, then parked and visible")
        void retryThenPark() {
            MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
            String stream = "bad:" + UUID.randomUUID();
            ReferralEngine engine = ReferralEngine.builder().store(store(db().pool(2), "ref_")).clock(clock).outbox()
                    .matchKeySecret(SECRET).build();
            emit(engine, stream, 2);
            List<OutboxDispatcher> dispatchers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                dispatchers.add(OutboxDispatcher.builder(store(db().pool(2), "ref_"), e -> {
                    if (e.metadata().stream().equals(stream)) {
                        throw new IllegalStateException("listener down");
                    }
                }).clock(clock).backoff(BackoffPolicy.exponential(Duration.ofSeconds(30), Duration.ofMinutes(5), 3))
                        .build());
            }

            for (int attempt = 0; attempt < 3; attempt++) {
                for (OutboxDispatcher d : dispatchers) {
                    d.runOnce();
                }
                clock.advance(Duration.ofMinutes(5));
            }

            List<OutboxEntry> events = engine.events(stream);
            assertThat(events.get(0).status()).isEqualTo(OutboxStatus.PARKED);
            assertThat(events.get(0).attempts()).isEqualTo(3);
            assertThat(events.get(0).lastError()).contains("listener down");
            assertThat(events.get(1).status()).as("held back behind the parked event").isEqualTo(OutboxStatus.PENDING);
            assertThat(events.get(1).attempts()).isZero();
            assertThat(dispatchers.get(2).parked(1000)).extracting(e -> e.event().metadata().id())
                    .contains(events.get(0).event().metadata().id());
        }

        @Test
        @DisplayName("nothing is emitted for rolled-back work")
        void nothingForRollbacks() {
            Clock clock = Clock.systemUTC();
            String stream = "rb:" + UUID.randomUUID();
            ReferralEngine engine = ReferralEngine.builder().store(store(db().pool(2), "ref_")).clock(clock).outbox()
                    .matchKeySecret(SECRET).build();
            assertThatThrownBy(() -> engine.transactions().inTransaction(w -> {
                w.emit(stream, m -> new AdvocateOptedOut(m, new AdvocateSummary(AdvocateId.of("a"), "e", "J", "",
                        false)));
                throw new IllegalStateException("rolled back");
            })).isInstanceOf(IllegalStateException.class);
            List<ReferralEvent> delivered = new ArrayList<>();
            OutboxDispatcher d = OutboxDispatcher.builder(store(db().pool(2), "ref_"), e -> {
                if (e.metadata().stream().equals(stream)) {
                    delivered.add(e);
                }
            }).clock(clock).build();
            while (d.runOnce() > 0) {
                // drain whatever other tests left due
            }
            assertThat(delivered).isEmpty();
            assertThat(engine.events(stream)).isEmpty();
        }
    }
}
