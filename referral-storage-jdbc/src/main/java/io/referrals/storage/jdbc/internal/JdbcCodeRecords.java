package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.storage.CodeRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The referral codes of a {@link JdbcTransaction}; a lookup by key is answered from the store's cache when it can. */
final class JdbcCodeRecords implements CodeRecords {
    private final TxContext tx;

    JdbcCodeRecords(TxContext tx) {
        this.tx = tx;
    }

    private void bindCode(PreparedStatement ps, int from, ReferralCode c) throws SQLException {
        ps.setString(from, c.code());
        ps.setString(from + 1, c.advocateId().value());
        ps.setString(from + 2, c.programId().value());
        ps.setBoolean(from + 3, c.vanity());
        ps.setString(from + 4, c.status().name());
        tx.setInstant(ps, from + 5, c.issuedAt());
        tx.setInstant(ps, from + 6, c.statusChangedAt());
    }

    private ReferralCode codeRow(ResultSet rs) throws SQLException {
        return new ReferralCode(rs.getString(1), AdvocateId.of(rs.getString(2)), ProgramId.of(rs.getString(3)),
                rs.getBoolean(4), CodeStatus.valueOf(rs.getString(5)), tx.instant(rs, 6), tx.instant(rs, 7));
    }

    @Override
    public void insert(ReferralCode code) {
        tx.wroteCodes.add(code.key());
        tx.insert(tx.sql.insertCode, ps -> {
            ps.setString(1, code.key());
            bindCode(ps, 2, code);
        }, "insertCode", UniqueKey.CODE);
    }

    @Override
    public Optional<ReferralCode> get(String key) {
        Objects.requireNonNull(key, "key");
        tx.check();
        boolean cacheable = !tx.wroteCodes.contains(key);
        if (cacheable) {
            Optional<ReferralCode> cached = tx.caches.code(key);
            if (cached.isPresent()) {
                return cached;
            }
        }
        Optional<ReferralCode> c = tx.one(tx.sql.code, ps -> ps.setString(1, key), this::codeRow, "code");
        if (cacheable && tx.fillCaches) {
            c.ifPresent(tx.caches::putCode);
        }
        return c;
    }

    @Override
    public boolean update(ReferralCode expected, ReferralCode updated) {
        tx.check();
        tx.wroteCodes.add(updated.key());
        if (!expected.key().equals(updated.key())) {
            return false;
        }
        return tx.update(tx.sql.updateCode, ps -> {
            bindCode(ps, 1, updated);
            ps.setString(8, updated.key());
            ps.setString(9, expected.status().name());
            tx.setInstant(ps, 10, expected.statusChangedAt());
        }, "updateCode") == 1;
    }

    @Override
    public List<ReferralCode> ofAdvocate(AdvocateId advocateId) {
        return tx.list(tx.sql.codes, ps -> ps.setString(1, advocateId.value()), this::codeRow, "codes");
    }
}
