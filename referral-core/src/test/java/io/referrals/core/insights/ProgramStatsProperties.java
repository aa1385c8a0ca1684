package io.referrals.core.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
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
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ProgramStatistics;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the aggregates over random programs: the parts always add up to the whole. */
class ProgramStatsProperties {
    static final ProgramId PROGRAM = ProgramId.of("p");
    static final List<Stage> FORWARD = List.of(Stage.CONTACTED, Stage.MEETING_HELD, Stage.QUALIFIED,
            Stage.OPPORTUNITY);
    static final List<Stage> ENDS = List.of(Stage.WON, Stage.LOST, Stage.REJECTED);

    /**
     * One referral: its advocate (0-3), channel, which forward stages it visits (a bit mask), and how it ends (0-2 a
     * terminal stage, 3 still open).
     */
    record Plan(int advocate, Channel channel, int visits, int end) {
    }

    @Provide
    Arbitrary<List<Plan>> plans() {
        Arbitrary<Plan> plan = net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.of(Channel.REFERRAL_FORM, Channel.DIRECT_EMAIL, Channel.LINK_OR_CODE),
                Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 3)).as(Plan::new);
        return plan.list().ofMaxSize(25);
    }

    @Property(tries = 60)
    void thePartsAddUpToTheWhole(@ForAll("plans") List<Plan> plans) {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        ReferralEngine engine = ReferralEngine.builder().store(new InMemoryReferralStore()).clock(clock).build();
        engine.defineProgram(Program.builder(PROGRAM, "P", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
                .build());
        List<Advocate> advocates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Advocate a = engine.registerAdvocate(AdvocateRegistration.of("a" + i, "A" + i, "", AdvocateKind.CUSTOMER)
                    .withSegments(i % 2 == 0 ? Set.of("even") : Set.of("odd", "all")));
            engine.enrol(a.id(), PROGRAM);
            advocates.add(a);
        }
        long timelineEntries = 0;
        int n = 0;
        for (Plan p : plans) {
            n++;
            Referral r = engine.capture(CaptureRequest.builder()
                    .advocate(advocates.get(p.advocate()).id()).program(PROGRAM)
                    .prospect(Prospect.builder().fullName("P" + n).email("p" + n + "@x" + n + ".example")
                            .company("X" + n).build())
                    .channel(p.channel()).consent(ConsentBasis.PROSPECT_CONSENT).build()).acceptedReferral();
            for (int s = 0; s < FORWARD.size(); s++) {
                if ((p.visits() & (1 << s)) != 0) {
                    clock.advance(Duration.ofHours(1 + n));
                    engine.transition(TransitionRequest.of(r.id(), FORWARD.get(s), TransitionCause.rep("x")));
                    timelineEntries++;
                }
            }
            if (p.end() < 3) {
                clock.advance(Duration.ofDays(1));
                engine.transition(TransitionRequest.of(r.id(), ENDS.get(p.end()), TransitionCause.rep("x")));
                timelineEntries++;
                if (p.end() == 0 && n % 3 != 0) {
                    engine.recordDealValue(r.id(), Money.of(String.valueOf(100 * n), "EUR"));
                }
            }
        }

        ProgramStats s = engine.transactions().inStore(tx -> ProgramStatistics.scanning(tx).programStats(
                InsightsQuery.builder(PROGRAM, Currency.getInstance("EUR")).topAdvocates(100).build()));
        long won = plans.stream().filter(p -> p.end() == 0).count();
        assertThat(s.submitted()).isEqualTo(plans.size());
        assertThat(s.won()).isEqualTo(won);
        assertThat(s.advocatesEnrolled()).isEqualTo(5);
        assertThat(s.referringAdvocates())
                .isEqualTo(plans.stream().map(Plan::advocate).distinct().count());
        assertThat(s.furthestStages().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(plans.size());
        assertThat(s.currentStages().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(plans.size());
        assertThat(s.currentStages().getOrDefault(Stage.WON, 0L)).isEqualTo(won);
        assertThat(s.furthestStages().getOrDefault(Stage.WON, 0L)).isEqualTo(won);
        assertThat(s.transitions().stream().mapToLong(ProgramStats.TransitionCount::count).sum())
                .isEqualTo(timelineEntries);
        assertThat(s.byChannel().stream().mapToLong(ProgramStats.Breakdown::submitted).sum()).isEqualTo(plans.size());
        assertThat(s.byChannel().stream().mapToLong(ProgramStats.Breakdown::won).sum()).isEqualTo(won);
        assertThat(s.timeToWon().count()).isEqualTo(won);
        assertThat(s.timeToWon().median()).isLessThanOrEqualTo(s.timeToWon().p90());
        long withValue = s.won() - s.wonWithoutDealValue();
        assertThat(s.topByWon().stream().mapToLong(ProgramStats.AdvocateTotals::won).sum()).isEqualTo(won);
        Money total = s.revenue().stream().reduce(Money.zero(Currency.getInstance("EUR")), Money::plus);
        assertThat(s.topByRevenue().stream().map(ProgramStats.AdvocateTotals::revenue)
                .reduce(Money.zero(Currency.getInstance("EUR")), Money::plus)).isEqualTo(total);
        assertThat(withValue).isBetween(0L, won);

        List<ProgramReport.FunnelStep> funnel = ProgramReport.of(engine.program(PROGRAM).orElseThrow(),
                InsightsQuery.builder(PROGRAM, Currency.getInstance("EUR")).build(), s,
                Valuation.pointsUnvalued(Currency.getInstance("EUR")), java.util.Map.of(), clock.instant()).funnel();
        assertThat(funnel.get(0).reached()).isEqualTo(plans.size());
        for (int i = 1; i < funnel.size(); i++) {
            assertThat(funnel.get(i).reached()).isLessThanOrEqualTo(funnel.get(i - 1).reached());
        }
        assertThat(funnel.get(funnel.size() - 1).reached()).isEqualTo(won);
    }
}
