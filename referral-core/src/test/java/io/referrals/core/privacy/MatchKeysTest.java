package io.referrals.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.eligibility.Fixture;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Match keys")
class MatchKeysTest {
    private final MatchKeys keys = MatchKeys.withSecret(Fixture.SECRET);

    @Test
    void emails_are_normalised_for_case_white_space_plus_tags_and_gmail_dots() {
        assertThat(MatchKeys.normalizeEmail("  Jane.Doe+Promo@Example.COM ")).isEqualTo("jane.doe@example.com");
        assertThat(MatchKeys.normalizeEmail("j.a.n.e+x@googlemail.com")).isEqualTo("jane@gmail.com");
        assertThat(MatchKeys.normalizeEmail("+tag@example.com")).isEmpty();
        assertThat(MatchKeys.normalizeEmail("no-at-sign")).isEmpty();
    }

    @Test
    void keys_are_equal_for_equal_normal_forms_and_never_reveal_the_value() {
        String k = keys.emailKey("Jane+x@Example.com");
        assertThat(k).isEqualTo(keys.emailKey("jane@example.com")).hasSize(64).doesNotContain("jane");
        assertThat(keys.domainKey("example.com")).isNotEqualTo(k);
        assertThat(keys.emailKey("")).isEmpty();
    }

    @Test
    void another_secret_gives_other_keys() {
        MatchKeys other = MatchKeys.withSecret("another-secret-of-16-bytes-or-more".getBytes(StandardCharsets.UTF_8));
        assertThat(other.emailKey("jane@example.com")).isNotEqualTo(keys.emailKey("jane@example.com"));
        assertThat(other.toString()).doesNotContain("secret");
    }

    @Test
    void a_short_secret_is_refused() {
        assertThatThrownBy(() -> MatchKeys.withSecret(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }
}
