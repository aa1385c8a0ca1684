package io.referrals.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Counter keys")
class CounterKeyTest {

    @Test
    @DisplayName("join the kind and parts with colons, escaping colons and percent signs in each")
    void joinsAndEscapes() {
        assertThat(CounterKey.of("cap", "p1", "rule:a", "100%").value()).isEqualTo("cap:p1:rule%3Aa:100%25");
    }

    @Test
    @DisplayName("longer than the maximum become a readable prefix and a SHA-256 of the whole")
    void longKeysAreHashed() {
        String id = "x".repeat(150);
        CounterKey a = CounterKey.of("cap", id, id, "advocate-1");
        CounterKey b = CounterKey.of("cap", id, id, "advocate-2");

        assertThat(a.value()).hasSize(CounterKey.MAX_LENGTH).startsWith("cap:xxx").contains("#");
        assertThat(a).isNotEqualTo(b).isEqualTo(CounterKey.of("cap", id, id, "advocate-1"));
    }

    @Test
    @DisplayName("built by hand are refused when blank or longer than the maximum")
    void refusesBadValues() {
        assertThatThrownBy(() -> new CounterKey(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CounterKey("k".repeat(CounterKey.MAX_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CounterKey.of");
        assertThat(new CounterKey("k".repeat(CounterKey.MAX_LENGTH)).value()).hasSize(CounterKey.MAX_LENGTH);
    }

    /** Different part lists never give the same key, however long or full of separators. */
    @Property(tries = 500)
    void different_parts_give_different_keys(@ForAll @StringLength(max = 300) String a,
            @ForAll @StringLength(max = 300) String b, @ForAll @StringLength(max = 300) String c) {
        CounterKey one = CounterKey.of("k", a, b);
        CounterKey two = CounterKey.of("k", a + ":" + b, c);
        assertThat(one.value().length()).isLessThanOrEqualTo(CounterKey.MAX_LENGTH);
        assertThat(one).isNotEqualTo(two);
    }
}
