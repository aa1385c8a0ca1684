package io.referrals.benchmarks.jdbc;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** What the JDBC benchmarks share: the program, the advocate, fresh prospects and capture requests. */
final class Setup {
    static final ProgramId PROGRAM = ProgramId.of("customers");
    /** Fixed, as a deployment's would be, so that prospect matching keys are stable. */
    static final byte[] MATCH_KEY_SECRET = "benchmark-match-key-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    private static final AtomicLong PROSPECTS = new AtomicLong();

    private Setup() {
    }

    static Program program() {
        return Program.builder(PROGRAM, "Customer referrals", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
                .build();
    }

    static Advocate advocate(ReferralEngine engine, String externalId) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(externalId, "Advocate " + externalId,
                externalId + "@advocates.example", AdvocateKind.CUSTOMER));
        engine.enrol(a.id(), PROGRAM);
        return a;
    }

    /** A prospect (distinct email and company domain) no earlier call returned: screening never finds a duplicate. */
    static Prospect freshProspect() {
        long n = PROSPECTS.incrementAndGet();
        return Prospect.builder().fullName("Prospect " + n).email("p" + n + "@prospect" + n + ".example")
                .company("Prospect " + n + " Inc").companyDomain("prospect" + n + ".example")
                .seniority(Seniority.MANAGER).department("Engineering").build();
    }

    /** Captures a fresh prospect through a referral code; fails unless the referral is accepted. */
    static Referral captureByCode(ReferralEngine engine, String code) {
        CaptureResult r = engine.capture(CaptureRequest.builder().code(code).prospect(freshProspect())
                .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
        if (r instanceof CaptureResult.Accepted a) {
            return a.referral();
        }
        throw new IllegalStateException("capture not accepted: " + r);
    }
}
