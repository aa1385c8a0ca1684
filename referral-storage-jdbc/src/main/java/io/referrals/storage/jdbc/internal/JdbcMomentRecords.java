package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.moments.MomentKind;
import io.referrals.core.storage.MomentRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The moments of delight of a {@link JdbcTransaction}. */
final class JdbcMomentRecords implements MomentRecords {
    private static final String COLS = "id, advocate_id, kind, nps_score, occurred_at, note";

    private final TxContext tx;

    JdbcMomentRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Moment moment) {
        Objects.requireNonNull(moment, "moment");
        tx.direct(() -> {
            Object score = moment.npsScore().isPresent() ? (Object) moment.npsScore().getAsInt()
                    : new BoundSql.Null(Types.INTEGER);
            BoundSql.of("INSERT INTO " + tx.sql.t("moment") + " (" + COLS + ") VALUES (?, ?, ?, ?, ?, ?)",
                    moment.id().value(), moment.advocateId().value(), moment.kind().name(), score,
                    moment.occurredAt(), moment.note()).insert(tx, UniqueKey.MOMENT);
            return null;
        }, "insertMoment");
    }

    @Override
    public Optional<Moment> get(MomentId id) {
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + tx.sql.t("moment") + " WHERE id = ?",
                id.value()).first(tx, this::momentRow), "moment");
    }

    @Override
    public List<Moment> ofAdvocate(AdvocateId advocateId) {
        return tx.direct(() -> BoundSql.of("SELECT " + COLS + " FROM " + tx.sql.t("moment")
                + " WHERE advocate_id = ? ORDER BY occurred_at, id", advocateId.value()).list(tx, this::momentRow),
                "moments");
    }

    @Override
    public List<Moment> forAsking(ProgramId programId, Instant occurredSince, Instant askedSince) {
        Objects.requireNonNull(occurredSince, "occurredSince");
        Objects.requireNonNull(askedSince, "askedSince");
        String cols = "m." + COLS.replace(", ", ", m.");
        return tx.direct(() -> BoundSql.of("SELECT " + cols + " FROM " + tx.sql.t("moment") + " m JOIN "
                + tx.sql.t("enrolment") + " e ON e.advocate_id = m.advocate_id AND e.program_id = ? JOIN "
                + tx.sql.t("advocate") + " a ON a.id = m.advocate_id AND a.opted_out = ? WHERE m.occurred_at >= ?"
                + " AND NOT EXISTS (SELECT 1 FROM " + tx.sql.t("ask") + " k WHERE k.program_id = ?"
                + " AND k.advocate_id = m.advocate_id AND (k.status = 'PENDING' OR k.asked_at >= ?))"
                + " ORDER BY m.advocate_id, m.occurred_at, m.id", programId.value(), Boolean.FALSE, occurredSince,
                programId.value(), askedSince).list(tx, this::momentRow), "momentsForAsking");
    }

    private Moment momentRow(ResultSet rs) throws SQLException {
        MomentId id = MomentId.of(rs.getString(1));
        AdvocateId advocate = AdvocateId.of(rs.getString(2));
        MomentKind kind = MomentKind.valueOf(rs.getString(3));
        int score = rs.getInt(4);
        Instant at = tx.instant(rs, 5);
        String note = rs.getString(6);
        return kind == MomentKind.NPS_ANSWER ? Moment.nps(id, advocate, score, at, note)
                : Moment.of(id, advocate, kind, at, note);
    }
}
