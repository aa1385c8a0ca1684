package io.referrals.rules;

import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A listener that checks that every stream's events arrive in sequence order, from 1 and without gaps, and counts the
 * events of each type. Thread-safe.
 *
 * <p>Before checking every other event it pauses for a fraction of a millisecond: that widens the window between a
 * commit and its delivery, so that a later commit of the same stream that could overtake it does. It waits for
 * nothing.
 */
final class SequenceCheck implements ReferralListener {
    private final Map<String, Long> last = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    @Override
    public void onEvent(ReferralEvent event) {
        EventMetadata m = event.metadata();
        if (m.sequence() % 2 == 0) {
            LockSupport.parkNanos(200_000);
        }
        synchronized (this) {
            long before = last.getOrDefault(m.stream(), 0L);
            if (m.sequence() != before + 1) {
                violations.add(m.stream() + ": " + event.getClass().getSimpleName() + " " + m.sequence() + " after "
                        + before);
            }
            last.put(m.stream(), Math.max(before, m.sequence()));
            counts.merge(event.getClass().getSimpleName(), 1, Integer::sum);
        }
    }

    /** Every event that arrived out of order or after a gap, as "stream: type sequence after previous". */
    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** How many events of this type arrived. */
    synchronized int count(Class<? extends ReferralEvent> type) {
        return counts.getOrDefault(type.getSimpleName(), 0);
    }

    /** The last sequence delivered on the stream, 0 if none. */
    synchronized long last(String stream) {
        return last.getOrDefault(stream, 0L);
    }
}
