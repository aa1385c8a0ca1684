package io.referrals.core.eligibility;

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
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** A store, a mutable clock, an active program and helpers shared by the eligibility and privacy tests. */
public final class Fixture {
    public static final byte[] SECRET = "test-secret-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8);
    public static final ProgramId PROGRAM = ProgramId.of("customers");

    public final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:15:00Z"));
    public final InMemoryReferralStore store = new InMemoryReferralStore();
    public final List<ReferralEvent> events = new CopyOnWriteArrayList<>();
    public final ReferralEngine engine;

    public Fixture() {
        this(b -> b);
    }

    public Fixture(UnaryOperator<ReferralEngine.Builder> configure) {
        ReferralEngine.Builder b = ReferralEngine.builder().store(store).clock(clock).matchKeySecret(SECRET)
                .listener(new ReferralListener() {
                    @Override
                    public void onReferralSubmitted(io.referrals.core.event.ReferralSubmitted e) {
                        events.add(e);
                    }

                    @Override
                    public void onReferralFlagged(io.referrals.core.event.ReferralFlagged e) {
                        events.add(e);
                    }

                    @Override
                    public void onReferralRejected(io.referrals.core.event.ReferralRejected e) {
                        events.add(e);
                    }

                    @Override
                    public void onReferralReviewed(io.referrals.core.event.ReferralReviewed e) {
                        events.add(e);
                    }

                    @Override
                    public void onStageChanged(io.referrals.core.event.StageChanged e) {
                        events.add(e);
                    }
                });
        engine = configure.apply(b).build();
        engine.defineProgram(Program.builder(PROGRAM, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
    }

    /** Registers and enrols an advocate. */
    public Advocate advocate(String externalId, String email, AdvocateKind kind, String companyDomain) {
        String account = "acct-" + Integer.toHexString(externalId.hashCode());
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(externalId, "Advocate " + externalId, email, kind)
                .withAccount(account, companyDomain.isEmpty() ? "" : "Company of " + externalId, companyDomain));
        engine.enrol(a.id(), PROGRAM);
        return a;
    }

    public Advocate customer(String externalId, String email) {
        return advocate(externalId, email, AdvocateKind.CUSTOMER, "");
    }

    public ReferralCode code(Advocate a) {
        return engine.issueCode(a.id(), PROGRAM);
    }

    public static Prospect prospect(String name, String email, String company, String domain) {
        return Prospect.builder().fullName(name).email(email).company(company).companyDomain(domain).build();
    }

    public static CaptureRequest.Builder request(Advocate a, Prospect p) {
        return CaptureRequest.builder().advocate(a.id()).program(PROGRAM).prospect(p)
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION);
    }

    public CaptureResult capture(Advocate a, Prospect p) {
        return engine.capture(request(a, p).build());
    }

    public <E> List<E> eventsOf(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** A clock tests move by hand. */
    public static final class MutableClock extends Clock {
        private volatile Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
