package io.referrals.storage.jdbc.internal;

import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.MomentId;
import io.referrals.core.storage.AskRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The asks for referrals of a {@link JdbcTransaction}. */
final class JdbcAskRecords implements AskRecords {
    private static final String COLS = "id, program_id, advocate_id, asked_by, trigger_id, asked_at, status,"
            + " resolved_at, referral_id, version";

    private final TxContext tx;

    JdbcAskRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Ask ask) {
        Objects.requireNonNull(ask, "ask");
        tx.direct(() -> {
            BoundSql.of("INSERT INTO " + tx.sql.t("ask") + " (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    ask.id().value(), ask.programId().value(), ask.advocateId().value(), ask.askedBy(),
                    trigger(ask), ask.askedAt(), ask.status().name(), resolvedAt(ask), referral(ask), ask.version())
                    .insert(tx, UniqueKey.ASK);
            return null;
        }, "insertAsk");
    }

    @Override
    public boolean update(Ask ask) {
        return tx.direct(() -> BoundSql.of("UPDATE " + tx.sql.t("ask") + " SET program_id = ?, advocate_id = ?,"
                + " asked_by = ?, trigger_id = ?, asked_at = ?, status = ?, resolved_at = ?, referral_id = ?,"
                + " version = ? WHERE id = ? AND version = ?", ask.programId().value(), ask.advocateId().value(),
                ask.askedBy(), trigger(ask), ask.askedAt(), ask.status().name(), resolvedAt(ask), referral(ask),
                ask.version(), ask.id().value(), ask.version() - 1).update(tx) == 1, "updateAsk");
    }

    private static Object trigger(Ask a) {
        return BoundSql.orNull(a.trigger().map(MomentId::value).orElse(null));
    }

    private static Object resolvedAt(Ask a) {
        return a.resolvedAt().isPresent() ? a.resolvedAt().get() : new BoundSql.Null(Types.TIMESTAMP);
    }

    private static Object referral(Ask a) {
        return BoundSql.orNull(a.referralId().map(ReferralId::value).orElse(null));
    }

    @Override
    public Optional<Ask> get(AskId id) {
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + tx.sql.t("ask") + " WHERE id = ?",
                id.value()).first(tx, this::askRow), "ask");
    }

    @Override
    public List<Ask> of(AdvocateId advocateId, ProgramId programId) {
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + tx.sql.t("ask") + " WHERE program_id = ?"
                + " AND advocate_id = ? ORDER BY asked_at, id", programId.value(), advocateId.value())
                .list(tx, this::askRow), "asks");
    }

    @Override
    public List<Ask> pending(ProgramId programId, Instant askedBefore, int limit) {
        Objects.requireNonNull(askedBefore, "askedBefore");
        return tx.direct(() -> limit <= 0 ? List.of() : BoundSql.of("SELECT " + COLS + " FROM " + tx.sql.t("ask")
                + " WHERE program_id = ? AND status = 'PENDING' AND asked_at < ? ORDER BY asked_at, id LIMIT ?",
                programId.value(), askedBefore, limit).list(tx, this::askRow), "pendingAsks");
    }

    @Override
    public Map<AskStatus, Long> countByStatus(ProgramId programId, ReportPeriod period) {
        return tx.direct(() -> {
            Map<AskStatus, Long> out = new EnumMap<>(AskStatus.class);
            BoundSql.of("SELECT status, COUNT(*) FROM " + tx.sql.t("ask") + " WHERE program_id = ? AND asked_at >= ?"
                    + " AND asked_at < ? GROUP BY status", programId.value(), period.from(), period.to())
                    .forEach(tx, rs -> out.put(AskStatus.valueOf(rs.getString(1)), rs.getLong(2)));
            return out;
        }, "askCounts");
    }

    private Ask askRow(ResultSet rs) throws SQLException {
        String trigger = rs.getString(5);
        String referral = rs.getString(9);
        boolean resolved = rs.getObject(8) != null;
        return Ask.restore(AskId.of(rs.getString(1)), ProgramId.of(rs.getString(2)), AdvocateId.of(rs.getString(3)),
                rs.getString(4), trigger == null ? null : MomentId.of(trigger), tx.instant(rs, 6),
                AskStatus.valueOf(rs.getString(7)), resolved ? tx.instant(rs, 8) : null,
                referral == null ? null : ReferralId.of(referral), rs.getLong(10));
    }
}
