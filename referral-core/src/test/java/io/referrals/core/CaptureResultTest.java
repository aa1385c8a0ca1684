package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Referral;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A capture result gives its referral without a cast")
class CaptureResultTest {
    private final TestWorld w = new TestWorld();
    private final Program program = w.activeProgram();
    private final Advocate jane = w.enrolledAdvocate(program);

    @Test
    @DisplayName("an accepted capture yields its referral, recorded and accepted")
    void accepted() {
        CaptureResult result = w.engine.capture(TestWorld.request(jane, program).build());

        Referral r = result.acceptedReferral();
        assertThat(result.recorded()).contains(r);
        assertThat(w.engine.referral(r.id())).contains(r);
    }

    @Test
    @DisplayName("a refused capture records nothing and says why, with reason codes only, when a referral is demanded")
    void refused() {
        w.engine.changeProgramStatus(program.id(), ProgramStatus.PAUSED);

        CaptureResult result = w.engine.capture(TestWorld.request(jane, program).build());

        assertThat(result.recorded()).isEmpty();
        assertThatThrownBy(result::acceptedReferral).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the capture was refused: program_")
                .hasMessageNotContaining(TestWorld.prospect().email());
    }
}
