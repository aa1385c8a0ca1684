package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Schedule;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Programs")
class ProgramsTest {
    private final TestWorld w = new TestWorld();

    private String refusalCode(CaptureResult r) {
        assertThat(r).isInstanceOf(CaptureResult.Refused.class);
        return ((CaptureResult.Refused) r).reason().code();
    }

    @ParameterizedTest(name = "a {0} program refuses referrals with reason {1}")
    @CsvSource({"DRAFT,program_draft", "PAUSED,program_paused", "ENDED,program_ended"})
    void notActiveRefuses(ProgramStatus status, String reason) {
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        w.engine.changeProgramStatus(p.id(), status);

        CaptureResult r = w.engine.capture(TestWorld.request(a, p).build());

        assertThat(refusalCode(r)).isEqualTo(reason);
        assertThat(((CaptureResult.Refused) r).reason().text()).contains("Customer Referrals");
        assertThat(w.referrals()).isEmpty();
        assertThat(w.listener.events(ReferralRefused.class)).singleElement()
                .satisfies(e -> assertThat(e.reason().code()).isEqualTo(reason));
    }

    @Test
    @DisplayName("a paused program accepts referrals again once it is reactivated")
    void reactivate() {
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        Program paused = w.engine.changeProgramStatus(p.id(), ProgramStatus.PAUSED);
        Program active = w.engine.changeProgramStatus(p.id(), ProgramStatus.ACTIVE);

        assertThat(paused.version()).isEqualTo(2);
        assertThat(active.version()).isEqualTo(3);
        assertThat(w.engine.changeProgramStatus(p.id(), ProgramStatus.ACTIVE).version()).isEqualTo(3);
        assertThat(w.engine.capture(TestWorld.request(a, p).build()).isAccepted()).isTrue();
    }

    @Test
    @DisplayName("an active program refuses referrals before its start and from its end, and accepts them between")
    void schedule() {
        Instant start = TestWorld.T0.plus(Duration.ofDays(1));
        Instant end = start.plus(Duration.ofDays(30));
        Program p = w.engine.defineProgram(Program.builder(ProgramId.of("spring"), "Spring Contest",
                ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).schedule(Schedule.between(start, end)).build());
        Advocate a = w.enrolledAdvocate(p);

        assertThat(refusalCode(w.engine.capture(TestWorld.request(a, p).build()))).isEqualTo("program_not_started");

        w.clock.set(start);
        assertThat(w.engine.capture(TestWorld.request(a, p).build()).isAccepted()).isTrue();

        w.clock.set(end.minusNanos(1));
        assertThat(w.engine.capture(TestWorld.request(a, p).build()).isAccepted()).isTrue();

        w.clock.set(end);
        assertThat(refusalCode(w.engine.capture(TestWorld.request(a, p).build()))).isEqualTo("program_ended");
        assertThat(w.referrals()).hasSize(2);
    }

    @Test
    @DisplayName("several programs run side by side; pausing one leaves the others open")
    void severalPrograms() {
        Program customers = w.activeProgram("customers", "Customer Referrals");
        Program partners = w.engine.defineProgram(Program.builder(ProgramId.of("partners"), "Partner Program",
                ProgramKind.PARTNER).status(ProgramStatus.ACTIVE).build());
        Program employees = w.engine.defineProgram(Program.builder(ProgramId.of("employees"), "Employee Program",
                ProgramKind.EMPLOYEE).status(ProgramStatus.ACTIVE).build());
        Advocate a = w.advocate("jane", "Jane Doe");
        w.engine.enrol(a.id(), customers.id());
        w.engine.enrol(a.id(), partners.id());

        w.engine.changeProgramStatus(partners.id(), ProgramStatus.PAUSED);

        CaptureResult toCustomers = w.engine.capture(TestWorld.request(a, customers).build());
        CaptureResult toPartners = w.engine.capture(TestWorld.request(a, partners).build());
        CaptureResult toEmployees = w.engine.capture(TestWorld.request(a, employees).build());

        assertThat(toCustomers.isAccepted()).isTrue();
        assertThat(toCustomers.acceptedReferral().programId()).isEqualTo(customers.id());
        assertThat(refusalCode(toPartners)).isEqualTo("program_paused");
        assertThat(refusalCode(toEmployees)).isEqualTo("advocate_not_enrolled");
        assertThat(w.engine.programs()).extracting(Program::id)
                .containsExactly(customers.id(), employees.id(), partners.id());
        assertThat(w.engine.enrolments(a.id())).hasSize(2);
    }

    @Test
    @DisplayName("defining a program twice is a conflict; an unknown program is not found")
    void conflictsAndMissing() {
        w.activeProgram();

        assertThatThrownBy(() -> w.activeProgram()).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> w.engine.changeProgramStatus(ProgramId.of("nope"), ProgramStatus.ACTIVE))
                .isInstanceOf(NotFoundException.class);
        assertThat(w.engine.program(ProgramId.of("nope"))).isEmpty();
        Advocate a = w.advocate("jane", "Jane");
        assertThatThrownBy(() -> w.engine.capture(CaptureRequest.builder().advocate(a.id())
                .program(ProgramId.of("nope")).prospect(TestWorld.prospect())
                .channel(io.referrals.core.model.Channel.REFERRAL_FORM)
                .consent(io.referrals.core.model.ConsentBasis.PROSPECT_CONSENT).build()))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    @DisplayName("a program as stored is equal to the program defined")
    void roundTrip() {
        Program p = w.activeProgram();
        assertThat(w.engine.program(p.id())).contains(p);
    }
}
