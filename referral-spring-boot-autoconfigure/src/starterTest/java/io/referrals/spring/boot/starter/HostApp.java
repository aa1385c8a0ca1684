package io.referrals.spring.boot.starter;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.ReferralId;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.rules.Rewards;
import java.io.Closeable;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.transaction.annotation.Transactional;

/**
 * The host application of the starter's tests: a service whose {@code @Transactional} methods capture referrals and
 * write the host's own table, an advocate notifier that depends on the rewards service (no bean cycle), an
 * {@code @EventListener} of republished events, and a DataSource the tests can make unreachable and whose closing they
 * watch.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class HostApp {

    @Bean
    public HostService hostService(ReferralEngine engine, JdbcTemplate jdbc) {
        return new HostService(engine, jdbc);
    }

    @Bean
    public Notifier notifier(Rewards rewards) {
        return new Notifier(rewards);
    }

    @Bean
    public SpringEvents springEvents() {
        return new SpringEvents();
    }

    /** The application's pool, built from the spring.datasource properties, wrapped so that tests can switch it off. */
    @Bean
    public SwitchableDataSource dataSource(Environment env, ObjectProvider<OutboxDispatcher> dispatcher) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(env.getRequiredProperty("spring.datasource.url"));
        pool.setUsername(env.getProperty("spring.datasource.username"));
        pool.setPassword(env.getProperty("spring.datasource.password"));
        pool.setMaximumPoolSize(6);
        pool.setConnectionTimeout(2000);
        return new SwitchableDataSource(pool, dispatcher);
    }

    /** The host's service: captures referrals by code inside its own transactions, beside its own writes. */
    public static class HostService {
        private final ReferralEngine engine;
        private final JdbcTemplate jdbc;

        public HostService(ReferralEngine engine, JdbcTemplate jdbc) {
            this.engine = engine;
            this.jdbc = jdbc;
            jdbc.execute("CREATE TABLE IF NOT EXISTS host_note (email VARCHAR(200) NOT NULL)");
        }

        /** Registers an advocate with a vanity code in {@code program}, outside any host transaction. */
        public void advocateWithCode(String externalId, String program, String code) {
            var a = engine.registerAdvocate(AdvocateRegistration.of(externalId, "Jane " + externalId,
                    externalId + "@acme.example", AdvocateKind.CUSTOMER));
            engine.enrol(a.id(), ProgramId.of(program));
            engine.issueVanityCode(a.id(), ProgramId.of(program), code);
        }

        /** Captures a referral and notes the prospect in the host's table; throws after both when {@code fail}. */
        @Transactional
        public ReferralId refer(String code, String email, boolean fail) {
            CaptureResult r = engine.capture(CaptureRequest.builder().code(code)
                    .prospect(Prospect.builder().fullName("Peter").email(email).company("Initech").build())
                    .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
            jdbc.update("INSERT INTO host_note (email) VALUES (?)", email);
            if (fail) {
                throw new IllegalStateException("the host failed after the capture");
            }
            return r.recorded().orElseThrow().id();
        }

        public long notes(String email) {
            Long n = jdbc.queryForObject("SELECT COUNT(*) FROM host_note WHERE email = ?", Long.class, email);
            return n == null ? 0 : n;
        }
    }

    /** Tells advocates about their referrals; depends on the rewards service, which depends on the engine. */
    public static class Notifier implements ReferralListener {
        final List<String> told = new CopyOnWriteArrayList<>();
        final AtomicInteger failuresToCome = new AtomicInteger();
        private final Rewards rewards;

        public Notifier(Rewards rewards) {
            this.rewards = rewards;
        }

        @Override
        public void onReferralSubmitted(ReferralSubmitted e) {
            if (failuresToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("mail server down");
            }
            rewards.rewardsOf(e.referral().referralId());
            told.add(e.referral().referralId().value());
        }
    }

    /** Receives engine events republished as Spring application events. */
    public static class SpringEvents {
        final List<ReferralEvent> received = new CopyOnWriteArrayList<>();

        @EventListener
        public void on(ReferralSubmitted e) {
            received.add(e);
        }
    }

    /**
     * The application's DataSource, which a test can make unreachable, and which records whether the outbox
     * dispatcher was still running when the pool closed, and any connection asked for after that.
     */
    public static final class SwitchableDataSource extends DelegatingDataSource implements Closeable {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger askedAfterClose = new AtomicInteger();
        volatile Boolean dispatcherRunningAtClose;
        private final ObjectProvider<OutboxDispatcher> dispatcher;

        SwitchableDataSource(DataSource target, ObjectProvider<OutboxDispatcher> dispatcher) {
            super(target);
            this.dispatcher = dispatcher;
        }

        @Override
        public Connection getConnection() throws SQLException {
            check();
            return super.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            check();
            return super.getConnection(username, password);
        }

        private void check() throws SQLException {
            if (closed.get()) {
                askedAfterClose.incrementAndGet();
            }
            if (down.get()) {
                throw new SQLException("Connection refused: the database is unreachable", "08001");
            }
        }

        @Override
        public void close() throws IOException {
            OutboxDispatcher d = dispatcher.getIfAvailable();
            dispatcherRunningAtClose = d != null && d.isRunning();
            closed.set(true);
            if (getTargetDataSource() instanceof Closeable c) {
                c.close();
            }
        }
    }
}
