package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.StagePipeline;
import io.referrals.rules.result.RuleOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Lost and reopened referrals")
class LostAndReopenedReferralsTest {

    /** The customer program with a pipeline that lets a lost referral come back to qualified or opportunity. */
    static Program reopenableCustomers() {
        return Program.builder(Fixture.CUSTOMERS, "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).crmMapping(CrmStageMapping.standard())
                .pipeline(StagePipeline.b2bDefault().toBuilder().reopen("lost", "qualified", "opportunity").build())
                .build();
    }

    private static RuleOutcome outcome(List<RuleOutcome> outcomes, String ruleId) {
        return outcomes.stream().filter(o -> o.ruleId().equals(ruleId)).findFirst().orElseThrow();
    }

    private static String last(RuleOutcome o) {
        return o.reasons().get(o.reasons().size() - 1).text();
    }

    @Nested
    @DisplayName("explaining a lost referral")
    class Explaining {

        @Test
        @DisplayName("a milestone it will not reach says it was lost, at which stage and when, and that the program "
                + "pays nothing for it, never that it has not reached the stage yet")
        void lostNotYet() {
            Fixture f = new Fixture(Fixture.load("milestones.yaml"));
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "contacted", "meeting_held");
            f.clock.advance(Duration.ofDays(3));
            f.move(r, "lost");

            RuleOutcome won = outcome(f.rewards.explain(r.id()), "customer-double");

            assertThat(won.status()).isEqualTo(RuleOutcome.Status.NOT_REACHED);
            assertThat(won.reasons()).extracting(Reason::code).containsExactly("referral_lost");
            assertThat(last(won)).isEqualTo("Your referral was lost at 'meeting_held' on 2026-03-05, before "
                    + "reaching 'won': the program pays nothing for it.");
            assertThat(last(won)).doesNotContain("yet");
            // the milestones it did reach still show what they paid
            assertThat(outcome(f.rewards.explain(r.id()), "milestone-points").status())
                    .isEqualTo(RuleOutcome.Status.PAID);
        }

        @Test
        @DisplayName("where the pipeline lets a lost referral be reopened, it adds: unless it is reopened")
        void lostUnlessReopened() {
            Fixture f = new Fixture(Fixture.load("milestones.yaml"));
            f.engine.defineProgram(reopenableCustomers());
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);
            f.move(r, "qualified", "lost");

            assertThat(last(outcome(f.rewards.explain(r.id()), "customer-double"))).isEqualTo("Your referral was "
                    + "lost at 'qualified' on 2026-03-02, before reaching 'won': the program pays nothing for it "
                    + "unless it is reopened.");
        }

        @Test
        @DisplayName("an open referral is still told it has not reached the stage yet")
        void openNotYet() {
            Fixture f = new Fixture(Fixture.load("milestones.yaml"));
            Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
            Referral r = f.refer(a, Fixture.CUSTOMERS);

            RuleOutcome won = outcome(f.rewards.explain(r.id()), "customer-double");

            assertThat(won.reasons()).extracting(Reason::code).containsExactly("not_reached");
            assertThat(last(won)).isEqualTo("Your referral has not reached 'won' yet.");
        }
    }
}
