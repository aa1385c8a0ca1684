package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.FieldError;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.AdvocateEnrolled;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Advocates")
class AdvocatesTest {
    private final TestWorld w = new TestWorld();

    @Test
    @DisplayName("registration stores every field, lower-cases the company domain and emits AdvocateRegistered")
    void register() {
        Advocate a = w.engine.registerAdvocate(AdvocateRegistration.of("crm-001", "Jane Doe", "jane@acme.example",
                AdvocateKind.PARTNER).withAccount("acct-9", "Acme Corp", "Acme.Example")
                .withSegments(Set.of("enterprise", "emea")).withAttributes(Map.of("nps", "10")));

        assertThat(a.externalId()).isEqualTo("crm-001");
        assertThat(a.companyDomain()).isEqualTo("acme.example");
        assertThat(a.segments()).containsExactlyInAnyOrder("enterprise", "emea");
        assertThat(a.registeredAt()).isEqualTo(TestWorld.T0);
        assertThat(a.optedOut()).isFalse();
        assertThat(w.engine.advocate(a.id())).contains(a);
        assertThat(w.engine.advocateByExternalId("crm-001")).contains(a);
        assertThat(w.engine.advocateByExternalId("CRM-001")).isEmpty();
        assertThat(w.listener.events(AdvocateRegistered.class)).singleElement()
                .satisfies(e -> assertThat(e.advocate().displayName()).isEqualTo("Jane Doe"));
    }

    @Test
    @DisplayName("several advocates can share one account")
    void sharedAccount() {
        w.engine.registerAdvocate(AdvocateRegistration.of("a1", "Jane", "", AdvocateKind.CUSTOMER)
                .withAccount("acct-1", "Acme", "acme.example"));
        Advocate second = w.engine.registerAdvocate(AdvocateRegistration.of("a2", "John", "", AdvocateKind.CUSTOMER)
                .withAccount("acct-1", "Acme", "acme.example"));

        assertThat(second.accountId()).isEqualTo("acct-1");
    }

    @Test
    @DisplayName("registration names every bad field at once and stores nothing")
    void everyBadFieldAtOnce() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("9bad key", "x");
        attributes.put("tier", "gold\u0000");
        AdvocateRegistration bad = new AdvocateRegistration(" ", "", "not-an-email", AdvocateKind.CUSTOMER,
                "acct\u202E1", "x".repeat(201), "acme_example", Set.of("ok", " "), attributes);

        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> w.engine.registerAdvocate(bad));

        assertThat(e).isNotNull();
        assertThat(e.errors()).extracting(FieldError::field).contains("externalId", "displayName", "email",
                "accountId", "companyName", "companyDomain", "segments", "attributes", "attributes.tier");
        assertThat(e.getMessage()).doesNotContain("not-an-email");
        assertThat(w.listener.events()).isEmpty();
    }

    @Test
    @DisplayName("an external id already taken is a conflict, and the first advocate is kept")
    void uniqueExternalId() {
        Advocate first = w.advocate("crm-001", "Jane");

        ConflictException e = catchThrowableOfType(ConflictException.class, () -> w.advocate("crm-001", "Impostor"));

        assertThat(e).isNotNull();
        assertThat(e.isRetryable()).isFalse();
        assertThat(w.engine.advocateByExternalId("crm-001")).contains(first);
        assertThat(w.listener.events(AdvocateRegistered.class)).hasSize(1);
    }

    @Test
    @DisplayName("enrolling twice returns the first enrolment and emits AdvocateEnrolled once")
    void enrolIdempotent() {
        Program p = w.activeProgram();
        Advocate a = w.advocate("jane", "Jane");

        Enrolment first = w.engine.enrol(a.id(), p.id());
        w.clock.advance(Duration.ofHours(1));
        Enrolment second = w.engine.enrol(a.id(), p.id());

        assertThat(second).isEqualTo(first);
        assertThat(second.enrolledAt()).isEqualTo(TestWorld.T0);
        assertThat(w.engine.enrolments(a.id())).containsExactly(first);
        assertThat(w.listener.events(AdvocateEnrolled.class)).singleElement()
                .satisfies(e -> assertThat(e.programName()).isEqualTo("Customer Referrals"));
    }

    @Test
    @DisplayName("enrolling an unknown advocate or into an unknown program is not found")
    void enrolMissing() {
        Program p = w.activeProgram();
        Advocate a = w.advocate("jane", "Jane");

        assertThat(catchThrowableOfType(NotFoundException.class,
                () -> w.engine.enrol(AdvocateId.of("ghost"), p.id()))).isNotNull();
        assertThat(catchThrowableOfType(NotFoundException.class,
                () -> w.engine.enrol(a.id(), ProgramId.of("ghost")))).isNotNull();
        assertThat(w.engine.enrolments(a.id())).isEmpty();
    }

    @Test
    @DisplayName("an opted-out advocate's later referrals are refused, earlier ones stay")
    void optOut() {
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        w.captured(a, p);

        Advocate out = w.engine.optOut(a.id());
        Advocate again = w.engine.optOut(a.id());
        CaptureResult r = w.engine.capture(TestWorld.request(a, p).build());

        assertThat(out.optedOut()).isTrue();
        assertThat(again).isEqualTo(out);
        assertThat(r).isInstanceOf(CaptureResult.Refused.class);
        assertThat(((CaptureResult.Refused) r).reason().code()).isEqualTo("advocate_opted_out");
        assertThat(w.referrals()).hasSize(1);
        assertThat(w.listener.events(AdvocateOptedOut.class)).hasSize(1);
        assertThat(w.listener.events(ReferralRefused.class)).singleElement()
                .satisfies(e -> assertThat(e.advocate().optedOut()).isTrue());
    }

    @Test
    @DisplayName("an advocate not enrolled in the program is refused")
    void notEnrolled() {
        Program p = w.activeProgram();
        Advocate a = w.advocate("jane", "Jane");

        CaptureResult r = w.engine.capture(TestWorld.request(a, p).build());

        assertThat(((CaptureResult.Refused) r).reason().code()).isEqualTo("advocate_not_enrolled");
        assertThat(w.referrals()).isEmpty();
    }
}
