package io.referrals.core.storage.memory;

import io.referrals.core.model.ReferralId;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.TimelineRecords;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link TimelineRecords} of an in-memory transaction: each referral's entries in the order appended. */
final class MemoryTimelines implements TimelineRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryTimelines(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void append(TimelineEntry entry) {
        undo.check();
        List<TimelineEntry> list = state.timelines.get(entry.referralId());
        if (list == null) {
            list = new ArrayList<>();
            undo.put(state.timelines, entry.referralId(), list);
        }
        for (TimelineEntry e : list) {
            if (e.sequence() == entry.sequence()) {
                throw new DuplicateKeyException(UniqueKey.TIMELINE_ENTRY);
            }
        }
        undo.add(list, entry);
    }

    @Override
    public void appendAll(List<TimelineEntry> entries) {
        entries.forEach(this::append);
    }

    @Override
    public List<TimelineEntry> of(ReferralId id) {
        undo.check();
        return state.timelines.getOrDefault(id, List.of()).stream()
                .sorted(Comparator.comparingInt(TimelineEntry::sequence)).toList();
    }
}
