package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.storage.jdbc.MigrationMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code referrals.*} properties of the Spring Boot starters. Only {@code referrals.match-key-secret} is required.
 */
@ConfigurationProperties(prefix = "referrals")
public class ReferralsProperties {

    /**
     * Secret of the keyed hashes under which prospects are matched for duplicates and self-referrals: at least 16
     * bytes, the same on every instance and stable across restarts. Plain text, or "base64:" followed by Base64.
     * Required.
     */
    private String matchKeySecret;

    private final Store store = new Store();
    private final Outbox outbox = new Outbox();
    private final Rewards rewards = new Rewards();
    private final Events events = new Events();
    private final Health health = new Health();

    /**
     * Programs defined (or updated to match) at start-up, by program id. A program named here is owned by the
     * configuration: a change made at run time is replaced by the configured one at the next start.
     */
    private final Map<String, ProgramDefinition> programs = new LinkedHashMap<>();

    public String getMatchKeySecret() {
        return matchKeySecret;
    }

    public void setMatchKeySecret(String matchKeySecret) {
        this.matchKeySecret = matchKeySecret;
    }

    public Store getStore() {
        return store;
    }

    public Outbox getOutbox() {
        return outbox;
    }

    public Rewards getRewards() {
        return rewards;
    }

    public Events getEvents() {
        return events;
    }

    public Health getHealth() {
        return health;
    }

    public Map<String, ProgramDefinition> getPrograms() {
        return programs;
    }

    /** The JDBC store on the application's DataSource. */
    public static class Store {
        /** Prefix of every table, index and constraint name: empty, or 1-30 lower-case letters, digits, underscores. */
        private String tablePrefix = "ref_";

        /**
         * What happens to the schema at start-up: MIGRATE applies the shipped scripts, VALIDATE checks that they were
         * applied, NONE leaves the schema to the host (run the shipped scripts from the host's Flyway).
         */
        private MigrationMode migration = MigrationMode.MIGRATE;

        /**
         * Whether the store joins the Spring-managed transaction of the calling thread, so that referral changes and
         * their events commit or roll back with the host's work. Outside a Spring transaction the store runs its own.
         */
        private boolean joinSpringTransactions = true;

        private final Cache cache = new Cache();

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public MigrationMode getMigration() {
            return migration;
        }

        public void setMigration(MigrationMode migration) {
            this.migration = migration;
        }

        public boolean isJoinSpringTransactions() {
            return joinSpringTransactions;
        }

        public void setJoinSpringTransactions(boolean joinSpringTransactions) {
            this.joinSpringTransactions = joinSpringTransactions;
        }

        public Cache getCache() {
            return cache;
        }
    }

    /** The store's read caches of programs, codes and enrolments. */
    public static class Cache {
        /** Entries kept per cache; 0 disables caching. */
        private long maximumSize = 10_000;

        /** How long an entry may be served; changes made by other instances are seen after at most this long. */
        private Duration expireAfterWrite = Duration.ofSeconds(10);

        public long getMaximumSize() {
            return maximumSize;
        }

        public void setMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
        }

        public Duration getExpireAfterWrite() {
            return expireAfterWrite;
        }

        public void setExpireAfterWrite(Duration expireAfterWrite) {
            this.expireAfterWrite = expireAfterWrite;
        }
    }

    /** The outbox dispatcher, which delivers committed events to listeners. */
    public static class Outbox {
        /** Whether this instance runs a dispatcher; another instance on the same database may deliver instead. */
        private boolean dispatcherEnabled = true;

        /** How often the dispatcher polls; it is also woken right after each commit of this instance. */
        private Duration pollInterval = Duration.ofSeconds(1);

        /** How long a claimed event is reserved for one dispatcher; longer than a batch takes to deliver. */
        private Duration lease = Duration.ofMinutes(1);

        /** How many events one poll claims at most. */
        private int batchSize = 100;

        /** How long shutdown waits for the batch being delivered before interrupting it. */
        private Duration shutdownTimeout = Duration.ofSeconds(10);

        /** The longest wait between polls while the database is unreachable. */
        private Duration maxStoreBackoff = Duration.ofSeconds(30);

        /** How long delivered events are kept before retention deletes them; unset keeps them for ever. */
        private Duration retention = Duration.ofDays(30);

        /** How often retention runs on the dispatcher's thread. */
        private Duration retentionInterval = Duration.ofHours(1);

        /** How many delivered events one retention transaction deletes at most. */
        private int retentionBatchSize = 500;

        public boolean isDispatcherEnabled() {
            return dispatcherEnabled;
        }

        public void setDispatcherEnabled(boolean dispatcherEnabled) {
            this.dispatcherEnabled = dispatcherEnabled;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }

        public Duration getMaxStoreBackoff() {
            return maxStoreBackoff;
        }

        public void setMaxStoreBackoff(Duration maxStoreBackoff) {
            this.maxStoreBackoff = maxStoreBackoff;
        }

        public Duration getRetention() {
            return retention;
        }

        public void setRetention(Duration retention) {
            this.retention = retention;
        }

        public Duration getRetentionInterval() {
            return retentionInterval;
        }

        public void setRetentionInterval(Duration retentionInterval) {
            this.retentionInterval = retentionInterval;
        }

        public int getRetentionBatchSize() {
            return retentionBatchSize;
        }

        public void setRetentionBatchSize(int retentionBatchSize) {
            this.retentionBatchSize = retentionBatchSize;
        }
    }

    /** Reward rules and the scheduled processing of due rewards. */
    public static class Rewards {
        /**
         * Rule files (JSON or YAML) as Spring resource locations: classpath:, file:, and patterns such as
         * classpath*:rules/*.yaml. A rule file may name only programs defined here or already stored.
         */
        private List<String> ruleFiles = new ArrayList<>();

        /** Whether this instance approves and fulfils due rewards on a schedule. */
        private boolean processingEnabled = true;

        /** How often due rewards are processed (approval after the holding period, fulfilment, retries). */
        private Duration processingInterval = Duration.ofMinutes(1);

        public List<String> getRuleFiles() {
            return ruleFiles;
        }

        public void setRuleFiles(List<String> ruleFiles) {
            this.ruleFiles = ruleFiles;
        }

        public boolean isProcessingEnabled() {
            return processingEnabled;
        }

        public void setProcessingEnabled(boolean processingEnabled) {
            this.processingEnabled = processingEnabled;
        }

        public Duration getProcessingInterval() {
            return processingInterval;
        }

        public void setProcessingInterval(Duration processingInterval) {
            this.processingInterval = processingInterval;
        }
    }

    /** How engine events reach the application. */
    public static class Events {
        /**
         * Whether engine events are also published as Spring application events (for @EventListener methods taking a
         * ReferralEvent or one of its records), after commit, from the outbox dispatcher.
         */
        private boolean publishSpringEvents = false;

        public boolean isPublishSpringEvents() {
            return publishSpringEvents;
        }

        public void setPublishSpringEvents(boolean publishSpringEvents) {
            this.publishSpringEvents = publishSpringEvents;
        }
    }

    /** The Actuator health indicator "referrals". */
    public static class Health {
        /** Reports DOWN when the oldest pending event has waited longer than this; unset never does. */
        private Duration maxOldestPendingAge;

        /** How long the indicator may reuse an outbox snapshot before reading the database again. */
        private Duration cacheFor = Duration.ofSeconds(5);

        public Duration getMaxOldestPendingAge() {
            return maxOldestPendingAge;
        }

        public void setMaxOldestPendingAge(Duration maxOldestPendingAge) {
            this.maxOldestPendingAge = maxOldestPendingAge;
        }

        public Duration getCacheFor() {
            return cacheFor;
        }

        public void setCacheFor(Duration cacheFor) {
            this.cacheFor = cacheFor;
        }
    }

    /** A program defined from configuration. */
    public static class ProgramDefinition {
        /** Display name, safe to show advocates. Required. */
        private String name;

        /** The audience. */
        private ProgramKind kind = ProgramKind.CUSTOMER;

        /** The lifecycle status. */
        private ProgramStatus status = ProgramStatus.ACTIVE;

        /** When the program starts accepting referrals; unset: always has. */
        private Instant startsAt;

        /** When it stops accepting referrals; unset: never. */
        private Instant endsAt;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public ProgramKind getKind() {
            return kind;
        }

        public void setKind(ProgramKind kind) {
            this.kind = kind;
        }

        public ProgramStatus getStatus() {
            return status;
        }

        public void setStatus(ProgramStatus status) {
            this.status = status;
        }

        public Instant getStartsAt() {
            return startsAt;
        }

        public void setStartsAt(Instant startsAt) {
            this.startsAt = startsAt;
        }

        public Instant getEndsAt() {
            return endsAt;
        }

        public void setEndsAt(Instant endsAt) {
            this.endsAt = endsAt;
        }
    }
}
