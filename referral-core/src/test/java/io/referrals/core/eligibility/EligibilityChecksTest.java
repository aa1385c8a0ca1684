package io.referrals.core.eligibility;

import static io.referrals.core.eligibility.Fixture.PROGRAM;
import static io.referrals.core.eligibility.Fixture.prospect;
import static io.referrals.core.eligibility.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.error.ConflictException;
import io.referrals.core.event.ReferralFlagged;
import io.referrals.core.event.ReferralRejected;
import io.referrals.core.event.ReferralReviewed;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.TransitionRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Eligibility checks at capture")
class EligibilityChecksTest {

    private static List<String> codes(CaptureResult r) {
        Referral ref = referral(r);
        return ref.findings().stream().map(Reason::code).toList();
    }

    private static Referral referral(CaptureResult r) {
        if (r instanceof CaptureResult.Accepted a) {
            return a.referral();
        }
        if (r instanceof CaptureResult.Rejected x) {
            return x.referral();
        }
        throw new AssertionError("refused: " + r);
    }

    @Nested
    @DisplayName("self-referral")
    class SelfReferral {
        @Test
        void a_prospect_with_the_advocates_email_in_another_case_and_with_a_plus_tag_is_rejected_and_recorded() {
            Fixture f = new Fixture();
            Advocate jane = f.customer("jane", "jane.doe@acme-widgets.com");
            CaptureResult r = f.capture(jane, prospect("Jane D", "Jane.Doe+referral@ACME-widgets.com", "Acme", ""));

            assertThat(r).isInstanceOf(CaptureResult.Rejected.class);
            CaptureResult.Rejected rejected = (CaptureResult.Rejected) r;
            assertThat(rejected.reasons()).extracting(Reason::code).contains(EligibilityReasons.SELF_REFERRAL);
            Referral stored = f.engine.referral(rejected.referral().id()).orElseThrow();
            assertThat(stored.stage()).isEqualTo(Stage.REJECTED);
            assertThat(stored.outcome()).contains(Outcome.REJECTED);
            assertThat(stored.review()).isEqualTo(ReviewStatus.DENIED);
            assertThat(f.engine.timeline(stored.id())).singleElement()
                    .extracting(TimelineEntry::to).isEqualTo(Stage.REJECTED);
            assertThat(f.eventsOf(ReferralRejected.class)).singleElement()
                    .satisfies(e -> assertThat(e.reasons()).isEqualTo(rejected.reasons()));
            assertThat(f.eventsOf(ReferralSubmitted.class)).isEmpty();
        }

        @Test
        void gmail_addresses_match_regardless_of_dots_and_googlemail_alias() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "john.smith@gmail.com");
            assertThat(codes(f.capture(a, prospect("J S", "johnsmith@googlemail.com", "Self", ""))))
                    .contains(EligibilityReasons.SELF_REFERRAL);
        }

        @Test
        void dots_are_significant_for_other_providers() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "john.smith@outlook.com");
            assertThat(f.capture(a, prospect("J S", "johnsmith@outlook.com", "Other", "")).isAccepted()).isTrue();
        }
    }

    @Nested
    @DisplayName("company domains")
    class Companies {
        @Test
        void a_colleague_at_the_advocates_registrable_domain_is_rejected_by_default() {
            Fixture f = new Fixture();
            Advocate a = f.advocate("a", "ann@acme.co.uk", AdvocateKind.CUSTOMER, "acme.co.uk");
            CaptureResult r = f.capture(a, prospect("Bob", "bob@sales.acme.co.uk", "Acme", "sales.acme.co.uk"));
            assertThat(codes(r)).containsExactly(EligibilityReasons.SAME_COMPANY);
            assertThat(r).isInstanceOf(CaptureResult.Rejected.class);
        }

        @Test
        @DisplayName("two companies under a multi-label public suffix (com.vn) are two companies, not colleagues")
        void companies_under_a_multi_label_public_suffix_are_not_colleagues() {
            Fixture f = new Fixture();
            Advocate a = f.advocate("a", "an@alpha.com.vn", AdvocateKind.CUSTOMER, "alpha.com.vn");
            CaptureResult r = f.capture(a, prospect("Binh", "binh@beta.com.vn", "Beta", "beta.com.vn"));
            assertThat(codes(r)).isEmpty();
            assertThat(r.isAccepted()).isTrue();
            CaptureResult colleague = f.capture(a, prospect("Chi", "chi@hn.alpha.com.vn", "Alpha", "hn.alpha.com.vn"));
            assertThat(codes(colleague)).containsExactly(EligibilityReasons.SAME_COMPANY);
        }

        @Test
        @DisplayName("the host's own public suffix list decides what one company is")
        void the_hosts_public_suffix_list_applies() {
            PublicSuffixList hosts = PublicSuffixList.parse(new java.io.StringReader("example\ngroup.example\n"));
            Fixture f = new Fixture(b -> b.eligibility(EligibilitySettings.builder().publicSuffixes(hosts).build()));
            Advocate a = f.advocate("a", "ann@north.group.example", AdvocateKind.CUSTOMER, "north.group.example");
            assertThat(f.capture(a, prospect("Bob", "bob@south.group.example", "South", "south.group.example"))
                    .isAccepted()).isTrue();
            Fixture bundled = new Fixture();
            Advocate b = bundled.advocate("a", "ann@north.group.example", AdvocateKind.CUSTOMER,
                    "north.group.example");
            assertThat(codes(bundled.capture(b, prospect("Bob", "bob@south.group.example", "South",
                    "south.group.example")))).containsExactly(EligibilityReasons.SAME_COMPANY);
        }

        @Test
        void a_program_may_allow_colleague_referrals() {
            Fixture f = new Fixture(b -> b.eligibilityPolicy(PROGRAM, EligibilityPolicy.builder()
                    .decide(EligibilityReasons.SAME_COMPANY, Decision.ALLOW).build()));
            Advocate a = f.advocate("a", "ann@acme.com", AdvocateKind.CUSTOMER, "acme.com");
            CaptureResult r = f.capture(a, prospect("Bob", "bob@acme.com", "Acme", "acme.com"));
            assertThat(r.isAccepted()).isTrue();
            assertThat(referral(r).findings()).isEmpty();
            assertThat(referral(r).review()).isEqualTo(ReviewStatus.CLEAR);
        }

        @Test
        void two_people_on_the_same_free_mail_provider_are_not_colleagues() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "ann@gmail.com");
            assertThat(f.capture(a, prospect("Bob", "bob@gmail.com", "Initech", "")).isAccepted()).isTrue();
        }

        @Test
        void the_hosts_own_employees_cannot_be_referred() {
            Fixture f = new Fixture(b -> b.eligibility(EligibilitySettings.builder().hostDomain("host.io").build()));
            Advocate a = f.customer("a", "ann@customer.com");
            assertThat(codes(f.capture(a, prospect("Eve", "eve@eu.host.io", "Host", ""))))
                    .containsExactly(EligibilityReasons.HOST_EMPLOYEE);
        }

        @Test
        void employee_advocates_are_allowed_by_default_and_excluded_where_the_program_says_so() {
            Fixture allowed = new Fixture(b -> b.eligibility(
                    EligibilitySettings.builder().hostDomain("host.io").build()));
            Advocate emp = allowed.advocate("e", "emp@host.io", AdvocateKind.CUSTOMER, "");
            assertThat(allowed.capture(emp, prospect("P", "p@initech.com", "Initech", "")).isAccepted()).isTrue();

            Fixture excluded = new Fixture(b -> b.eligibilityPolicy(PROGRAM, EligibilityPolicy.builder()
                    .decide(EligibilityReasons.EMPLOYEE_ADVOCATE, Decision.REJECT).build()));
            Advocate emp2 = excluded.advocate("e", "emp@host.io", AdvocateKind.EMPLOYEE, "");
            assertThat(codes(excluded.capture(emp2, prospect("P", "p@initech.com", "Initech", ""))))
                    .containsExactly(EligibilityReasons.EMPLOYEE_ADVOCATE);
        }
    }

    @Nested
    @DisplayName("duplicates and ownership")
    class Ownership {
        @Test
        void the_first_valid_referral_owns_the_prospect_within_the_protection_window() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "a@alpha.com");
            Advocate b = f.customer("b", "b@beta.com");
            assertThat(f.capture(a, prospect("P", "pat@initech.com", "Initech", "initech.com")).isAccepted()).isTrue();
            f.clock.advance(Duration.ofDays(30));
            assertThat(codes(f.capture(b, prospect("Pat", "PAT+x@initech.com", "Initech", "initech.com"))))
                    .containsExactly(EligibilityReasons.DUPLICATE_PROSPECT);
            f.clock.advance(Duration.ofDays(61));
            assertThat(f.capture(b, prospect("Pat", "pat@initech.com", "Initech", "initech.com")).isAccepted())
                    .as("outside the 90-day window").isTrue();
        }

        @Test
        void the_same_advocate_referring_the_same_person_twice_is_a_duplicate() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "a@alpha.com");
            f.capture(a, prospect("P", "pat@initech.com", "Initech", ""));
            assertThat(codes(f.capture(a, prospect("P", "pat@initech.com", "Initech", ""))))
                    .containsExactly(EligibilityReasons.DUPLICATE_PROSPECT);
        }

        @Test
        void a_rejected_earlier_referral_does_not_own_the_prospect() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "pat@initech.com");
            Advocate b = f.customer("b", "b@beta.com");
            assertThat(f.capture(a, prospect("P", "pat@initech.com", "Initech", ""))).isInstanceOf(
                    CaptureResult.Rejected.class);
            assertThat(f.capture(b, prospect("P", "pat@initech.com", "Initech", "")).isAccepted()).isTrue();
        }

        @Test
        void account_level_programs_match_on_the_company_domain() {
            Fixture f = new Fixture(b -> b.defaultEligibilityPolicy(EligibilityPolicy.builder().accountLevel(true)
                    .build()));
            Advocate a = f.customer("a", "a@alpha.com");
            Advocate b = f.customer("b", "b@beta.com");
            f.capture(a, prospect("P", "pat@initech.com", "Initech", "initech.com"));
            assertThat(codes(f.capture(b, prospect("Q", "quinn@initech.com", "Initech", "initech.com"))))
                    .containsExactly(EligibilityReasons.DUPLICATE_PROSPECT);
        }

        @Test
        void with_partner_over_customer_a_partner_takes_over_and_the_customers_referral_is_flagged() {
            Fixture f = new Fixture(b -> b.defaultEligibilityPolicy(EligibilityPolicy.builder()
                    .ownership(OwnershipPolicy.partnerOverCustomer()).build()));
            Advocate customer = f.customer("c", "c@alpha.com");
            Advocate partner = f.advocate("p", "p@reseller.com", AdvocateKind.PARTNER, "reseller.com");
            Referral first = referral(f.capture(customer, prospect("P", "pat@initech.com", "Initech", "")));
            CaptureResult second = f.capture(partner, prospect("P", "pat@initech.com", "Initech", ""));

            assertThat(second.isAccepted()).isTrue();
            assertThat(referral(second).review()).isEqualTo(ReviewStatus.CLEAR);
            Referral firstNow = f.engine.referral(first.id()).orElseThrow();
            assertThat(firstNow.review()).isEqualTo(ReviewStatus.FLAGGED);
            assertThat(firstNow.findings()).extracting(Reason::code)
                    .containsExactly(EligibilityReasons.OWNERSHIP_TRANSFERRED);
            assertThat(f.eventsOf(ReferralFlagged.class)).singleElement()
                    .satisfies(e -> assertThat(e.referral().referralId()).isEqualTo(first.id()));

            Advocate customer2 = f.customer("c2", "c2@gamma.com");
            assertThat(codes(f.capture(customer2, prospect("P", "pat@initech.com", "Initech", ""))))
                    .as("a customer does not take over from the partner").contains(
                            EligibilityReasons.DUPLICATE_PROSPECT);
        }

        @Test
        void the_hosts_lookup_rejects_existing_customers_and_leads() {
            Fixture f = new Fixture(b -> b.eligibility(EligibilitySettings.builder()
                    .lookup((program, p) -> p.email().startsWith("cust") ? Relationship.CUSTOMER
                            : p.email().startsWith("lead") ? Relationship.LEAD : Relationship.NONE)
                    .build()));
            Advocate a = f.customer("a", "a@alpha.com");
            assertThat(codes(f.capture(a, prospect("C", "cust@initech.com", "Initech", ""))))
                    .containsExactly(EligibilityReasons.EXISTING_CUSTOMER);
            assertThat(codes(f.capture(a, prospect("L", "lead@initech.com", "Initech", ""))))
                    .containsExactly(EligibilityReasons.EXISTING_LEAD);
            assertThat(f.capture(a, prospect("N", "new@initech.com", "Initech", "")).isAccepted()).isTrue();
        }

        @Test
        void a_refers_b_after_b_referred_a_is_flagged_as_circular() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "ann@alpha.com");
            Advocate b = f.customer("b", "bob@beta.com");
            assertThat(f.capture(b, prospect("Ann", "ann@alpha.com", "Alpha", "")).isAccepted()).isTrue();
            CaptureResult r = f.capture(a, prospect("Bob", "bob@beta.com", "Beta", ""));
            assertThat(r.isAccepted()).isTrue();
            assertThat(referral(r).review()).isEqualTo(ReviewStatus.FLAGGED);
            assertThat(codes(r)).containsExactly(EligibilityReasons.CIRCULAR_REFERRAL);
        }
    }

    @Nested
    @DisplayName("velocity, disposable email, blocklists, signals")
    class Abuse {
        @Test
        void velocity_limits_per_advocate_hold_across_engines_sharing_a_store_and_reset_with_the_window() {
            Fixture f = new Fixture(b -> b.defaultEligibilityPolicy(EligibilityPolicy.builder()
                    .advocateLimits(VelocityLimit.perHour(3)).build()));
            ReferralEngine other = ReferralEngine.builder().store(f.store).clock(f.clock)
                    .matchKeySecret(Fixture.SECRET)
                    .defaultEligibilityPolicy(EligibilityPolicy.builder().advocateLimits(VelocityLimit.perHour(3))
                            .build())
                    .build();
            Advocate a = f.customer("a", "a@alpha.com");
            for (int i = 0; i < 3; i++) {
                ReferralEngine e = i % 2 == 0 ? f.engine : other;
                assertThat(e.capture(request(a, prospect("P" + i, "p" + i + "@initech.com", "Initech", "")).build())
                        .isAccepted()).isTrue();
            }
            CaptureResult fourth = other.capture(request(a, prospect("P", "p9@initech.com", "Initech", "")).build());
            assertThat(codes(fourth)).containsExactly(EligibilityReasons.VELOCITY_ADVOCATE);
            f.clock.advance(Duration.ofHours(1));
            assertThat(f.capture(a, prospect("P", "p10@initech.com", "Initech", "")).isAccepted()).isTrue();
        }

        @Test
        void velocity_limits_per_code() {
            Fixture f = new Fixture(b -> b.defaultEligibilityPolicy(EligibilityPolicy.builder()
                    .codeLimits(VelocityLimit.perDay(2)).advocateLimits().build()));
            Advocate a = f.customer("a", "a@alpha.com");
            String code = f.code(a).code();
            for (int i = 0; i < 2; i++) {
                assertThat(f.engine.capture(io.referrals.core.CaptureRequest.builder().code(code)
                        .prospect(prospect("P", "p" + i + "@initech.com", "I", ""))
                        .channel(io.referrals.core.model.Channel.LINK_OR_CODE)
                        .consent(io.referrals.core.model.ConsentBasis.PROSPECT_CONSENT).build()).isAccepted())
                        .isTrue();
            }
            CaptureResult third = f.engine.capture(io.referrals.core.CaptureRequest.builder().code(code)
                    .prospect(prospect("P", "p3@initech.com", "I", ""))
                    .channel(io.referrals.core.model.Channel.LINK_OR_CODE)
                    .consent(io.referrals.core.model.ConsentBasis.PROSPECT_CONSENT).build());
            assertThat(codes(third)).containsExactly(EligibilityReasons.VELOCITY_CODE);
        }

        @Test
        void disposable_domains_from_the_shipped_list_and_the_hosts_extension_are_rejected() {
            Fixture f = new Fixture(b -> b.eligibility(EligibilitySettings.builder()
                    .disposableDomain("burner.example").build()));
            Advocate a = f.customer("a", "a@alpha.com");
            assertThat(codes(f.capture(a, prospect("P", "p@mailinator.com", "X", ""))))
                    .containsExactly(EligibilityReasons.DISPOSABLE_EMAIL);
            assertThat(codes(f.capture(a, prospect("P", "p@mx.burner.example", "X", ""))))
                    .containsExactly(EligibilityReasons.DISPOSABLE_EMAIL);
        }

        @Test
        void blocklists_of_emails_domains_and_advocates_reject() {
            Fixture f = new Fixture();
            Advocate bad = f.customer("bad", "bad@alpha.com");
            Fixture g = new Fixture(b -> b.eligibility(EligibilitySettings.builder()
                    .blockEmail("Blocked+x@Initech.com").blockDomain("spam.biz").build()));
            Advocate a = g.customer("a", "a@alpha.com");
            assertThat(codes(g.capture(a, prospect("P", "blocked@initech.com", "I", ""))))
                    .containsExactly(EligibilityReasons.BLOCKED_EMAIL);
            assertThat(codes(g.capture(a, prospect("P", "x@eu.spam.biz", "S", ""))))
                    .containsExactly(EligibilityReasons.BLOCKED_DOMAIN);

            ReferralEngine blocking = ReferralEngine.builder().store(f.store).clock(f.clock)
                    .matchKeySecret(Fixture.SECRET)
                    .eligibility(EligibilitySettings.builder().blockAdvocate(bad.id()).build()).build();
            assertThat(codes(blocking.capture(request(bad, prospect("P", "p@initech.com", "I", "")).build())))
                    .containsExactly(EligibilityReasons.BLOCKED_ADVOCATE);
        }

        @Test
        void shared_signals_flag_for_review_and_never_reject_by_default() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "a@alpha.com");
            CaptureResult r = f.engine.capture(request(a, prospect("P", "p@initech.com", "I", ""))
                    .signals(new Signals("203.0.113.7", "Mozilla/5.0", "dev-1"))
                    .advocateSignals(new Signals("203.0.113.7", "curl/8", "dev-1")).build());
            assertThat(r).isInstanceOf(CaptureResult.Accepted.class);
            assertThat(referral(r).review()).isEqualTo(ReviewStatus.FLAGGED);
            assertThat(codes(r)).containsExactly(EligibilityReasons.SHARED_IP, EligibilityReasons.SHARED_DEVICE);
            assertThat(f.eventsOf(ReferralFlagged.class)).hasSize(1);
            assertThat(f.eventsOf(ReferralSubmitted.class)).as("a flagged referral is not released for contact")
                    .isEmpty();
        }

        @Test
        void failed_code_lookups_are_counted_per_source_ip() {
            Fixture f = new Fixture();
            for (int i = 0; i < 3; i++) {
                CaptureResult r = f.engine.capture(io.referrals.core.CaptureRequest.builder().code("NOPE-000" + i)
                        .prospect(prospect("P", "p@initech.com", "I", ""))
                        .channel(io.referrals.core.model.Channel.LINK_OR_CODE)
                        .consent(io.referrals.core.model.ConsentBasis.PROSPECT_CONSENT)
                        .signals(Signals.ip("198.51.100.4")).build());
                assertThat(r).isInstanceOf(CaptureResult.Refused.class);
            }
            assertThat(f.engine.failedCodeLookups(Signals.ip("198.51.100.4"))).isEqualTo(3);
            assertThat(f.engine.failedCodeLookups(Signals.ip("198.51.100.5"))).isZero();
            f.clock.advance(Duration.ofHours(1));
            assertThat(f.engine.failedCodeLookups(Signals.ip("198.51.100.4"))).as("a new hour").isZero();
        }
    }

    @Nested
    @DisplayName("review queue")
    class Review {
        private Referral flagged(Fixture f) {
            Advocate a = f.customer("a", "a@alpha.com");
            return referral(f.engine.capture(request(a, prospect("P", "p@initech.com", "I", ""))
                    .signals(Signals.ip("203.0.113.7")).advocateSignals(Signals.ip("203.0.113.7")).build()));
        }

        @Test
        void flagged_referrals_are_listed_and_approval_releases_them() {
            Fixture f = new Fixture();
            Referral r = flagged(f);
            assertThat(f.engine.reviewQueue(PROGRAM, 10)).extracting(Referral::id).containsExactly(r.id());

            Referral approved = f.engine.approveReferral(r.id(), "reviewer-1", "known office IP");
            assertThat(approved.review()).isEqualTo(ReviewStatus.APPROVED);
            assertThat(f.engine.reviewQueue(PROGRAM, 10)).isEmpty();
            assertThat(f.eventsOf(ReferralReviewed.class)).singleElement().satisfies(e -> {
                assertThat(e.decision()).isEqualTo(ReviewStatus.APPROVED);
                assertThat(e.reviewer()).isEqualTo("reviewer-1");
            });
            assertThat(f.engine.approveReferral(r.id(), "reviewer-1", "")).isEqualTo(approved);
            assertThatThrownBy(() -> f.engine.denyReferral(r.id(), "x", ""))
                    .isInstanceOf(ConflictException.class);
        }

        @Test
        void denial_moves_a_flagged_referral_to_the_rejected_stage() {
            Fixture f = new Fixture();
            Referral r = flagged(f);
            Referral denied = f.engine.denyReferral(r.id(), "reviewer-2", "");
            assertThat(denied.review()).isEqualTo(ReviewStatus.DENIED);
            assertThat(denied.stage()).isEqualTo(Stage.REJECTED);
            assertThat(denied.outcome()).contains(Outcome.REJECTED);
            assertThat(f.eventsOf(StageChanged.class)).hasSize(1);
            assertThat(f.eventsOf(ReferralReviewed.class)).extracting(ReferralReviewed::decision)
                    .containsExactly(ReviewStatus.DENIED);
        }

        @Test
        void a_clear_referral_cannot_be_reviewed() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "a@alpha.com");
            Referral r = referral(f.capture(a, prospect("P", "p@initech.com", "I", "")));
            assertThatThrownBy(() -> f.engine.approveReferral(r.id(), "", ""))
                    .isInstanceOf(ConflictException.class);
            f.engine.transition(new TransitionRequest(r.id(), Stage.CONTACTED, TransitionCause.rep("rep-1"), "", ""));
        }

        @Test
        void replaying_a_rejected_capture_returns_the_same_rejection() {
            Fixture f = new Fixture();
            Advocate a = f.customer("a", "a@alpha.com");
            CaptureResult first = f.engine.capture(request(a, prospect("A", "a@alpha.com", "Alpha", ""))
                    .idempotencyKey("k-1").build());
            CaptureResult again = f.engine.capture(request(a, prospect("A", "a@alpha.com", "Alpha", ""))
                    .idempotencyKey("k-1").build());
            assertThat(again).isInstanceOf(CaptureResult.Rejected.class);
            assertThat(((CaptureResult.Rejected) again).replayed()).isTrue();
            assertThat(referral(again).id()).isEqualTo(referral(first).id());
        }
    }
}
