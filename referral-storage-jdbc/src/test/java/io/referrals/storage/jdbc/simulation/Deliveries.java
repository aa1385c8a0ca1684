package io.referrals.storage.jdbc.simulation;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.model.EventId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What listeners heard, against what the stores committed. Commits are reported by the {@link SimStore}s (an event
 * is committed when the store transaction that appended it returned), deliveries by the listeners of every engine
 * and by the outbox dispatchers. Thread-safe.
 *
 * <p>Checks: per stream, committed sequences run 1, 2, 3 without gaps; listeners hear each stream in sequence order
 * without gaps (a redelivery of an event already heard, with the same id, is allowed: delivery is at least once);
 * every event heard was committed (none of work that rolled back); and, at each check, every committed event has been
 * heard (at once for in-process delivery, after the dispatcher's pass for the outbox).
 */
final class Deliveries {
    private final Map<String, Long> committedUpTo = new HashMap<>();
    private final Map<EventId, ReferralEvent> committed = new LinkedHashMap<>();
    private final Set<EventId> rolledBack = new HashSet<>();
    private final Map<String, Long> heardUpTo = new HashMap<>();
    private final Map<EventId, Long> heard = new HashMap<>();
    private final Set<EventId> undelivered = new java.util.LinkedHashSet<>();
    private final List<String> orderProblems = new ArrayList<>();
    private final List<String> commitProblems = new ArrayList<>();
    private final List<ReferralEvent> heardSinceCheck = new ArrayList<>();

    synchronized void committed(List<ReferralEvent> events) {
        for (ReferralEvent e : events) {
            String stream = e.metadata().stream();
            long seq = e.metadata().sequence();
            long last = committedUpTo.getOrDefault(stream, 0L);
            if (seq != last + 1) {
                commitProblems.add("stream " + stream + " committed sequence " + seq + " after " + last);
            }
            committedUpTo.put(stream, Math.max(last, seq));
            committed.put(e.metadata().id(), e);
            if (!heard.containsKey(e.metadata().id())) {
                undelivered.add(e.metadata().id());
            }
        }
    }

    /** Events a host transaction stored and then rolled back: they must never be heard. */
    synchronized void rolledBack(List<ReferralEvent> events) {
        events.forEach(e -> rolledBack.add(e.metadata().id()));
    }

    synchronized void heard(String by, ReferralEvent e) {
        EventId id = e.metadata().id();
        String stream = e.metadata().stream();
        long seq = e.metadata().sequence();
        Long before = heard.get(id);
        if (before != null) {
            if (before != seq) {
                orderProblems.add(by + " redelivered event " + id + " with sequence " + seq + ", first " + before);
            }
            return;
        }
        heard.put(id, seq);
        heardSinceCheck.add(e);
        undelivered.remove(id);
        long last = heardUpTo.getOrDefault(stream, 0L);
        if (seq != last + 1) {
            orderProblems.add(by + " delivered " + e.getClass().getSimpleName() + " #" + seq + " of stream " + stream
                    + " after #" + last);
        }
        heardUpTo.put(stream, Math.max(last, seq));
    }

    synchronized boolean wasHeard(EventId id) {
        return heard.containsKey(id);
    }

    /** Order and gap problems of delivery since the last call, cleared. */
    synchronized List<String> takeOrderProblems() {
        List<String> out = List.copyOf(orderProblems);
        orderProblems.clear();
        return out;
    }

    synchronized List<String> takeCommitProblems() {
        List<String> out = List.copyOf(commitProblems);
        commitProblems.clear();
        return out;
    }

    /** Events heard since the last call that were never committed, or were rolled back. */
    synchronized List<String> takePhantoms() {
        List<String> out = new ArrayList<>();
        for (ReferralEvent e : heardSinceCheck) {
            EventId id = e.metadata().id();
            if (rolledBack.contains(id)) {
                out.add(e.getClass().getSimpleName() + " " + id + " of stream " + e.metadata().stream()
                        + " was heard although the host rolled its transaction back");
            } else if (!committed.containsKey(id)) {
                out.add(e.getClass().getSimpleName() + " " + id + " of stream " + e.metadata().stream()
                        + " was heard but never committed");
            }
        }
        heardSinceCheck.clear();
        return out;
    }

    /** Committed events not heard yet, oldest first. */
    synchronized List<ReferralEvent> undelivered() {
        List<ReferralEvent> out = new ArrayList<>();
        undelivered.forEach(id -> out.add(committed.get(id)));
        return out;
    }

    synchronized int committedCount() {
        return committed.size();
    }

    synchronized int heardCount() {
        return heard.size();
    }
}
