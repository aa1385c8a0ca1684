package io.referrals.examples.report;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

/**
 * Seeds a small customer program (a dozen referrals moving through the funnel over a few weeks, deal values and
 * rewards) and writes its report to {@code target/program-report.html}. Run with {@code exec:java
 * -Dexec.mainClass=io.referrals.examples.report.ProgramReportExample} from the examples module.
 */
public final class ProgramReportExample {
    /** The seeded program. */
    public static final ProgramId PROGRAM = ProgramId.of("customers");

    private ProgramReportExample() {
    }

    public static void main(String[] args) {
        ReferralEngine engine = seeded();
        ProgramReportPage.write(engine, PROGRAM, Path.of(args.length > 0 ? args[0] : "target/program-report.html"),
                System.out);
    }

    /**
     * An in-memory engine whose clock starts on 2026-01-05 and moves a few days at each step of the sample, holding
     * {@link #PROGRAM} filled with sample data.
     */
    public static ReferralEngine seeded() {
        SampleClock clock = new SampleClock(Instant.parse("2026-01-05T09:00:00Z"));
        ReferralEngine engine = ReferralEngine.builder().clock(clock).install(ProgramInsights.extension()).build();
        engine.defineProgram(Program.builder(PROGRAM, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
        List<Advocate> advocates = List.of(
                advocate(engine, "crm-01", "Jane Doe", Set.of("enterprise")),
                advocate(engine, "crm-02", "Raj Patel", Set.of("smb")),
                advocate(engine, "crm-03", "Li Wei", Set.of("enterprise")),
                advocate(engine, "crm-04", "Ana <Admin> & Co", Set.of("smb")),
                advocate(engine, "crm-05", "Sam Quiet", Set.of()));
        Channel[] channels = {Channel.REFERRAL_FORM, Channel.DIRECT_EMAIL, Channel.LINK_OR_CODE, Channel.SALES_REP};
        List<Stage> path = List.of(Stage.CONTACTED, Stage.MEETING_HELD, Stage.QUALIFIED, Stage.OPPORTUNITY,
                Stage.WON);
        int[] furthest = {5, 5, 5, 4, 3, 3, 2, 2, 1, 1, 0, 0};
        for (int i = 0; i < furthest.length; i++) {
            Advocate a = advocates.get(i % 4 == 3 ? 0 : i % 4);
            Channel channel = channels[i % channels.length];
            CaptureRequest.Builder b = CaptureRequest.builder().advocate(a.id()).program(PROGRAM)
                    .prospect(Prospect.builder().fullName("Contact " + i).email("contact" + i + "@company" + i
                            + ".example").company("Company " + i).build())
                    .channel(channel).consent(ConsentBasis.ADVOCATE_INTRODUCTION);
            if (channel == Channel.SALES_REP) {
                b.salesRep("rep-sam");
            }
            clock.advance(Duration.ofDays(1));
            Referral r = engine.capture(b.build()).acceptedReferral();
            Instant submitted = clock.instant();
            for (int s = 0; s < furthest[i]; s++) {
                clock.advance(Duration.ofDays(3 + (i * 7 + s * 5) % 11));
                engine.transition(TransitionRequest.of(r.id(), path.get(s), TransitionCause.crm("salesforce")));
            }
            if (furthest[i] == 5) {
                engine.recordDealValue(r.id(), Money.of(String.valueOf(8000 + 2000 * i), "EUR"));
                reward(engine, "won-" + i, a, r, new Incentive.Points(2000), RewardStatus.FULFILLED);
                reward(engine, "gift-" + i, a, r, new Incentive.GiftCard(Money.of("50", "EUR"), "Books"),
                        i == 0 ? RewardStatus.PENDING : RewardStatus.APPROVED);
            } else if (furthest[i] == 0 && i % 2 == 1) {
                engine.transition(TransitionRequest.of(r.id(), Stage.REJECTED, TransitionCause.rep("rep-sam")));
            } else if (furthest[i] > 0 && furthest[i] < 3) {
                engine.transition(TransitionRequest.of(r.id(), Stage.LOST, TransitionCause.crm("salesforce")));
            }
            clock.set(submitted);
        }
        return engine;
    }

    private static Advocate advocate(ReferralEngine engine, String externalId, String name, Set<String> segments) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(externalId, name, "", AdvocateKind.CUSTOMER)
                .withSegments(segments));
        engine.enrol(a.id(), PROGRAM);
        return a;
    }

    /** A clock the sample moves by hand. */
    private static final class SampleClock extends Clock {
        private Instant now;

        SampleClock(Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Rewards are written directly here; in a host they come from the rules module. */
    private static void reward(ReferralEngine engine, String id, Advocate a, Referral r, Incentive incentive,
            RewardStatus status) {
        engine.transactions().inTransaction(w -> {
            w.store().rewards().insert(new Reward(RewardId.of(id), PROGRAM, a.id(), Beneficiary.ADVOCATE,
                    RewardSource.referral(r.id()), "sample-" + id, 1, "stage:won", incentive, status, w.now(),
                    w.now(), w.now(), List.of(), 1));
            return null;
        });
    }
}
