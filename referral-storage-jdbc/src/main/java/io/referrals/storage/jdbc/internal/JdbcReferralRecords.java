package io.referrals.storage.jdbc.internal;

import io.referrals.core.event.EventStreams;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The referrals of a {@link JdbcTransaction}. On PostgreSQL an insert is held back ({@link WriteBehind}) and the
 * referral's stream noted as new, so that its first sequence needs no query.
 */
final class JdbcReferralRecords implements ReferralRecords {
    private final TxContext tx;

    JdbcReferralRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Referral r) {
        TxContext.PrimaryProbe idTaken = () -> tx.exists(tx.sql.referralExists, r.id().value());
        if (tx.later != null) {
            tx.checkOpen();
            tx.newStreams.add(EventStreams.of(r.id()));
            tx.later.add(tx.sql.insertReferral, (ps, from) -> bindReferralInsert(ps, from, r),
                    () -> new DuplicateKeyException(idTaken.taken() ? UniqueKey.REFERRAL_ID
                            : UniqueKey.IDEMPOTENCY_KEY));
            return;
        }
        tx.insert(tx.sql.insertReferral, ps -> bindReferralInsert(ps, 1, r), "insertReferral", UniqueKey.REFERRAL_ID,
                "referral_idem_uk", UniqueKey.IDEMPOTENCY_KEY, idTaken);
    }

    /** Binds every column of {@link Sql#insertReferral}, the first at {@code from}. */
    private void bindReferralInsert(PreparedStatement ps, int from, Referral r) throws SQLException {
        ps.setString(from, r.id().value());
        ps.setString(from + 1, r.programId().value());
        ps.setString(from + 2, r.advocateId().value());
        ps.setString(from + 3, r.stage().name());
        ps.setString(from + 4, r.channel().name());
        ps.setString(from + 5, r.idempotencyKey().isEmpty() ? null : r.idempotencyKey());
        tx.setInstant(ps, from + 6, r.submittedAt());
        tx.setInstant(ps, from + 7, r.updatedAt());
        ps.setLong(from + 8, r.version());
        ps.setString(from + 9, Json.writeReferral(r));
        bindReferralScreening(ps, from + 10, r);
        JdbcInsights.bindReferral(ps, from + 13, r);
    }

    private static void bindReferralScreening(PreparedStatement ps, int from, Referral r) throws SQLException {
        ps.setString(from, r.review().name());
        ps.setString(from + 1, r.prospectEmailKey().isEmpty() ? null : r.prospectEmailKey());
        ps.setString(from + 2, r.prospectDomainKey().isEmpty() ? null : r.prospectDomainKey());
    }

    /**
     * Sends the referrals in JDBC batches. A clash anywhere is reported like {@link #insert}'s, after which the
     * caller's transaction is rolled back.
     */
    @Override
    public void insertAll(List<Referral> referrals) {
        if (referrals.isEmpty()) {
            return;
        }
        tx.check();
        try (PreparedStatement ps = tx.connection.prepareStatement(tx.sql.insertReferral)) {
            int pending = 0;
            for (Referral r : referrals) {
                bindReferralInsert(ps, 1, r);
                ps.addBatch();
                if (++pending == TxContext.BATCH) {
                    checkBatch(ps.executeBatch(), referrals);
                    pending = 0;
                }
            }
            if (pending > 0) {
                checkBatch(ps.executeBatch(), referrals);
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                throw new DuplicateKeyException(message.contains(tx.sql.constraint("referral_idem_uk"))
                        ? UniqueKey.IDEMPOTENCY_KEY : UniqueKey.REFERRAL_ID);
            }
            throw Db.translate(e, "insertReferrals");
        }
    }

    /** On PostgreSQL a clash is an update count of 0 ({@code ON CONFLICT DO NOTHING}): tell which key clashed. */
    private void checkBatch(int[] counts, List<Referral> all) {
        for (int c : counts) {
            if (c == 0) {
                for (Referral r : all) {
                    if (!r.idempotencyKey().isEmpty()) {
                        Optional<Referral> holder = byIdempotencyKey(r.idempotencyKey());
                        if (holder.isPresent() && !holder.get().id().equals(r.id())) {
                            throw new DuplicateKeyException(UniqueKey.IDEMPOTENCY_KEY);
                        }
                    }
                }
                throw new DuplicateKeyException(UniqueKey.REFERRAL_ID);
            }
        }
    }

    /** Writes nothing (false) for a changed idempotency key or dedupe key: those never change. */
    @Override
    public boolean update(Referral r) {
        return tx.update(tx.sql.updateReferral, ps -> {
            ps.setString(1, r.programId().value());
            ps.setString(2, r.advocateId().value());
            ps.setString(3, r.stage().name());
            ps.setString(4, r.channel().name());
            tx.setInstant(ps, 5, r.updatedAt());
            ps.setLong(6, r.version());
            ps.setString(7, Json.writeReferral(r));
            bindReferralScreening(ps, 8, r);
            JdbcInsights.bindReferral(ps, 11, r);
            ps.setString(14, r.id().value());
            ps.setLong(15, r.version() - 1);
            ps.setString(16, r.idempotencyKey());
        }, "updateReferral") == 1;
    }

    @Override
    public Optional<Referral> get(ReferralId id) {
        return tx.one(tx.sql.referral, ps -> ps.setString(1, id.value()), rs -> Json.readReferral(rs.getString(1)),
                "referral");
    }

    @Override
    public Optional<Referral> byIdempotencyKey(String idempotencyKey) {
        if (idempotencyKey.isEmpty()) {
            return Optional.empty();
        }
        return tx.one(tx.sql.referralByIdempotencyKey, ps -> ps.setString(1, idempotencyKey),
                rs -> Json.readReferral(rs.getString(1)), "referralByIdempotencyKey");
    }

    @Override
    public List<Referral> find(ReferralQuery query) {
        StringBuilder where = new StringBuilder();
        List<String> args = new ArrayList<>(4);
        query.programId().ifPresent(p -> condition(where, args, "program_id", p.value()));
        query.advocateId().ifPresent(a -> condition(where, args, "advocate_id", a.value()));
        query.stage().ifPresent(s -> condition(where, args, "stage", s.name()));
        query.review().ifPresent(r -> condition(where, args, "review", r.name()));
        query.after().ifPresent(a -> {
            where.append(where.length() == 0 ? " WHERE " : " AND ").append("id > ?");
            args.add(a.value());
        });
        String statement = "SELECT body FROM " + tx.sql.t("referral") + where + " ORDER BY id LIMIT ?";
        return tx.list(statement, ps -> {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            ps.setInt(args.size() + 1, query.limit());
        }, rs -> Json.readReferral(rs.getString(1)), "referrals");
    }

    private static void condition(StringBuilder where, List<String> args, String column, String value) {
        where.append(where.length() == 0 ? " WHERE " : " AND ").append(column).append(" = ?");
        args.add(value);
    }

    @Override
    public List<Referral> byProspectKeys(Set<String> keys, int limit) {
        TxContext.Bound lookup = prospectKeyLookup(keys, limit);
        return lookup == null ? List.of()
                : tx.list(lookup.statement(), lookup.binder(), JdbcReferralRecords::read, "referralsByProspectKeys");
    }

    /**
     * The query of {@link #byProspectKeys}, or null when no key can match.
     *
     * @throws IllegalArgumentException as {@link #byProspectKeys} documents
     */
    TxContext.Bound prospectKeyLookup(Set<String> keys, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (keys.size() > MAX_PROSPECT_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_PROSPECT_KEYS + " keys: " + keys.size());
        }
        List<String> wanted = Set.copyOf(keys).stream().filter(k -> !k.isEmpty()).sorted().toList();
        if (wanted.isEmpty()) {
            return null;
        }
        int n = wanted.size();
        return new TxContext.Bound(tx.sql.referralsByProspectKeys(n, tx.readCommitted), ps -> {
            for (int i = 0; i < n; i++) {
                ps.setString(1 + i, wanted.get(i));
                ps.setString(1 + n + i, wanted.get(i));
            }
            ps.setInt(1 + 2 * n, limit);
        });
    }

    /** A referral from the first column of a row, its JSON body. */
    static Referral read(ResultSet rs) throws SQLException {
        return Json.readReferral(rs.getString(1));
    }

    /** A range scan of the index on {@code (advocate_id, submitted_at, id)} (schema version 6). */
    @Override
    public List<Referral> ofAdvocate(AdvocateId advocateId, Before before, int limit) {
        return tx.newestFirst(tx.sql.referralsOfAdvocatePage, advocateId, before, limit,
                rs -> Json.readReferral(rs.getString(1)), "referralsOfAdvocate");
    }
}
