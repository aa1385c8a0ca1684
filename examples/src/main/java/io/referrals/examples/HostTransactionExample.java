package io.referrals.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.storage.jdbc.ConnectionProvider;
import io.referrals.storage.jdbc.JdbcReferralStore;
import io.referrals.storage.jdbc.MigrationMode;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The library inside a host's own transaction, on PostgreSQL with HikariCP: the host records a lead in its own table
 * and captures the referral in the same database transaction, so both commit or neither does. Events go through the
 * transactional outbox and reach listeners only after the host commits.
 *
 * <p>Run against a local PostgreSQL: {@code java ... HostTransactionExample jdbc:postgresql://127.0.0.1:5432/test
 * postgres}. {@link #run} takes any {@link DataSource}, which is how the examples' tests run it on H2.
 */
public final class HostTransactionExample {
    /** Every engine on one store matches prospects under one stable secret; a real host loads its own. */
    private static final byte[] MATCH_KEY_SECRET = "host-transaction-example-secret"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?(\\w+)");

    private final DataSource pool;
    private final PrintStream out;
    /** The host's transaction of the current thread, which the store joins. */
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    private final List<String> delivered = new ArrayList<>();

    HostTransactionExample(DataSource pool, PrintStream out) {
        this.pool = pool;
        this.out = out;
    }

    public static void main(String[] args) throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/test");
        config.setUsername(args.length > 1 ? args[1] : "postgres");
        config.setPassword(args.length > 2 ? args[2] : "");
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            new HostTransactionExample(pool, System.out).run("example_");
        }
    }

    /** Joins whatever transaction the host opened on this thread. */
    private final class HostConnections implements ConnectionProvider {
        @Override
        public Connection acquire() {
            Connection c = current.get();
            if (c == null) {
                throw new IllegalStateException("no host transaction is open on this thread");
            }
            return c;
        }

        @Override
        public void release(Connection connection) {
            // the host closes its own connection when its transaction ends
        }

        @Override
        public boolean joinsHostTransaction() {
            return true;
        }
    }

    /** The host's unit of work: one connection, one transaction, committed or rolled back by the host. */
    private interface HostWork {
        void run(Connection c) throws SQLException;
    }

    private void inHostTransaction(HostWork work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                current.remove();
            }
        }
    }

    /** Runs the example with tables prefixed by {@code prefix}, dropping them at the end. */
    void run(String prefix) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + prefix + "crm_lead (email VARCHAR(254) PRIMARY KEY, source VARCHAR(64))");
        }
        try {
            // migrate once on a pooled connection, outside any host transaction; the joined store then needs no
            // connection of its own to start (its dialect is given and it does not migrate)
            JdbcReferralStore pooled = JdbcReferralStore.builder(pool).tablePrefix(prefix).build();
            JdbcReferralStore joined = JdbcReferralStore.builder(new HostConnections()).tablePrefix(prefix)
                    .dialect(pooled.dialect()).migration(MigrationMode.NONE).build();
            // events stay in the outbox until the host commits; the dispatcher below delivers them
            ReferralEngine engine = ReferralEngine.builder().store(joined).matchKeySecret(MATCH_KEY_SECRET).outbox()
                    .build();

            ProgramId programId = ProgramId.of("customers");
            Advocate[] jane = new Advocate[1];
            inHostTransaction(c -> {
                engine.defineProgram(Program.builder(programId, "Customer referrals", ProgramKind.CUSTOMER)
                        .status(ProgramStatus.ACTIVE).build());
                jane[0] = engine.registerAdvocate(AdvocateRegistration.of("crm-42", "Jane", "jane@acme.example",
                        AdvocateKind.CUSTOMER));
                engine.enrol(jane[0].id(), programId);
            });

            // 1. the host's lead and the referral commit together
            inHostTransaction(c -> {
                insertLead(c, prefix, "peter@initech.example");
                capture(engine, jane[0], programId, "peter@initech.example", "Initech");
            });
            // 2. the host's work fails after the capture: the referral disappears with it
            try {
                inHostTransaction(c -> {
                    capture(engine, jane[0], programId, "bill@globex.example", "Globex");
                    insertLead(c, prefix, "peter@initech.example"); // duplicate key in the host's own table
                });
            } catch (SQLException expected) {
                out.println("host transaction rolled back: " + expected.getSQLState());
            }
            // the dispatcher runs in the store's own transactions: it uses the pooled store, not the host's connection
            ReferralEngine delivering = ReferralEngine.builder().store(pooled).matchKeySecret(MATCH_KEY_SECRET).outbox()
                    .listener(new ReferralListener() {
                        @Override
                        public void onReferralSubmitted(ReferralSubmitted e) {
                            delivered.add(e.referral().prospectCompany());
                        }
                    })
                    .build();
            try (OutboxDispatcher outbox = OutboxDispatcher.builder(delivering).build()) {
                while (outbox.runOnce() > 0) {
                    // deliver everything due
                }
            }
            int referrals = delivering.referrals(ReferralQuery.builder().program(programId).build()).size();
            out.println("leads in the host's table: " + countLeads(prefix));
            out.println("referrals stored: " + referrals);
            out.println("submissions delivered after commit: " + delivered);
        } finally {
            dropTables(prefix);
        }
    }

    private static void capture(ReferralEngine engine, Advocate advocate, ProgramId programId, String email,
            String company) {
        CaptureResult r = engine.capture(CaptureRequest.builder().advocate(advocate.id()).program(programId)
                .prospect(Prospect.builder().fullName("Prospect").email(email).company(company).build())
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build());
        if (!r.isAccepted()) {
            throw new IllegalStateException("capture not accepted: " + r);
        }
    }

    private static void insertLead(Connection c, String prefix, String email) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + prefix + "crm_lead VALUES (?, 'referral')")) {
            ps.setString(1, email);
            ps.executeUpdate();
        }
    }

    int countLeads(String prefix) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + prefix + "crm_lead")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    List<String> delivered() {
        return delivered;
    }

    private void dropTables(String prefix) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + prefix + "crm_lead");
            JdbcReferralStore store = JdbcReferralStore.builder(pool).tablePrefix(prefix)
                    .migration(MigrationMode.NONE).build();
            Matcher table = CREATE_TABLE.matcher(JdbcReferralStore.ddl(store.dialect(), prefix));
            while (table.find()) {
                s.execute("DROP TABLE IF EXISTS " + table.group(1));
            }
            s.execute("DROP TABLE IF EXISTS " + prefix + "schema_history");
        }
    }
}
