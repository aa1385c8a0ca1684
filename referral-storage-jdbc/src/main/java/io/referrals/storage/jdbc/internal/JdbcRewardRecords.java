package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.RewardRecords;
import io.referrals.core.storage.UniqueKey;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The rewards of a {@link JdbcTransaction}; on PostgreSQL an inserted reward is held back. */
final class JdbcRewardRecords implements RewardRecords {
    private static final Comparator<Reward> BY_CREATION =
            Comparator.comparing(Reward::createdAt).thenComparing(r -> r.id().value());

    private final TxContext tx;

    JdbcRewardRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Reward r) {
        tx.insertOrHold(tx.sql.insertReward, (ps, from) -> bindRewardInsert(ps, from, r), "insertReward",
                UniqueKey.REWARD);
    }

    /** Binds every column of {@link Sql#insertReward}, the first at {@code from}. */
    private void bindRewardInsert(PreparedStatement ps, int from, Reward r) throws SQLException {
        ps.setString(from, r.id().value());
        ps.setString(from + 1, r.dedupeKey());
        ps.setString(from + 2, r.advocateId().value());
        ps.setString(from + 3, r.source().kind().name());
        ps.setString(from + 4, r.source().id());
        ps.setString(from + 5, r.status().name());
        tx.setInstant(ps, from + 6, r.createdAt());
        tx.setInstant(ps, from + 7, r.holdUntil());
        tx.setInstant(ps, from + 8, r.nextAttemptAt());
        ps.setLong(from + 9, r.version());
        ps.setString(from + 10, Json.write(r));
        JdbcInsights.bindReward(ps, from + 11, r);
    }

    @Override
    public boolean update(Reward r) {
        return tx.update(tx.sql.updateReward, ps -> {
            ps.setString(1, r.advocateId().value());
            ps.setString(2, r.status().name());
            tx.setInstant(ps, 3, r.createdAt());
            tx.setInstant(ps, 4, r.holdUntil());
            tx.setInstant(ps, 5, r.nextAttemptAt());
            ps.setLong(6, r.version());
            ps.setString(7, Json.write(r));
            JdbcInsights.bindReward(ps, 8, r);
            ps.setString(13, r.id().value());
            ps.setLong(14, r.version() - 1);
            ps.setString(15, r.dedupeKey());
        }, "updateReward") == 1;
    }

    private static Reward rewardRow(ResultSet rs) throws SQLException {
        return Json.read(rs.getString(1), Reward.class);
    }

    @Override
    public Optional<Reward> get(RewardId id) {
        return tx.one(tx.sql.reward, ps -> ps.setString(1, id.value()), JdbcRewardRecords::rewardRow, "reward");
    }

    @Override
    public Optional<Reward> byDedupeKey(String dedupeKey) {
        return tx.one(tx.sql.rewardByDedupeKey, ps -> ps.setString(1, dedupeKey), JdbcRewardRecords::rewardRow,
                "rewardByDedupeKey");
    }

    @Override
    public List<Reward> ofReferral(ReferralId id) {
        List<Reward> out = tx.list(tx.sql.rewardsOfReferral, ps -> ps.setString(1, id.value()),
                JdbcRewardRecords::rewardRow, "rewardsOfReferral");
        out.removeIf(r -> r.source().kind() != RewardSource.Kind.REFERRAL);
        out.sort(BY_CREATION);
        return out;
    }

    @Override
    public List<Reward> ofAdvocate(AdvocateId id) {
        List<Reward> out = tx.list(tx.sql.rewardsOfAdvocate, ps -> ps.setString(1, id.value()),
                JdbcRewardRecords::rewardRow, "rewardsOfAdvocate");
        out.sort(BY_CREATION);
        return out;
    }

    /** A range scan of the index on {@code (program_id, id)} (schema version 2). */
    @Override
    public List<Reward> ofProgram(ProgramId programId, String after, int limit) {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return tx.list(tx.sql.rewardsOfProgram, ps -> {
            ps.setString(1, programId.value());
            ps.setString(2, after);
            ps.setInt(3, limit);
        }, JdbcRewardRecords::rewardRow, "rewardsOfProgram");
    }

    /** A range scan of the index on {@code (status, next_attempt_at, id)} (schema version 3). */
    @Override
    public List<Reward> due(RewardStatus status, Instant dueBy, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return tx.list(tx.sql.rewardsDue, ps -> {
            ps.setString(1, status.name());
            tx.setInstant(ps, 2, dueBy);
            ps.setInt(3, limit);
        }, JdbcRewardRecords::rewardRow, "rewardsDue");
    }

    /** A range scan of the index on {@code (advocate_id, created_at, id)} (schema version 6). */
    @Override
    public List<Reward> ofAdvocate(AdvocateId advocateId, Before before, int limit) {
        return tx.newestFirst(tx.sql.rewardsOfAdvocatePage, advocateId, before, limit, JdbcRewardRecords::rewardRow,
                "rewardsOfAdvocatePage");
    }
}
