package io.referrals.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("referrals.match-key-secret")
class MatchKeySecretTest {

    @Test
    @DisplayName("is read as UTF-8 text, or as Base64 after base64:")
    void decodes() {
        assertThat(MatchKeySecret.decode("a-secret-of-at-least-16-bytes"))
                .isEqualTo("a-secret-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8));
        byte[] raw = new byte[32];
        raw[3] = 7;
        assertThat(MatchKeySecret.decode("base64:" + Base64.getEncoder().encodeToString(raw))).isEqualTo(raw);
    }

    @Test
    @DisplayName("is refused when missing, shorter than 16 bytes, or not Base64 after the prefix")
    void refuses() {
        assertThatThrownBy(() -> MatchKeySecret.decode(null)).hasMessageContaining("is required");
        assertThatThrownBy(() -> MatchKeySecret.decode(" ")).hasMessageContaining("is required");
        assertThatThrownBy(() -> MatchKeySecret.decode("short")).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> MatchKeySecret.decode("base64:%%%")).hasMessageContaining("not Base64");
    }
}
