package io.referrals.core.privacy;

import static io.referrals.core.eligibility.Fixture.prospect;
import static io.referrals.core.eligibility.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.CaptureResult;
import io.referrals.core.eligibility.Fixture;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralFlagged;
import io.referrals.core.event.ReferralReviewed;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.extension.Extension;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Consent basis enforcement")
class ConsentTest {
    private final List<String> hookCalls = new CopyOnWriteArrayList<>();
    private final Fixture f = new Fixture(b -> b.install(Extension.of(new ReferralHook() {
        @Override
        public void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
            hookCalls.add("capture:" + referral.id().value());
        }

        @Override
        public void afterReview(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
            hookCalls.add("review:" + referral.review());
        }
    })));

    @Test
    void a_referral_without_a_consent_basis_is_recorded_but_emits_no_contact_leading_event_or_hook() {
        Advocate a = f.customer("a", "a@alpha.com");
        CaptureResult r = f.engine.capture(request(a, prospect("P", "p@initech.com", "I", ""))
                .consent(ConsentBasis.NONE).build());

        assertThat(r.isAccepted()).isTrue();
        Referral stored = r.acceptedReferral();
        assertThat(f.engine.referral(stored.id())).isPresent();
        assertThat(f.engine.events(EventStreams.of(stored.id()))).isEmpty();
        assertThat(f.eventsOf(ReferralSubmitted.class)).isEmpty();
        assertThat(hookCalls).isEmpty();
    }

    @Test
    void a_referral_with_a_basis_is_announced_and_hooked() {
        Advocate a = f.customer("a", "a@alpha.com");
        Referral r = f.capture(a, prospect("P", "p@initech.com", "I", "")).acceptedReferral();
        assertThat(f.eventsOf(ReferralSubmitted.class)).singleElement()
                .satisfies(e -> assertThat(e.referral().consent()).isEqualTo(ConsentBasis.ADVOCATE_INTRODUCTION));
        assertThat(hookCalls).containsExactly("capture:" + r.id().value());
    }

    @Test
    void approving_a_flagged_referral_without_a_basis_emits_no_approval_event_but_still_runs_review_hooks() {
        Advocate a = f.customer("a", "a@alpha.com");
        CaptureResult r = f.engine.capture(request(a, prospect("P", "p@initech.com", "I", ""))
                .consent(ConsentBasis.NONE).signals(Signals.ip("203.0.113.1"))
                .advocateSignals(Signals.ip("203.0.113.1")).build());
        Referral flagged = r.acceptedReferral();
        assertThat(flagged.review()).isEqualTo(ReviewStatus.FLAGGED);
        assertThat(f.eventsOf(ReferralFlagged.class)).hasSize(1);

        f.engine.approveReferral(flagged.id(), "reviewer", "");

        assertThat(f.eventsOf(ReferralReviewed.class)).isEmpty();
        assertThat(hookCalls).containsExactly("review:APPROVED");
    }
}
