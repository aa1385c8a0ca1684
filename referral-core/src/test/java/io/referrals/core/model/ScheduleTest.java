package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Schedule")
class ScheduleTest {
    private static final Instant START = Instant.parse("2025-04-01T00:00:00Z");
    private static final Instant END = Instant.parse("2025-05-01T00:00:00Z");

    @Test
    @DisplayName("includes its start and excludes its end")
    void halfOpen() {
        Schedule s = Schedule.between(START, END);

        assertThat(s.contains(START.minusNanos(1))).isFalse();
        assertThat(s.contains(START)).isTrue();
        assertThat(s.contains(END.minusNanos(1))).isTrue();
        assertThat(s.contains(END)).isFalse();
        assertThat(s.start()).contains(START);
        assertThat(s.end()).contains(END);
    }

    @Test
    @DisplayName("an open end reports no start or no end, and ALWAYS contains any instant")
    void openEnds() {
        assertThat(Schedule.from(START).end()).isEmpty();
        assertThat(Schedule.from(START).contains(Instant.parse("2999-01-01T00:00:00Z"))).isTrue();
        assertThat(Schedule.until(END).start()).isEmpty();
        assertThat(Schedule.until(END).contains(Instant.EPOCH)).isTrue();
        assertThat(Schedule.ALWAYS.start()).isEmpty();
        assertThat(Schedule.ALWAYS.end()).isEmpty();
        assertThat(Schedule.ALWAYS.contains(Instant.EPOCH)).isTrue();
    }

    @Test
    @DisplayName("a schedule that does not start before it ends is refused")
    void mustStartBeforeEnd() {
        assertThatThrownBy(() -> Schedule.between(END, START)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.between(START, START)).isInstanceOf(IllegalArgumentException.class);
    }
}
