package io.referrals.storage.jdbc.rules;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
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
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.rules.Rewards;
import io.referrals.rules.RewardsEngine;
import io.referrals.rules.definition.RuleSet;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One referral engine with a {@link RewardsEngine} hook over a {@link JdbcReferralStore} of its own (its own pool and
 * caches), as one instance of a service. Several of them over one database behave like several service instances.
 */
final class RulesOnJdbc {
    static final Instant NOW = Instant.parse("2026-03-16T09:00:00Z");
    static final ProgramId CUSTOMERS = ProgramId.of("customers");
    /** Every instance shares the secret, as a deployment would, so prospect matching holds across them. */
    static final byte[] MATCH_KEY_SECRET = "rules-on-jdbc-test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final AtomicInteger PROSPECTS = new AtomicInteger();

    final JdbcReferralStore store;
    final ReferralEngine engine;
    final Rewards rewards;

    RulesOnJdbc(DataSource dataSource, RuleSet rules) {
        store = JdbcReferralStore.builder(dataSource).build();
        RewardsEngine rewardsEngine = RewardsEngine.builder().ruleSet(rules).build();
        engine = ReferralEngine.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .matchKeySecret(MATCH_KEY_SECRET).install(rewardsEngine).build();
        rewards = engine.extension(rewardsEngine);
    }

    static Program program() {
        return Program.builder(CUSTOMERS, "Customer referrals", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
                .build();
    }

    void defineProgram() {
        engine.defineProgram(program());
    }

    Advocate advocate(String externalId) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(externalId, "Advocate " + externalId,
                externalId + "@advocates.example", AdvocateKind.CUSTOMER));
        engine.enrol(a.id(), CUSTOMERS);
        return a;
    }

    /** A prospect no other referral of the JVM has named: eligibility screening never finds a duplicate. */
    static Prospect freshProspect() {
        int n = PROSPECTS.incrementAndGet();
        return Prospect.builder().fullName("Prospect " + n).email("p" + n + "@prospect" + n + ".example")
                .company("Prospect " + n + " Inc").companyDomain("prospect" + n + ".example")
                .seniority(Seniority.MANAGER).department("Engineering").build();
    }

    Referral refer(Advocate a) {
        CaptureResult r = engine.capture(CaptureRequest.builder().advocate(a.id()).program(CUSTOMERS)
                .prospect(freshProspect()).channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                .build());
        if (!(r instanceof CaptureResult.Accepted accepted)) {
            throw new AssertionError("capture not accepted: " + r);
        }
        return accepted.referral();
    }

    TransitionResult win(Referral r) {
        return engine.transition(TransitionRequest.of(r.id(), Stage.WON, TransitionCause.crm("salesforce")));
    }
}
