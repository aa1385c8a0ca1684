package io.referrals.core.storage.memory;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.RewardRecords;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link RewardRecords} of an in-memory transaction: rewards by id, with an index by dedupe key, one by program
 * (ordered by reward id, for {@link #ofProgram}) and one per advocate (newest first) that inserts and updates keep
 * current.
 */
final class MemoryRewards implements RewardRecords {
    private static final Comparator<Reward> BY_CREATION =
            Comparator.comparing(Reward::createdAt).thenComparing(r -> r.id().value());

    private final MemoryState state;
    private final UndoLog undo;

    MemoryRewards(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(Reward reward) {
        undo.check();
        if (state.rewards.containsKey(reward.id()) || state.rewardsByDedupeKey.containsKey(reward.dedupeKey())) {
            throw new DuplicateKeyException(UniqueKey.REWARD);
        }
        undo.put(state.rewards, reward.id(), reward);
        undo.put(state.rewardsByDedupeKey, reward.dedupeKey(), reward.id());
        indexProgram(reward);
        NewestFirst.put(undo, state.rewardsByAdvocate, reward.advocateId(), key(reward), reward.id());
    }

    @Override
    public boolean update(Reward reward) {
        undo.check();
        Reward old = state.rewards.get(reward.id());
        if (old == null || old.version() != reward.version() - 1) {
            return false;
        }
        if (!old.dedupeKey().equals(reward.dedupeKey())) {
            throw new IllegalArgumentException("a reward's dedupe key cannot change");
        }
        undo.put(state.rewards, reward.id(), reward);
        if (!old.programId().equals(reward.programId())) {
            undo.remove(state.rewardsByProgram.get(old.programId()), old.id().value());
            indexProgram(reward);
        }
        if (!old.advocateId().equals(reward.advocateId()) || !old.createdAt().equals(reward.createdAt())) {
            NewestFirst.remove(undo, state.rewardsByAdvocate, old.advocateId(), key(old));
            NewestFirst.put(undo, state.rewardsByAdvocate, reward.advocateId(), key(reward), reward.id());
        }
        return true;
    }

    @Override
    public Optional<Reward> get(RewardId id) {
        undo.check();
        return Optional.ofNullable(state.rewards.get(id));
    }

    @Override
    public Optional<Reward> byDedupeKey(String dedupeKey) {
        undo.check();
        return Optional.ofNullable(state.rewardsByDedupeKey.get(dedupeKey)).map(state.rewards::get);
    }

    @Override
    public List<Reward> ofReferral(ReferralId id) {
        undo.check();
        return state.rewards.values().stream()
                .filter(r -> r.source().kind() == RewardSource.Kind.REFERRAL && r.source().id().equals(id.value()))
                .sorted(BY_CREATION).toList();
    }

    @Override
    public List<Reward> ofAdvocate(AdvocateId id) {
        undo.check();
        return state.rewards.values().stream().filter(r -> r.advocateId().equals(id)).sorted(BY_CREATION).toList();
    }

    @Override
    public List<Reward> ofProgram(ProgramId programId, String after, int limit) {
        undo.check();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        TreeMap<String, RewardId> program = state.rewardsByProgram.get(programId);
        if (program == null) {
            return List.of();
        }
        return program.tailMap(after, false).values().stream().limit(limit).map(state.rewards::get).toList();
    }

    @Override
    public List<Reward> due(RewardStatus status, Instant dueBy, int limit) {
        undo.check();
        if (limit <= 0) {
            return List.of();
        }
        return state.rewards.values().stream()
                .filter(r -> r.status() == status && !r.nextAttemptAt().isAfter(dueBy))
                .sorted(Comparator.comparing(Reward::nextAttemptAt).thenComparing(r -> r.id().value()))
                .limit(limit).toList();
    }

    @Override
    public List<Reward> ofAdvocate(AdvocateId advocateId, Before before, int limit) {
        undo.check();
        return NewestFirst.page(state.rewardsByAdvocate.get(advocateId), before, limit).stream()
                .map(state.rewards::get).toList();
    }

    private static NewestFirst.Key key(Reward r) {
        return new NewestFirst.Key(r.createdAt(), r.id().value());
    }

    private void indexProgram(Reward reward) {
        TreeMap<String, RewardId> program = state.rewardsByProgram.get(reward.programId());
        if (program == null) {
            program = new TreeMap<>();
            undo.put(state.rewardsByProgram, reward.programId(), program);
        }
        undo.put(program, reward.id().value(), reward.id());
    }
}
