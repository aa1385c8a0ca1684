package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.LedgerRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;

/**
 * The points ledger of a {@link JdbcTransaction}, with a balance row per advocate: a debit is
 * {@code UPDATE ... WHERE points + ? >= 0}, in the same transaction as its entry.
 */
final class JdbcLedgerRecords implements LedgerRecords {
    private final TxContext tx;

    JdbcLedgerRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public boolean append(LedgerEntry entry) {
        tx.checkOpen();
        String advocate = entry.advocateId().value();
        // the entry first, so that a replayed key is reported as a duplicate whatever the balance
        insertLedger(entry);
        try {
            if (entry.points() > 0) {
                creditBalance(advocate, entry.points());
                return true;
            }
            // the conditional update is the atomic "never below zero" check
            if (tx.exec(tx.sql.debit, ps -> {
                ps.setLong(1, entry.points());
                ps.setString(2, advocate);
                ps.setLong(3, entry.points());
            }) == 1) {
                return true;
            }
            tx.exec(tx.sql.deleteLedger, ps -> ps.setString(1, entry.id().value()));
            return false;
        } catch (SQLException e) {
            throw Db.translate(e, "appendLedgerEntry");
        }
    }

    private void insertLedger(LedgerEntry e) {
        tx.insert(tx.sql.insertLedger, ps -> {
            ps.setString(1, e.id().value());
            ps.setString(2, e.advocateId().value());
            ps.setString(3, e.kind().name());
            ps.setLong(4, e.points());
            ps.setString(5, e.rewardId());
            ps.setString(6, e.idempotencyKey());
            tx.setInstant(ps, 7, e.at());
            ps.setString(8, e.reason());
        }, "appendLedgerEntry", UniqueKey.LEDGER_ENTRY);
    }

    private void creditBalance(String advocate, long points) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                tx.exec(tx.sql.credit, ps -> {
                    ps.setString(1, advocate);
                    ps.setLong(2, points);
                });
                return;
            } catch (SQLException e) {
                // H2's MERGE: two first credits of one advocate raced; the loser now finds the row
                if (!Db.isUniqueViolation(e) || attempt == TxContext.MERGE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public long balance(AdvocateId advocateId) {
        return tx.one(tx.sql.balance, ps -> ps.setString(1, advocateId.value()), rs -> rs.getLong(1),
                "pointsBalance").orElse(0L);
    }

    @Override
    public List<LedgerEntry> entries(AdvocateId advocateId) {
        List<LedgerEntry> out = tx.list(tx.sql.ledger, ps -> ps.setString(1, advocateId.value()), this::entry,
                "ledger");
        out.sort(Comparator.comparing(LedgerEntry::at).thenComparing(e -> e.id().value()));
        return out;
    }

    /** A range scan of the index on {@code (advocate_id, entry_at, id)} (schema version 6). */
    @Override
    public List<LedgerEntry> entries(AdvocateId advocateId, Before before, int limit) {
        return tx.newestFirst(tx.sql.ledgerPage, advocateId, before, limit, this::entry, "ledgerPage");
    }

    /** A row of {@link Sql#ledger} or {@link Sql#ledgerPage}. */
    private LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(LedgerEntryId.of(rs.getString(1)), AdvocateId.of(rs.getString(2)),
                LedgerEntry.Kind.valueOf(rs.getString(3)), rs.getLong(4), rs.getString(5), rs.getString(6),
                tx.instant(rs, 7), rs.getString(8));
    }
}
