package io.referrals.storage.jdbc.simulation;

import com.zaxxer.hikari.HikariDataSource;
import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Seniority;
import io.referrals.core.outbox.OutboxDispatcher;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import io.referrals.rules.Rewards;
import io.referrals.rules.RewardsEngine;
import io.referrals.storage.jdbc.Dialect;
import io.referrals.storage.jdbc.JdbcReferralStore;
import io.referrals.storage.jdbc.MigrationMode;
import io.referrals.storage.jdbc.TestDatabase;
import io.referrals.storage.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic, seeded simulation of a referral program's life, in the spirit of TigerBeetle's VOPR and
 * FoundationDB's simulation tests: months of simulated time on an injected clock; several engines (service instances)
 * on one store, restarted now and then; advocates, captures with duplicates and idempotent replays, CRM stage storms
 * out of order, deal values, refunds and clawbacks, reviews, a contest, a limited challenge, redemptions and point
 * expiry; an approver that defers for days and a fulfiller that fails for days; storage failures at random calls,
 * connection kills at random statements, outbox dispatcher crashes and restarts; host transactions that roll back;
 * units of work of two engines interleaved on one stream; bursts of concurrent captures; and one very large
 * transaction. After every step the {@link Invariants} are checked against the {@link Model}.
 *
 * <p>Every choice is drawn from one {@link SplittableRandom} seeded with the seed; time comes only from the
 * simulation's clock. (Ids are random UUIDs, so where a store breaks ties by id, a replay may take a different but equally valid
 * path.) A failure names the one command line that replays the seed.
 */
final class Simulation implements AutoCloseable {
    /** Where the simulated program keeps its data. */
    enum Target {
        MEMORY(null, "InMemorySimulationTest"),
        H2(Dialect.H2, "H2SimulationTest"),
        POSTGRESQL(Dialect.POSTGRESQL, "PostgreSqlSimulationTest"),
        MARIADB(Dialect.MARIADB, "MariaDbSimulationTest");

        final Dialect dialect;
        final String testClass;

        Target(Dialect dialect, String testClass) {
            this.dialect = dialect;
            this.testClass = testClass;
        }
    }

    /** A dispatcher crash, thrown from the middle of delivery: nothing after it in the batch is recorded. */
    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated dispatcher crash", null, false, false);
        }
    }

    /** One service instance: its own store object (and caches), engine, rewards service and dispatcher. */
    final class Instance {
        final String name;
        final SimStore store;
        final ReferralEngine engine;
        final Rewards rewards;
        final boolean forgetful;
        OutboxDispatcher dispatcher;
        final AtomicInteger crashIn = new AtomicInteger();

        Instance(String name, SimStore store, ReferralEngine engine, Rewards rewards, boolean forgetful) {
            this.name = name;
            this.store = store;
            this.engine = engine;
            this.rewards = rewards;
            this.forgetful = forgetful;
            if (outbox) {
                restartDispatcher();
            }
        }

        void restartDispatcher() {
            dispatcher = OutboxDispatcher.builder(store, e -> {
                if (crashIn.get() > 0 && crashIn.decrementAndGet() == 0) {
                    throw new SimulatedCrash();
                }
                if (!engine.deliver(e)) {
                    throw new IllegalStateException("a listener failed on " + e.metadata().id());
                }
            }).clock(clock).batchSize(1000).lease(LEASE).threadNamePrefix("sim-" + name).build();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final Duration LEASE = Duration.ofMinutes(1);

    final long seed;
    final Target target;
    final int steps;
    final SplittableRandom random;
    final MutableClock clock = MutableClock.at(World.START);
    final boolean outbox;
    final Deliveries deliveries = new Deliveries();
    final Model model = new Model();
    final World.Approver approver;
    final World.Fulfiller fulfiller;
    final List<Instance> instances = new ArrayList<>();
    final Deque<String> recent = new ArrayDeque<>();
    final Invariants check;
    final Workload workload;
    private final InMemoryReferralStore memory;
    TestDatabase db;
    HikariDataSource pool;
    FaultyDataSource faulty;
    HostTransactions host;
    private int instanceCount;
    int retiredFaults;
    int step;
    final List<String> notes = new ArrayList<>();

    Simulation(long seed, Target target, int steps) {
        this.seed = seed;
        this.target = target;
        this.steps = steps;
        this.random = new SplittableRandom(seed);
        this.outbox = Math.floorMod(seed, 2) == 0;
        this.approver = new World.Approver(random.nextLong(), clock);
        this.fulfiller = new World.Fulfiller(random.nextLong(), clock);
        if (target == Target.MEMORY) {
            memory = new InMemoryReferralStore();
        } else {
            memory = null;
            db = TestDatabase.create(target.dialect);
            pool = db.pool(8);
            faulty = new FaultyDataSource(pool);
            JdbcReferralStore.builder(pool).build();
            host = new HostTransactions(pool);
        }
        this.check = new Invariants(this);
        this.workload = new Workload(this);
    }

    /** Runs the simulation; throws an {@link AssertionError} naming the replay command at the first violation. */
    void run() {
        try {
            int count = 2 + random.nextInt(2);
            for (int i = 0; i < count; i++) {
                instances.add(newInstance(false));
            }
            for (Program p : World.programs()) {
                instances.get(0).engine.defineProgram(p);
            }
            for (step = 1; step <= steps; step++) {
                workload.step();
                check.afterStep();
            }
            check.fullSweep();
            check.atEnd();
        } catch (AssertionError e) {
            throw new AssertionError(report(e.getMessage()), e);
        } catch (RuntimeException e) {
            throw new AssertionError(report("unexpected " + e), e);
        }
    }

    /** A new service instance over the shared database (its own store object, engine and dispatcher). */
    Instance newInstance(boolean forgetful) {
        String name = "engine-" + (++instanceCount);
        ReferralStore base = memory != null ? memory : JdbcReferralStore.builder(faulty)
                .migration(MigrationMode.VALIDATE).build();
        SimStore store = new SimStore(base);
        store.onCommit(deliveries::committed);
        RewardsEngine rules = rulesEngine();
        ReferralEngine.Builder b = engineBuilder(store, rules, name);
        if (!forgetful) {
            b.matchKeySecret(World.SECRET);
        }
        ReferralEngine engine;
        try {
            engine = b.build();
        } catch (IllegalStateException | IllegalArgumentException refused) {
            // the library refuses a persistent store without a stable secret (the fix of defect 3): the host sets it
            note("an engine without a match-key secret was refused: " + refused.getMessage());
            engine = b.matchKeySecret(World.SECRET).build();
            forgetful = false;
        }
        return new Instance(name, store, engine, engine.extension(rules), forgetful);
    }

    RewardsEngine rulesEngine() {
        return RewardsEngine.builder().ruleSet(World.customerRules()).ruleSet(World.partnerRules())
                .approver(approver).fulfiller(fulfiller).maxFulfilmentAttempts(4).batchSize(20).build();
    }

    ReferralEngine.Builder engineBuilder(ReferralStore store, RewardsEngine rules, String name) {
        ReferralEngine.Builder b = ReferralEngine.builder().store(store).clock(clock)
                .random(new SplittableRandom(random.nextLong())).defaultEligibilityPolicy(World.eligibility())
                .install(rules).listener(listener(name));
        if (outbox) {
            b.outbox();
        }
        return b;
    }

    ReferralListener listener(String name) {
        return new ReferralListener() {
            @Override
            public void onEvent(ReferralEvent event) {
                deliveries.heard(name, event);
            }
        };
    }

    Instance anyInstance() {
        return instances.get(random.nextInt(instances.size()));
    }

    void log(String what) {
        recent.addLast("step " + step + " @" + clock.instant() + ": " + what);
        if (recent.size() > 25) {
            recent.removeFirst();
        }
    }

    void note(String what) {
        if (!notes.contains(what)) {
            notes.add(what);
        }
    }

    /** A prospect; the same number always gives the same person. */
    static Prospect prospect(int n) {
        Seniority[] levels = {Seniority.MANAGER, Seniority.DIRECTOR, Seniority.VP, Seniority.INDIVIDUAL_CONTRIBUTOR};
        return Prospect.builder().fullName("Prospect " + n).email("p" + n + "@prospect" + n + ".example")
                .company("Prospect " + n + " Inc").companyDomain("prospect" + n + ".example")
                .seniority(levels[n % levels.length]).department(n % 3 == 0 ? "Customer Success" : "Engineering")
                .build();
    }

    CaptureRequest.Builder request(Model.Adv adv, int prospect, String key) {
        CaptureRequest.Builder b = CaptureRequest.builder().prospect(prospect(prospect))
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION).idempotencyKey(key);
        return b.advocate(adv.id).program(adv.program);
    }

    Model.Adv register(Instance in, boolean partner) {
        int n = model.advocates.size() + 1;
        String account = partner ? "acct-" + (1 + random.nextInt(3)) : "";
        AdvocateRegistration reg = AdvocateRegistration.of("ext-" + n, "Advocate " + n,
                "adv" + n + "@advocates" + n + ".example", partner ? AdvocateKind.PARTNER : AdvocateKind.CUSTOMER);
        if (partner) {
            reg = reg.withAccount(account, "Reseller " + account, account + ".example");
        }
        Advocate a = in.engine.registerAdvocate(reg);
        Model.Adv adv = new Model.Adv(a.id(), n, partner, partner ? World.PARTNERS : World.CUSTOMERS, account);
        model.advocates.add(adv);
        in.engine.enrol(a.id(), adv.program);
        adv.code = in.engine.issueCode(a.id(), adv.program).code();
        return adv;
    }

    /** What the seed did, in one line: to see that a passing run exercised what it claims. */
    String stats() {
        int faults = instances.stream().mapToInt(i -> i.store.faultsInjected()).sum() + retiredFaults
                + (faulty == null ? 0 : faulty.kills());
        return steps + " steps to " + clock.instant() + ", " + (outbox ? "outbox" : "in-process") + ", "
                + instanceCount + " engines, " + model.advocates.size() + " advocates, " + model.referrals.size()
                + " referrals, " + model.captures.size() + " keyed captures, " + deliveries.committedCount()
                + " events committed and " + deliveries.heardCount() + " heard, " + faults + " faults injected, "
                + approver.asked + " approver calls, " + fulfiller.calls.size() + " fulfiller calls";
    }

    /** The line that replays this seed. */
    String replayLine() {
        StringBuilder line = new StringBuilder("./mvnw -B -pl referral-storage-jdbc -am verify -Dtest=")
                .append(target.testClass).append(" -Dsurefire.failIfNoSpecifiedTests=false -Dsimulation.seed=")
                .append(seed).append(" -Dsimulation.steps=").append(steps);
        if (Known.tolerated().isEmpty()) {
            line.append(" -Dsimulation.strict=true");
        } else if (!Known.tolerated().equals(Known.TOLERATED)) {
            line.append(" -Dsimulation.tolerate=").append(String.join(",",
                    Known.tolerated().stream().map(Enum::name).toList()));
        }
        return line.toString();
    }

    private String report(String violation) {
        StringBuilder s = new StringBuilder();
        s.append("simulation seed ").append(seed).append(" on ").append(target.name().toLowerCase(Locale.ROOT))
                .append(" (").append(outbox ? "outbox" : "in-process delivery").append(") failed at step ")
                .append(step).append(" of ").append(steps).append(", ").append(clock.instant()).append(":\n  ")
                .append(violation).append("\nlast steps:\n");
        recent.forEach(r -> s.append("  ").append(r).append('\n'));
        s.append("replay: ").append(replayLine());
        return s.toString();
    }

    Instant now() {
        return clock.instant();
    }

    @Override
    public void close() {
        for (Instance i : instances) {
            if (i.dispatcher != null) {
                i.dispatcher.close();
            }
        }
        if (db != null) {
            db.close();
        }
    }
}
