package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.TimelineRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The referral timelines of a {@link JdbcTransaction}; on PostgreSQL an appended entry is held back. */
final class JdbcTimelineRecords implements TimelineRecords {
    /** The most referrals one query of {@link #latest} names. */
    private static final int LATEST_CHUNK = 128;

    private final TxContext tx;

    JdbcTimelineRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public void append(TimelineEntry e) {
        tx.insertOrHold(tx.sql.insertTimeline, (ps, from) -> bindTimeline(ps, from, e), "appendTimelineEntry",
                UniqueKey.TIMELINE_ENTRY);
    }

    @Override
    public void appendAll(List<TimelineEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        tx.check();
        try (PreparedStatement ps = tx.connection.prepareStatement(tx.sql.insertTimeline)) {
            int pending = 0;
            for (TimelineEntry e : entries) {
                bindTimeline(ps, 1, e);
                ps.addBatch();
                if (++pending == TxContext.BATCH) {
                    requireInserted(ps.executeBatch());
                    pending = 0;
                }
            }
            if (pending > 0) {
                requireInserted(ps.executeBatch());
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new DuplicateKeyException(UniqueKey.TIMELINE_ENTRY);
            }
            throw Db.translate(e, "appendTimelineEntries");
        }
    }

    /** Binds every column of {@link Sql#insertTimeline}, the first at {@code from}. */
    private void bindTimeline(PreparedStatement ps, int from, TimelineEntry e) throws SQLException {
        ps.setString(from, e.referralId().value());
        ps.setInt(from + 1, e.sequence());
        ps.setString(from + 2, e.from().name());
        ps.setString(from + 3, e.to().name());
        tx.setInstant(ps, from + 4, e.at());
        ps.setString(from + 5, e.cause().kind().name());
        ps.setString(from + 6, e.cause().actor());
        ps.setString(from + 7, e.reason());
        ps.setString(from + 8, e.externalRef());
        ps.setString(from + 9, e.kind().name());
    }

    private static void requireInserted(int[] counts) {
        for (int c : counts) {
            if (c == 0) {
                throw new DuplicateKeyException(UniqueKey.TIMELINE_ENTRY);
            }
        }
    }

    @Override
    public List<TimelineEntry> of(ReferralId id) {
        return tx.list(tx.sql.timeline, ps -> ps.setString(1, id.value()), this::entry, "timeline");
    }

    /**
     * One query per {@value #LATEST_CHUNK} referrals: each referral's highest sequence, found on the primary key. The
     * id list is padded (repeating its last id) to a power of two, so that a few statement shapes serve every page.
     */
    @Override
    public Map<ReferralId, TimelineEntry> latest(Collection<ReferralId> ids) {
        if (ids.size() > MAX_LATEST) {
            throw new IllegalArgumentException("at most " + MAX_LATEST + " referrals at once: " + ids.size());
        }
        List<String> distinct = ids.stream().map(ReferralId::value).distinct().toList();
        Map<ReferralId, TimelineEntry> last = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += LATEST_CHUNK) {
            List<String> chunk = new ArrayList<>(distinct.subList(from, Math.min(distinct.size(), from + LATEST_CHUNK)));
            int size = Integer.highestOneBit(chunk.size() - 1) << 1;
            while (chunk.size() < Math.max(1, size)) {
                chunk.add(chunk.get(chunk.size() - 1));
            }
            String in = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            String statement = tx.sql.latestTimeline.replace("%IN%", in);
            for (TimelineEntry e : tx.list(statement, ps -> {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
            }, this::entry, "latestTimelineEntries")) {
                last.put(e.referralId(), e);
            }
        }
        return last;
    }

    private TimelineEntry entry(ResultSet rs) throws SQLException {
        return new TimelineEntry(ReferralId.of(rs.getString(1)), rs.getInt(2), Stage.of(rs.getString(3)),
                Stage.of(rs.getString(4)), tx.instant(rs, 5), new TransitionCause(
                        TransitionCause.Kind.valueOf(rs.getString(6)), rs.getString(7)), rs.getString(8),
                rs.getString(9), TimelineEntry.Kind.valueOf(rs.getString(10)));
    }
}
