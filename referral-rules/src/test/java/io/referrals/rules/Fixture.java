package io.referrals.rules;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.file.RuleFiles;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** An engine with rules from files, an in-memory store and a mutable clock. */
final class Fixture {
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    static final ProgramId CUSTOMERS = ProgramId.of("customers");
    static final ProgramId PARTNERS = ProgramId.of("partners");

    final MutableClock clock = new MutableClock(START);
    final ReferralStore store;
    final List<ReferralEvent> events = new CopyOnWriteArrayList<>();
    final RewardsEngine rewardsEngine;
    final ReferralEngine engine;
    final Rewards rewards;
    private final AtomicInteger prospects = new AtomicInteger();

    static List<Program> programs() {
        return List.of(
                Program.builder(CUSTOMERS, "Customer referrals", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
                        .build(),
                Program.builder(PARTNERS, "Partner program", ProgramKind.PARTNER).status(ProgramStatus.ACTIVE)
                        .build());
    }

    static RuleSet load(String resource) {
        return RuleFiles.forPrograms(programs()).readResource("/rules/" + resource);
    }

    Fixture(Consumer<RewardsEngine.Builder> config, RuleSet... ruleSets) {
        this(new InMemoryReferralStore(), config, ruleSets);
    }

    Fixture(ReferralStore store, Consumer<RewardsEngine.Builder> config, RuleSet... ruleSets) {
        this(store, config, b -> { }, ruleSets);
    }

    /** A fixture whose referral engine builder is further configured by {@code engineConfig} (listeners...). */
    Fixture(ReferralStore store, Consumer<RewardsEngine.Builder> config, Consumer<ReferralEngine.Builder> engineConfig,
            RuleSet... ruleSets) {
        this.store = store;
        RewardsEngine.Builder b = RewardsEngine.builder();
        for (RuleSet rs : ruleSets) {
            b.ruleSet(rs);
        }
        config.accept(b);
        rewardsEngine = b.build();
        ReferralEngine.Builder eb = ReferralEngine.builder().store(store).clock(clock).install(rewardsEngine)
                .install(ProgramInsights.extension());
        engineConfig.accept(eb);
        engine = eb
                .listener(new ReferralListener() {
                    @Override
                    public void onRewardEarned(io.referrals.core.event.RewardEarned e) {
                        events.add(e);
                    }

                    @Override
                    public void onRewardRejected(io.referrals.core.event.RewardRejected e) {
                        events.add(e);
                    }

                    @Override
                    public void onRewardReversed(io.referrals.core.event.RewardReversed e) {
                        events.add(e);
                    }

                    @Override
                    public void onPointsBalanceChanged(io.referrals.core.event.PointsBalanceChanged e) {
                        events.add(e);
                    }

                    @Override
                    public void onContestEnded(io.referrals.core.event.ContestEnded e) {
                        events.add(e);
                    }
                }).build();
        rewards = engine.extension(rewardsEngine);
    }

    Fixture(RuleSet... ruleSets) {
        this(b -> { }, ruleSets);
    }

    void definePrograms() {
        for (Program p : programs()) {
            if (engine.program(p.id()).isEmpty()) {
                engine.defineProgram(p);
            }
        }
    }

    Advocate advocate(String externalId, AdvocateKind kind, ProgramId program) {
        return advocate(AdvocateRegistration.of(externalId, "Advocate " + externalId, externalId + "@example.com",
                kind), program);
    }

    Advocate advocate(AdvocateRegistration registration, ProgramId program) {
        definePrograms();
        Advocate a = engine.registerAdvocate(registration);
        engine.enrol(a.id(), program);
        return a;
    }

    Referral refer(Advocate a, ProgramId program, Prospect prospect) {
        CaptureResult r = engine.capture(CaptureRequest.builder().advocate(a.id()).program(program)
                .prospect(prospect).channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                .build());
        return r.acceptedReferral();
    }

    Referral refer(Advocate a, ProgramId program) {
        return refer(a, program, prospect(Seniority.MANAGER, "Engineering", Map.of()));
    }

    Prospect prospect(Seniority seniority, String department, Map<String, String> attributes) {
        int n = prospects.incrementAndGet();
        return Prospect.builder().fullName("Prospect " + n).email("p" + n + "@prospect" + n + ".com")
                .company("Prospect " + n + " Inc").companyDomain("prospect" + n + ".com").seniority(seniority)
                .department(department).attributes(attributes).build();
    }

    void move(Referral r, String... stages) {
        for (String s : stages) {
            engine.transition(TransitionRequest.of(r.id(), Stage.of(s), TransitionCause.crm("salesforce")));
        }
    }

    void dealValue(Referral r, String amount, String currency) {
        engine.recordDealValue(r.id(), Money.of(amount, currency));
    }
}
