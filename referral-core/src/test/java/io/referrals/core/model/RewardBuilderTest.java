package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A reward built by name")
class RewardBuilderTest {
    private static final Instant AT = Instant.parse("2026-01-05T10:00:00Z");

    private static Reward.Builder won() {
        return Reward.builder(RewardId.of("w-1"), ProgramId.of("p"), AdvocateId.random())
                .source(RewardSource.referral(ReferralId.random())).rule("won", 2).milestone("stage:won")
                .incentive(new Incentive.Points(500)).status(RewardStatus.PENDING).createdAt(AT);
    }

    @Test
    @DisplayName("defaults to the advocate side, no hold, no explanation and version 1")
    void defaults() {
        Reward r = won().build();

        assertThat(r.beneficiary()).isEqualTo(Beneficiary.ADVOCATE);
        assertThat(r.holdUntil()).isEqualTo(AT);
        assertThat(r.updatedAt()).isEqualTo(AT);
        assertThat(r.explanation()).isEmpty();
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.ruleId()).isEqualTo("won");
        assertThat(r.ruleVersion()).isEqualTo(2);
    }

    @Test
    @DisplayName("round-trips through toBuilder, changing only what is set")
    void toBuilder() {
        Reward r = won().holdUntil(AT.plusSeconds(60)).explanation(List.of(Reason.of("c", "text"))).build();

        assertThat(r.toBuilder().build()).isEqualTo(r);
        assertThat(r.toBuilder().status(RewardStatus.APPROVED).build().status()).isEqualTo(RewardStatus.APPROVED);
    }

    @Test
    @DisplayName("is next looked at when its hold ends, unless told otherwise; a new status keeps the next attempt")
    void nextAttempt() {
        Reward held = won().holdUntil(AT.plusSeconds(60)).build();
        Reward putOff = won().holdUntil(AT.plusSeconds(60)).nextAttemptAt(AT.plusSeconds(600)).build();

        assertThat(held.nextAttemptAt()).isEqualTo(AT.plusSeconds(60));
        assertThat(putOff.nextAttemptAt()).isEqualTo(AT.plusSeconds(600));
        assertThat(putOff.holdUntil()).isEqualTo(AT.plusSeconds(60));
        assertThat(putOff.toBuilder().build()).isEqualTo(putOff);
        assertThat(putOff.withStatus(RewardStatus.APPROVED, AT).nextAttemptAt()).isEqualTo(AT.plusSeconds(600));
        assertThat(new Reward(held.id(), held.programId(), held.advocateId(), held.beneficiary(), held.source(),
                held.ruleId(), held.ruleVersion(), held.milestone(), held.incentive(), held.status(),
                held.createdAt(), held.holdUntil(), held.updatedAt(), held.explanation(), held.version()))
                .as("the constructor without a next attempt").isEqualTo(held);
    }

    @Test
    @DisplayName("checks its fields as the record does")
    void checks() {
        assertThatThrownBy(() -> won().milestone(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> won().rule("won", 0).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
