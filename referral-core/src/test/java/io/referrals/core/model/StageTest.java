package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Stage names")
class StageTest {

    @ParameterizedTest
    @ValueSource(strings = {"submitted", "meeting_held", "a", "stage2", "abcdefghijabcdefghijabcdefghijabcdefghij"})
    @DisplayName("lower-case snake case of 1-40 characters is accepted")
    void wellFormed(String name) {
        assertThat(Stage.isWellFormed(name)).isTrue();
        assertThat(Stage.of(name).name()).isEqualTo(name);
        assertThat(Stage.of(name)).isEqualTo(new Stage(name)).hasToString(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Submitted", "meeting held", "meeting-held", "2nd", "_x", "stäge",
            "abcdefghijabcdefghijabcdefghijabcdefghijk"})
    @DisplayName("anything else is refused")
    void malformed(String name) {
        assertThat(Stage.isWellFormed(name)).isFalse();
        assertThatThrownBy(() -> Stage.of(name)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("null is neither well-formed nor accepted")
    void nullName() {
        assertThat(Stage.isWellFormed(null)).isFalse();
        assertThatThrownBy(() -> Stage.of(null)).isInstanceOf(NullPointerException.class);
    }
}
