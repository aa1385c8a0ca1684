package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.AdvocateRecords;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The advocates of a {@link JdbcTransaction}, with their segments (rows of their own, for program insights) and their
 * enrolments; an enrolment lookup is answered from the store's cache when it can.
 */
final class JdbcAdvocateRecords implements AdvocateRecords {
    private final TxContext tx;

    JdbcAdvocateRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Advocate advocate) {
        tx.insert(tx.sql.insertAdvocate, ps -> {
            ps.setString(1, advocate.id().value());
            ps.setString(2, advocate.externalId());
            tx.setInstant(ps, 3, advocate.registeredAt());
            ps.setLong(4, advocate.version());
            ps.setString(5, Json.write(advocate));
            JdbcInsights.bindAdvocate(ps, 6, advocate);
        }, "insertAdvocate", UniqueKey.ADVOCATE_ID, "advocate_ext_uk", UniqueKey.ADVOCATE_EXTERNAL_ID,
                () -> tx.exists(tx.sql.advocateExists, advocate.id().value()));
        try {
            writeSegments(advocate, false);
        } catch (SQLException e) {
            throw Db.translate(e, "insertAdvocate");
        }
    }

    @Override
    public boolean update(Advocate advocate) {
        tx.check();
        try {
            boolean updated = tx.exec(tx.sql.updateAdvocate, ps -> {
                ps.setString(1, advocate.externalId());
                ps.setLong(2, advocate.version());
                ps.setString(3, Json.write(advocate));
                JdbcInsights.bindAdvocate(ps, 4, advocate);
                ps.setString(6, advocate.id().value());
                ps.setLong(7, advocate.version() - 1);
            }) == 1;
            if (updated) {
                writeSegments(advocate, true);
            }
            return updated;
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new DuplicateKeyException(UniqueKey.ADVOCATE_EXTERNAL_ID);
            }
            throw Db.translate(e, "updateAdvocate");
        }
    }

    /** Writes an advocate's segments, replacing the stored ones when {@code replace}. */
    private void writeSegments(Advocate a, boolean replace) throws SQLException {
        String table = tx.sql.t("advocate_segment");
        if (replace) {
            try (PreparedStatement ps = tx.connection.prepareStatement("DELETE FROM " + table
                    + " WHERE advocate_id = ?")) {
                ps.setString(1, a.id().value());
                ps.executeUpdate();
            }
        }
        if (a.segments().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = tx.connection.prepareStatement("INSERT INTO " + table
                + " (advocate_id, segment) VALUES (?, ?)")) {
            for (String segment : a.segments()) {
                ps.setString(1, a.id().value());
                ps.setString(2, segment);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public Optional<Advocate> get(AdvocateId id) {
        return tx.one(tx.sql.advocate, ps -> ps.setString(1, id.value()),
                rs -> Json.read(rs.getString(1), Advocate.class), "advocate");
    }

    @Override
    public Optional<Advocate> byExternalId(String externalId) {
        return tx.one(tx.sql.advocateByExternalId, ps -> ps.setString(1, externalId),
                rs -> Json.read(rs.getString(1), Advocate.class), "advocateByExternalId");
    }

    @Override
    public void insertEnrolment(Enrolment enrolment) {
        tx.wroteEnrolments.add(Caches.enrolmentKey(enrolment.advocateId(), enrolment.programId()));
        tx.insert(tx.sql.insertEnrolment, ps -> {
            ps.setString(1, enrolment.advocateId().value());
            ps.setString(2, enrolment.programId().value());
            tx.setInstant(ps, 3, enrolment.enrolledAt());
        }, "insertEnrolment", UniqueKey.ENROLMENT);
    }

    private Enrolment enrolmentRow(ResultSet rs) throws SQLException {
        return new Enrolment(AdvocateId.of(rs.getString(1)), ProgramId.of(rs.getString(2)), tx.instant(rs, 3));
    }

    @Override
    public Optional<Enrolment> enrolment(AdvocateId advocateId, ProgramId programId) {
        tx.check();
        String key = Caches.enrolmentKey(advocateId, programId);
        boolean cacheable = !tx.wroteEnrolments.contains(key);
        if (cacheable) {
            Optional<Enrolment> cached = tx.caches.enrolment(key);
            if (cached.isPresent()) {
                return cached;
            }
        }
        Optional<Enrolment> e = tx.one(tx.sql.enrolment, ps -> {
            ps.setString(1, advocateId.value());
            ps.setString(2, programId.value());
        }, this::enrolmentRow, "enrolment");
        if (cacheable && tx.fillCaches) {
            e.ifPresent(tx.caches::putEnrolment);
        }
        return e;
    }

    @Override
    public List<Enrolment> enrolments(AdvocateId advocateId) {
        return tx.list(tx.sql.enrolments, ps -> ps.setString(1, advocateId.value()), this::enrolmentRow,
                "enrolments");
    }

    /** A range scan of the index on {@code (program_id, advocate_id)} (schema version 2). */
    @Override
    public List<Enrolment> enrolmentsInProgram(ProgramId programId, String after, int limit) {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return tx.list(tx.sql.enrolmentsInProgram, ps -> {
            ps.setString(1, programId.value());
            ps.setString(2, after);
            ps.setInt(3, limit);
        }, this::enrolmentRow, "enrolmentsInProgram");
    }
}
