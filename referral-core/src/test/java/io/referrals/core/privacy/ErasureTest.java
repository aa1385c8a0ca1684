package io.referrals.core.privacy;

import static io.referrals.core.eligibility.Fixture.PROGRAM;
import static io.referrals.core.eligibility.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.CaptureResult;
import io.referrals.core.TransitionRequest;
import io.referrals.core.eligibility.Fixture;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.ReferralQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Erasure")
class ErasureTest {
    static final Prospect ZELDA = Prospect.builder().fullName("Zelda Quixote").email("zelda.quixote@initech-labs.com")
            .company("Initech Labs Unlimited").companyDomain("initech-labs.com").jobTitle("VP Unicorn Herding")
            .seniority(Seniority.VP).department("Zeppelin Ops").phone("+1 555 0199 777")
            .attributes(Map.of("crm", "zq-crm-4242")).build();
    static final List<String> ZELDA_VALUES = List.of("Zelda", "Quixote", "zelda.quixote", "Initech Labs Unlimited",
            "initech-labs", "VP Unicorn Herding", "Zeppelin Ops", "0199 777", "zq-crm-4242", "Zelda is keen");

    private static Referral referral(CaptureResult r) {
        return r instanceof CaptureResult.Accepted a ? a.referral() : ((CaptureResult.Rejected) r).referral();
    }

    @Test
    void erasing_a_prospect_removes_their_data_from_every_table_and_pending_outbox_event_but_keeps_the_counts() {
        Fixture f = new Fixture(b -> b.outbox());
        Advocate a = f.customer("a", "a@alpha.com");
        Advocate b = f.customer("b", "b@beta.com");
        Referral first = referral(f.engine.capture(request(a, ZELDA).note("Zelda is keen on analytics").build()));
        f.engine.transition(new TransitionRequest(first.id(), Stage.CONTACTED, TransitionCause.rep("rep-7"), "", ""));
        Referral dup = referral(f.capture(b, ZELDA));
        assertThat(dup.review()).isEqualTo(ReviewStatus.DENIED);
        f.engine.transactions().inTransaction(w -> w.store().ledger().append(new LedgerEntry(LedgerEntryId.random(), a.id(),
                LedgerEntry.Kind.EARNED, 500, "reward-1", "k-1", Instant.parse("2026-03-02T10:00:00Z"), "won")));
        assertThat(StoreScan.containing(f.store, ZELDA_VALUES)).isNotEmpty();
        List<OutboxEntry> eventsBefore = f.engine.events(EventStreams.of(first.id()));
        assertThat(eventsBefore).allSatisfy(e -> assertThat(e.status()).isEqualTo(OutboxStatus.PENDING));

        ErasureReport report = f.engine.eraseProspect("Zelda.Quixote+news@INITECH-LABS.com");

        assertThat(report.referrals()).isEqualTo(2);
        assertThat(report.events()).isGreaterThanOrEqualTo(3);
        assertThat(StoreScan.containing(f.store, ZELDA_VALUES)).isEmpty();
        Referral erased = f.engine.referral(first.id()).orElseThrow();
        assertThat(erased.stage()).isEqualTo(Stage.CONTACTED);
        assertThat(erased.prospect().seniority()).isEqualTo(Seniority.VP);
        assertThat(erased.prospectEmailKey()).isEmpty();
        assertThat(f.engine.timeline(first.id())).hasSize(1);
        assertThat(f.engine.referrals(ReferralQuery.builder().program(PROGRAM).build())).hasSize(2);
        List<OutboxEntry> eventsAfter = f.engine.events(EventStreams.of(first.id()));
        assertThat(eventsAfter).extracting(e -> e.event().metadata())
                .isEqualTo(eventsBefore.stream().map(e -> e.event().metadata()).toList());
        assertThat(eventsAfter).extracting(OutboxEntry::status).containsOnly(OutboxStatus.PENDING);
        assertThat(eventsAfter.get(0).event()).isInstanceOfSatisfying(ReferralSubmitted.class,
                e -> assertThat(e.referral().prospectCompany()).isEmpty());
        long balance = f.engine.transactions().inTransaction(w -> w.store().ledger().balance(a.id()));
        assertThat(balance).isEqualTo(500);
        assertThat(f.engine.exportProspect("zelda.quixote@initech-labs.com").referrals()).isEmpty();

        assertThat(f.engine.eraseProspect("zelda.quixote@initech-labs.com"))
                .isEqualTo(new ErasureReport(0, 0, 0));
    }

    @Test
    void an_erased_prospect_is_not_recognised_again() {
        Fixture f = new Fixture();
        Advocate a = f.customer("a", "a@alpha.com");
        Advocate b = f.customer("b", "b@beta.com");
        f.capture(a, ZELDA);
        f.engine.eraseProspect(ZELDA.email());
        CaptureResult again = f.capture(b, ZELDA);
        assertThat(again.isAccepted()).isTrue();
        assertThat(referral(again).findings()).isEmpty();
    }

    @Test
    void erasing_an_advocate_pseudonymises_them_everywhere_and_keeps_their_referrals() {
        Fixture f = new Fixture(b -> b.outbox());
        Advocate y = f.advocate("crm-yolanda-77", "yolanda.advocatus@advocate-co.com",
                io.referrals.core.model.AdvocateKind.PARTNER, "advocate-co.com");
        String code = f.code(y).code();
        Referral r = referral(f.capture(y, Fixture.prospect("P", "p@initech.com", "Initech", "")));
        List<String> values = List.of("yolanda", "advocatus", "crm-yolanda-77", "advocate-co");
        assertThat(StoreScan.containing(f.store, values)).isNotEmpty();

        ErasureReport report = f.engine.eraseAdvocate(y.id());

        assertThat(report.advocates()).isEqualTo(1);
        assertThat(StoreScan.containing(f.store, values)).isEmpty();
        Advocate erased = f.engine.advocate(y.id()).orElseThrow();
        assertThat(erased.optedOut()).isTrue();
        assertThat(f.engine.findCode(code).orElseThrow().status()).isEqualTo(CodeStatus.REVOKED);
        assertThat(f.engine.referral(r.id())).isPresent();
        assertThat(f.engine.referrals(ReferralQuery.builder().advocate(y.id()).build())).hasSize(1);
        assertThat(f.engine.eraseAdvocate(y.id())).isEqualTo(new ErasureReport(0, 0, 0));
    }

    @Test
    void erasure_refuses_a_malformed_email_naming_the_field() {
        Fixture f = new Fixture();
        assertThatThrownBy(() -> f.engine.eraseProspect("not an email"))
                .isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).extracting(io.referrals.core.error.FieldError::field)
                                .containsExactly("email"))
                .hasMessageNotContaining("not an email");
    }
}
