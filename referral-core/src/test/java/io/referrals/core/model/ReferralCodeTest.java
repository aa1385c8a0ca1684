package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ReferralCode")
class ReferralCodeTest {

    @Test
    @DisplayName("normalises to upper case without hyphens or spaces")
    void normalise() {
        assertThat(ReferralCode.normalize("jane-acme")).isEqualTo("JANEACME");
        assertThat(ReferralCode.normalize("JANE ACME")).isEqualTo("JANEACME");
        assertThat(ReferralCode.normalize("JaneAcme")).isEqualTo("JANEACME");
        assertThat(ReferralCode.normalize("k7qd-mx2p-rt9h-wb")).isEqualTo("K7QDMX2PRT9HWB");
    }

    @ParameterizedTest
    @ValueSource(strings = {"JANE-ACME", "jane-acme", "JANE ACME", "ABCD", "K7QD-MX2P-RT9H-WB",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "A-B-C-D"})
    @DisplayName("4-32 ASCII letters and digits, optionally grouped by single hyphens or spaces, are well-formed")
    void wellFormed(String code) {
        assertThat(ReferralCode.isWellFormed(code)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABC", "A-B-C", "JANE--ACME", "-JANE", "JANE-", "JANE_ACME", "JANE.ACME",
            "JÄNE-ACME", "JANE\u200BACME", "JANE\tACME", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", " JANE"})
    @DisplayName("anything else is malformed")
    void malformed(String code) {
        assertThat(ReferralCode.isWellFormed(code)).isFalse();
    }

    @Test
    @DisplayName("null is not well-formed and a malformed code cannot be constructed")
    void constructorChecks() {
        assertThat(ReferralCode.isWellFormed(null)).isFalse();
        assertThatThrownBy(() -> new ReferralCode("AB", AdvocateId.of("a"), ProgramId.of("p"), true,
                CodeStatus.ACTIVE, Instant.EPOCH, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a revoked copy keeps its issue time and records when it was revoked")
    void revoke() {
        Instant issued = Instant.parse("2025-01-01T00:00:00Z");
        Instant later = issued.plusSeconds(3600);
        ReferralCode c = new ReferralCode("Jane-Acme", AdvocateId.of("a"), ProgramId.of("p"), true,
                CodeStatus.ACTIVE, issued, issued);

        ReferralCode r = c.revoke(later);

        assertThat(c.isActive()).isTrue();
        assertThat(r.isActive()).isFalse();
        assertThat(r.status()).isEqualTo(CodeStatus.REVOKED);
        assertThat(r.issuedAt()).isEqualTo(issued);
        assertThat(r.statusChangedAt()).isEqualTo(later);
        assertThat(r.key()).isEqualTo("JANEACME");
    }
}
