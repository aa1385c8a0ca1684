package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.referrals.core.model.Referral;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.storage.ReferralQuery;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store from a Spring host's seat: a {@link DataSourceTransactionManager} and {@link TransactionTemplate} on a
 * HikariCP pool, the host's own writes through a {@link JdbcTemplate}, and the store on a
 * {@link TransactionAwareDataSourceProxy} of the same pool, which hands the store the host's connection (auto-commit
 * off) inside a transaction and a pooled one (auto-commit on) outside. Each dialect runs it through a subclass with a
 * database of its own.
 */
abstract class SpringHostTransactionSuite {
    private static final byte[] SECRET = "spring-host-transaction-secret".getBytes(StandardCharsets.UTF_8);

    private HikariDataSource pool;
    private TransactionTemplate transactions;
    private JdbcTemplate host;
    private String prefix;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    abstract TestDatabase db();

    @BeforeEach
    void openPool() {
        pool = db().pool(4);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(pool));
        host = new JdbcTemplate(pool);
        prefix = "s" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
        host.execute("CREATE TABLE " + prefix + "lead (email VARCHAR(254) PRIMARY KEY)");
    }

    @AfterEach
    void closePool() {
        db().closePools();
    }

    /** An engine on a store that joins Spring's transactions, delivering through the outbox. */
    private ReferralEngine joiningEngine() {
        JdbcReferralStore store = JdbcReferralStore.builder(new TransactionAwareDataSourceProxy(pool))
                .tablePrefix(prefix).hostTransactions(HostTransactions.JOIN).build(); // migrates: no transaction yet
        assertThat(store.joinsHostTransactions()).isTrue();
        return ReferralEngine.builder().store(store).matchKeySecret(SECRET).outbox()
                .listener(new ReferralListener() {
                    @Override
                    public void onReferralSubmitted(ReferralSubmitted e) {
                        heard.add(e.referral().prospectCompany());
                    }
                })
                .build();
    }

    /** Program and enrolled advocate, written outside any host transaction (the store's own transactions). */
    private Advocate seed(ReferralEngine engine) {
        ProgramId program = engine.defineProgram(Program.builder(ProgramId.of("customers"), "Customers",
                ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build()).id();
        Advocate jane = engine.registerAdvocate(AdvocateRegistration.of("crm-1", "Jane", "jane@acme.example",
                AdvocateKind.CUSTOMER));
        engine.enrol(jane.id(), program);
        return jane;
    }

    private static CaptureResult capture(ReferralEngine engine, Advocate advocate, String company) {
        return engine.capture(CaptureRequest.builder().advocate(advocate.id()).program(ProgramId.of("customers"))
                .prospect(Prospect.builder().fullName("Prospect of " + company)
                        .email("buyer@" + company.toLowerCase(java.util.Locale.ROOT) + ".example").company(company)
                        .build())
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build());
    }

    private void insertLead(String email) {
        host.update("INSERT INTO " + prefix + "lead (email) VALUES (?)", email);
    }

    private List<String> leads() {
        return host.queryForList("SELECT email FROM " + prefix + "lead ORDER BY email", String.class);
    }

    private static List<String> companies(ReferralEngine engine) {
        return engine.referrals(ReferralQuery.builder().program(ProgramId.of("customers")).build()).stream()
                .map(Referral::prospect).map(Prospect::company).sorted().toList();
    }

    private static void dispatch(ReferralEngine engine) {
        try (OutboxDispatcher dispatcher = OutboxDispatcher.builder(engine).build()) {
            while (dispatcher.runOnce() > 0) {
                // deliver everything due
            }
        }
    }

    @Test
    @DisplayName("a host rollback undoes both the host's own insert and the engine's capture, and the listener hears "
            + "nothing after dispatch")
    void hostRollbackUndoesBoth() {
        ReferralEngine engine = joiningEngine();
        Advocate jane = seed(engine);

        transactions.executeWithoutResult(status -> {
            insertLead("buyer@initech.example");
            assertThat(capture(engine, jane, "Initech")).isInstanceOf(CaptureResult.Accepted.class);
            assertThat(companies(engine)).as("seen inside the host's transaction").containsExactly("Initech");
            status.setRollbackOnly();
        });

        assertThat(leads()).isEmpty();
        assertThat(companies(engine)).isEmpty();
        dispatch(engine);
        assertThat(heard).isEmpty();
    }

    @Test
    @DisplayName("a host commit keeps both the host's own insert and the engine's capture, and the listener hears of "
            + "the capture once dispatched, not before")
    void hostCommitKeepsBoth() {
        ReferralEngine engine = joiningEngine();
        Advocate jane = seed(engine);

        transactions.executeWithoutResult(status -> {
            insertLead("buyer@initech.example");
            assertThat(capture(engine, jane, "Initech")).isInstanceOf(CaptureResult.Accepted.class);
            assertThat(heard).as("nothing is delivered inside the host's transaction").isEmpty();
        });

        assertThat(leads()).containsExactly("buyer@initech.example");
        assertThat(companies(engine)).containsExactly("Initech");
        assertThat(heard).isEmpty();
        dispatch(engine);
        assertThat(heard).containsExactly("Initech");
    }

    @Test
    @DisplayName("when the host's own work fails after the capture, Spring's rollback removes the capture too")
    void hostFailureAfterCaptureRemovesIt() {
        ReferralEngine engine = joiningEngine();
        Advocate jane = seed(engine);
        insertLead("buyer@globex.example");

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            capture(engine, jane, "Globex");
            insertLead("buyer@globex.example"); // the host's own duplicate key
        })).isInstanceOf(org.springframework.dao.DuplicateKeyException.class);

        assertThat(companies(engine)).isEmpty();
        dispatch(engine);
        assertThat(heard).isEmpty();
    }

    @Test
    @DisplayName("a store on the proxy not told to join refuses the host's transaction and commits none of the "
            + "host's half-done work")
    void storeNotToldToJoinRefuses() {
        JdbcReferralStore store = JdbcReferralStore.builder(new TransactionAwareDataSourceProxy(pool))
                .tablePrefix(prefix).build();
        assertThat(store.joinsHostTransactions()).isFalse();
        ReferralEngine engine = ReferralEngine.builder().store(store).matchKeySecret(SECRET).build();
        Advocate jane = seed(engine);

        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            insertLead("buyer@initech.example");
            capture(engine, jane, "Initech");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("HostTransactions.JOIN");

        assertThat(leads()).as("the host's rollback undid its own insert: the store committed nothing").isEmpty();
        assertThat(companies(engine)).isEmpty();
    }

    @Test
    @DisplayName("an engine delivering in process on a store that joins host transactions is refused at build")
    void inProcessDeliveryOnAJoiningStoreIsRefused() {
        JdbcReferralStore store = JdbcReferralStore.builder(new TransactionAwareDataSourceProxy(pool))
                .tablePrefix(prefix).hostTransactions(HostTransactions.JOIN).build();

        assertThatThrownBy(() -> ReferralEngine.builder().store(store).matchKeySecret(SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("outbox()");
    }
}
