package io.referrals.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The backoff of rewards the scheduled run puts off")
class BackoffTest {
    private static final Backoff BACKOFF = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1));

    @Test
    @DisplayName("the n-th put-off waits between half and all of min(max, initial * 2^(n-1)), never more than max")
    void boundedExponentialDelays() {
        for (int reward = 0; reward < 200; reward++) {
            String id = "rwd-" + reward;
            for (long n = 1; n <= 70; n++) {
                Duration cap = n > 7 ? Duration.ofHours(1) : Duration.ofMinutes(Math.min(60, 1L << (n - 1)));
                assertThat(BACKOFF.delay(id, n)).as("%s, put-off %d", id, n)
                        .isGreaterThanOrEqualTo(cap.dividedBy(2)).isLessThanOrEqualTo(cap);
            }
        }
    }

    @Test
    @DisplayName("the same reward and attempt always wait the same time (runs replay); rewards spread out")
    void deterministicJitterThatSpreads() {
        Instant now = Instant.parse("2026-03-02T09:00:00Z");
        Set<Duration> firstDelays = new HashSet<>();
        for (int reward = 0; reward < 100; reward++) {
            String id = "rwd-" + reward;
            assertThat(BACKOFF.next(now, id, 3)).isEqualTo(new Backoff(Duration.ofMinutes(1), Duration.ofHours(1))
                    .next(now, id, 3));
            firstDelays.add(BACKOFF.delay(id, 1));
        }
        assertThat(firstDelays).as("distinct delays of 100 rewards put off at once").hasSizeGreaterThan(90);
    }

    @Test
    @DisplayName("a backoff that is not positive, whose maximum is below the initial delay or above a year, or an "
            + "attempt below 1 is refused")
    void refusesBadInput() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofMinutes(1), Duration.ofDays(366)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BACKOFF.delay("rwd-1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Backoff(Duration.ofDays(365), Duration.ofDays(365)).delay("rwd-1", 63))
                .isLessThanOrEqualTo(Duration.ofDays(365));
    }
}
