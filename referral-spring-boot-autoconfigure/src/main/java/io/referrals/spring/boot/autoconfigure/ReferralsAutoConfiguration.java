package io.referrals.spring.boot.autoconfigure;

import io.micrometer.observation.ObservationRegistry;
import io.referrals.core.OperationObserver;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.EligibilitySettings;
import io.referrals.core.eligibility.ProspectLookup;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.model.Program;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.outbox.OutboxListener;
import io.referrals.core.outbox.OutboxRetention;
import io.referrals.core.storage.OutboxSignal;
import io.referrals.core.storage.ReferralStore;
import io.referrals.rules.Rewards;
import io.referrals.rules.RewardsEngine;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.result.ProcessReport;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import io.referrals.storage.jdbc.CacheOptions;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.support.ResourcePatternResolver;

/**
 * Auto-configuration of the referral engine on the application's {@link DataSource}: a {@link JdbcReferralStore} that
 * joins Spring-managed transactions, a {@link ReferralEngine} with the outbox (woken after each commit), reward rules
 * from {@code referrals.rewards.rule-files} and {@link RuleSet} beans, programs defined or updated from
 * {@code referrals.programs.*} and {@link Program} beans, and the outbox dispatcher and due-reward processing as
 * lifecycle beans. Host beans it uses ({@link ReferralListener}, {@link OutboxListener}, {@link RewardApprover},
 * {@link RewardFulfiller}, {@link ProspectLookup}) are looked up when called, so they may depend on the engine or on
 * {@link Rewards}. Every bean backs off when the host defines its own.
 */
@AutoConfiguration(afterName = {
        // Spring Boot 3.5
        "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
        "org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration",
        "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
        "org.springframework.boot.autoconfigure.liquibase.LiquibaseAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
        // Spring Boot 4
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnClass({ ReferralEngine.class, JdbcReferralStore.class, DataSource.class })
@ConditionalOnBean(DataSource.class)
@EnableConfigurationProperties(ReferralsProperties.class)
public class ReferralsAutoConfiguration {
    /**
     * The phase of the dispatcher and due-reward lifecycles: below the web server's (which stops first at shutdown),
     * above that of anything the pool depends on.
     */
    public static final int LIFECYCLE_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** The store: the shared tables on the application's DataSource, after Flyway, Liquibase or SQL init ran. */
    @Bean
    @ConditionalOnMissingBean(ReferralStore.class)
    @DependsOnDatabaseInitialization
    public JdbcReferralStore referralStore(DataSource dataSource, ReferralsProperties properties) {
        ReferralsProperties.Store p = properties.getStore();
        JdbcReferralStore.Builder b = p.isJoinSpringTransactions()
                ? JdbcReferralStore.builder(SpringTransactions.connections(dataSource))
                : JdbcReferralStore.builder(dataSource);
        return b.tablePrefix(p.getTablePrefix()).migration(p.getMigration())
                .cache(new CacheOptions(p.getCache().getMaximumSize(), p.getCache().getExpireAfterWrite())).build();
    }

    /** Wakes the dispatcher after the commit of each Spring transaction that stored events. */
    @Bean
    @ConditionalOnMissingBean
    public OutboxSignal referralsOutboxSignal() {
        return SpringTransactions.afterCommitSignal();
    }

    /** Timers and spans around engine operations, through the host's {@link ObservationRegistry} if any. */
    @Bean
    @ConditionalOnMissingBean
    public OperationObserver referralsOperationObserver(ObjectProvider<ObservationRegistry> observations) {
        return new ObservationOperationObserver(observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /** The rules of {@code referrals.rewards.rule-files} and {@link RuleSet} beans, with the host's approver and fulfiller. */
    @Bean
    @ConditionalOnMissingBean
    public RewardsEngine referralsRewardsEngine(ReferralStore store, ReferralsProperties properties,
            ObjectProvider<Program> programBeans, ObjectProvider<RuleSet> ruleSetBeans,
            ObjectProvider<RewardApprover> approver, ObjectProvider<RewardFulfiller> fulfiller,
            ListableBeanFactory beans, ResourcePatternResolver resources) {
        List<Program> known = new ArrayList<>(ProgramDefinitions.declared(properties.getPrograms(),
                programBeans.orderedStream().toList()));
        for (Program stored : store.inTransaction(tx -> tx.programs().all())) {
            if (known.stream().noneMatch(p -> p.id().equals(stored.id()))) {
                known.add(stored);
            }
        }
        RewardsEngine.Builder b = RewardsEngine.builder();
        RuleFileLoader.load(properties.getRewards().getRuleFiles(), known, resources).forEach(b::ruleSet);
        ruleSetBeans.orderedStream().forEach(b::ruleSet);
        if (beans.getBeanNamesForType(RewardApprover.class, true, false).length > 0) {
            b.approver(LazyBeans.approver(approver));
        }
        if (beans.getBeanNamesForType(RewardFulfiller.class, true, false).length > 0) {
            b.fulfiller(LazyBeans.fulfiller(fulfiller));
        }
        return b.build();
    }

    /**
     * The engine, with the outbox, and the declared programs defined or updated in the store.
     *
     * @throws IllegalStateException if {@code referrals.match-key-secret} is missing or too short
     */
    @Bean
    @ConditionalOnMissingBean
    public ReferralEngine referralEngine(ReferralStore store, ReferralsProperties properties, OutboxSignal signal,
            RewardsEngine rewardsEngine, OperationObserver observer, ObjectProvider<ReferralListener> listeners,
            ObjectProvider<ListenerFailures> failures, ObjectProvider<ProspectLookup> lookup,
            ObjectProvider<EligibilitySettings> eligibility, ObjectProvider<Program> programBeans,
            ObjectProvider<ReferralEngineCustomizer> customizers, ObjectProvider<Clock> clock,
            ListableBeanFactory beans) {
        ReferralEngine.Builder b = ReferralEngine.builder().store(store)
                .matchKeySecret(MatchKeySecret.decode(properties.getMatchKeySecret()))
                .clock(clock.getIfAvailable(Clock::systemUTC)).outbox(signal).observer(observer)
                .listener(new BeanListeners(listeners, failures)).install(rewardsEngine)
                .install(ProgramInsights.extension());
        EligibilitySettings settings = eligibility.getIfAvailable();
        if (settings != null) {
            b.eligibility(settings);
        } else if (beans.getBeanNamesForType(ProspectLookup.class, true, false).length > 0) {
            b.eligibility(EligibilitySettings.builder().lookup(LazyBeans.prospectLookup(lookup)).build());
        }
        customizers.orderedStream().forEach(c -> c.customize(b));
        ReferralEngine engine = b.build();
        ProgramDefinitions.apply(engine, ProgramDefinitions.declared(properties.getPrograms(),
                programBeans.orderedStream().toList()));
        return engine;
    }

    /** The rewards service: approval, fulfilment, clawback, points, contests, explanations. */
    @Bean
    @ConditionalOnMissingBean
    public Rewards referralRewards(ReferralEngine engine, RewardsEngine rewardsEngine) {
        return engine.extension(rewardsEngine);
    }

    /** Program reports, funnels and backtests. */
    @Bean
    @ConditionalOnMissingBean
    public ProgramInsights referralProgramInsights(ReferralEngine engine) {
        return engine.extension(ProgramInsights.extension());
    }

    /**
     * The outbox dispatcher (started by {@link #referralsOutboxLifecycle}); also the operations handle for statistics,
     * parked events and requeueing.
     */
    @Bean
    @ConditionalOnMissingBean
    public OutboxDispatcher referralsOutboxDispatcher(ReferralEngine engine, ReferralsProperties properties,
            ObjectProvider<OutboxListener> listeners, ObjectProvider<Clock> clock) {
        ReferralsProperties.Outbox p = properties.getOutbox();
        OutboxDispatcher.Builder b = OutboxDispatcher.builder(engine).pollInterval(p.getPollInterval())
                .lease(p.getLease()).batchSize(p.getBatchSize()).shutdownTimeout(p.getShutdownTimeout())
                .maxStoreBackoff(p.getMaxStoreBackoff()).listener(new BeanOutboxListeners(listeners));
        if (p.getRetention() != null) {
            b.retention(OutboxRetention.builder(engine.store(), p.getRetention()).clock(engine.clock())
                    .batchSize(p.getRetentionBatchSize()).build(), p.getRetentionInterval());
        }
        return b.build();
    }

    /** Starts the dispatcher after start-up and stops it at shutdown, before the pool closes. */
    @Bean
    OutboxLifecycle referralsOutboxLifecycle(OutboxDispatcher dispatcher, ReferralsProperties properties) {
        return new OutboxLifecycle(dispatcher, properties.getOutbox().isDispatcherEnabled());
    }

    /** The outbox snapshot behind the health indicator and the gauges. */
    @Bean
    @ConditionalOnMissingBean
    public OutboxMonitor referralsOutboxMonitor(OutboxDispatcher dispatcher, ReferralEngine engine,
            ReferralsProperties properties) {
        return new OutboxMonitor(dispatcher, engine.clock(), properties.getHealth().getCacheFor(),
                properties.getHealth().getMaxOldestPendingAge());
    }

    /** Processes due rewards every {@code referrals.rewards.processing-interval}. */
    @Bean
    @ConditionalOnProperty(prefix = "referrals.rewards", name = "processing-enabled", matchIfMissing = true)
    PeriodicRun<ProcessReport> referralsDueRewardsLifecycle(Rewards rewards, ReferralsProperties properties,
            ObjectProvider<ObservationRegistry> observations) {
        return new PeriodicRun<>(new PeriodicRun.Job<>("processing due rewards", "referrals-rewards",
                "referrals.rewards.process-due", "referrals process due rewards", rewards::processDue,
                report -> Optional.of("due rewards processed: " + report)),
                properties.getRewards().getProcessingInterval(), properties.getOutbox().getShutdownTimeout(),
                observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    /** Republishes engine events as Spring application events. */
    @Bean
    @ConditionalOnProperty(prefix = "referrals.events", name = "publish-spring-events", havingValue = "true")
    public ReferralListener referralsSpringEventPublisher(ApplicationEventPublisher publisher) {
        return LazyBeans.springEvents(publisher);
    }
}
