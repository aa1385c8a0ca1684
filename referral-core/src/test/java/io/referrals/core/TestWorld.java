package io.referrals.core;

import io.referrals.core.eligibility.Decision;
import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.EligibilityReasons;
import io.referrals.core.event.EventStreams;
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
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Seniority;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** An engine over a fresh in-memory store, a mutable clock and a recording listener, with fixture helpers. */
final class TestWorld {
    static final Instant T0 = Instant.parse("2025-03-03T09:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final InMemoryReferralStore store = new InMemoryReferralStore();
    final RecordingListener listener = new RecordingListener();
    final ReferralEngine engine;

    TestWorld() {
        this(b -> { });
    }

    /** A world whose engine builder is further configured by {@code config} (listeners, hooks, executor...). */
    TestWorld(Consumer<ReferralEngine.Builder> config) {
        // these tests are about the engine's mechanics and capture the same prospect many times: duplicate and
        // velocity screening (tested in the eligibility package) is switched off
        ReferralEngine.Builder b = ReferralEngine.builder().store(store).clock(clock).listener(listener)
                .defaultEligibilityPolicy(EligibilityPolicy.builder()
                        .decide(EligibilityReasons.DUPLICATE_PROSPECT, Decision.ALLOW)
                        .decide(EligibilityReasons.VELOCITY_ADVOCATE, Decision.ALLOW)
                        .decide(EligibilityReasons.VELOCITY_CODE, Decision.ALLOW)
                        .build());
        config.accept(b);
        this.engine = b.build();
    }

    Program activeProgram(String id, String name) {
        return engine.defineProgram(Program.builder(ProgramId.of(id), name, ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
    }

    Program activeProgram() {
        return activeProgram("customers", "Customer Referrals");
    }

    Advocate advocate(String externalId, String displayName) {
        return engine.registerAdvocate(AdvocateRegistration.of(externalId, displayName,
                externalId + "@acme.example", AdvocateKind.CUSTOMER));
    }

    Advocate enrolledAdvocate(Program program) {
        Advocate a = advocate("jane-" + program.id().value(), "Jane Doe");
        engine.enrol(a.id(), program.id());
        return a;
    }

    static Prospect prospect() {
        return Prospect.builder()
                .fullName("Peter Gibbons")
                .email("peter.gibbons@initech.com")
                .company("Initech")
                .companyDomain("initech.com")
                .jobTitle("Director of Customer Success")
                .seniority(Seniority.DIRECTOR)
                .department("Customer Success")
                .phone("+1 (555) 010-0100")
                .attributes(Map.of("crm", "salesforce"))
                .build();
    }

    static CaptureRequest.Builder request(Advocate advocate, Program program) {
        return CaptureRequest.builder()
                .advocate(advocate.id())
                .program(program.id())
                .prospect(prospect())
                .channel(Channel.REFERRAL_FORM)
                .consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                .note("Met at the user group; they are evaluating tools this quarter.");
    }

    /** Captures a referral that must be accepted. */
    Referral captured(Advocate advocate, Program program) {
        CaptureResult r = engine.capture(request(advocate, program).build());
        if (!(r instanceof CaptureResult.Accepted a)) {
            throw new AssertionError("expected the capture to be accepted: " + r);
        }
        return a.referral();
    }

    List<Referral> referrals() {
        return engine.referrals(ReferralQuery.builder().limit(10_000).build());
    }

    List<OutboxEntry> stream(Advocate advocate) {
        return engine.events(EventStreams.of(advocate.id()));
    }

    List<OutboxEntry> stream(ReferralId referral) {
        return engine.events(EventStreams.of(referral));
    }

    static List<Long> sequences(List<OutboxEntry> entries) {
        return entries.stream().map(e -> e.event().metadata().sequence()).toList();
    }
}
