package io.referrals.core.storage.memory;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralRecords;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * {@link ReferralRecords} of an in-memory transaction. Referrals are kept ordered by id, with an index by idempotency
 * key, one by prospect key (email key and domain key alike) and one per advocate, newest first, that every insert and
 * update keeps current.
 */
final class MemoryReferrals implements ReferralRecords {
    private final MemoryState state;
    private final UndoLog undo;

    MemoryReferrals(MemoryState state, UndoLog undo) {
        this.state = state;
        this.undo = undo;
    }

    @Override
    public void insert(Referral referral) {
        undo.check();
        if (state.referrals.containsKey(referral.id())) {
            throw new DuplicateKeyException(UniqueKey.REFERRAL_ID);
        }
        String key = referral.idempotencyKey();
        if (!key.isEmpty() && state.referralsByKey.containsKey(key)) {
            throw new DuplicateKeyException(UniqueKey.IDEMPOTENCY_KEY);
        }
        undo.put(state.referrals, referral.id(), referral);
        if (!key.isEmpty()) {
            undo.put(state.referralsByKey, key, referral.id());
        }
        indexProspectKeys(null, referral);
        NewestFirst.put(undo, state.referralsByAdvocate, referral.advocateId(), key(referral), referral.id());
    }

    @Override
    public void insertAll(List<Referral> referrals) {
        referrals.forEach(this::insert);
    }

    @Override
    public boolean update(Referral referral) {
        undo.check();
        Referral old = state.referrals.get(referral.id());
        if (old == null || old.version() != referral.version() - 1) {
            return false;
        }
        if (!old.idempotencyKey().equals(referral.idempotencyKey())) {
            throw new IllegalArgumentException("a referral's idempotency key cannot change");
        }
        undo.put(state.referrals, referral.id(), referral);
        indexProspectKeys(old, referral);
        if (!old.advocateId().equals(referral.advocateId()) || !old.submittedAt().equals(referral.submittedAt())) {
            NewestFirst.remove(undo, state.referralsByAdvocate, old.advocateId(), key(old));
            NewestFirst.put(undo, state.referralsByAdvocate, referral.advocateId(), key(referral), referral.id());
        }
        return true;
    }

    @Override
    public Optional<Referral> get(ReferralId id) {
        undo.check();
        return Optional.ofNullable(state.referrals.get(id));
    }

    @Override
    public Optional<Referral> byIdempotencyKey(String idempotencyKey) {
        undo.check();
        return Optional.ofNullable(state.referralsByKey.get(idempotencyKey)).map(state.referrals::get);
    }

    @Override
    public List<Referral> find(ReferralQuery query) {
        undo.check();
        NavigableMap<ReferralId, Referral> from = query.after()
                .<NavigableMap<ReferralId, Referral>>map(a -> state.referrals.tailMap(a, false))
                .orElse(state.referrals);
        List<Referral> page = new ArrayList<>();
        for (Referral r : from.values()) {
            if (page.size() == query.limit()) {
                break;
            }
            if (query.programId().map(p -> !p.equals(r.programId())).orElse(false)
                    || query.advocateId().map(a -> !a.equals(r.advocateId())).orElse(false)
                    || query.stage().map(s -> !s.equals(r.stage())).orElse(false)
                    || query.review().map(v -> v != r.review()).orElse(false)) {
                continue;
            }
            page.add(r);
        }
        return page;
    }

    @Override
    public List<Referral> byProspectKeys(Set<String> keys, int limit) {
        undo.check();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (keys.size() > MAX_PROSPECT_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_PROSPECT_KEYS + " keys: " + keys.size());
        }
        Set<String> wanted = new HashSet<>(Set.copyOf(keys));
        wanted.remove("");
        if (wanted.isEmpty()) {
            return List.of();
        }
        Set<ReferralId> ids = new HashSet<>();
        wanted.forEach(k -> ids.addAll(state.referralsByProspectKey.getOrDefault(k, Set.of())));
        return ids.stream().map(state.referrals::get)
                .sorted(Comparator.comparing(Referral::submittedAt).thenComparing(r -> r.id().value()).reversed())
                .limit(limit).toList();
    }

    @Override
    public List<Referral> ofAdvocate(AdvocateId advocateId, Before before, int limit) {
        undo.check();
        return NewestFirst.page(state.referralsByAdvocate.get(advocateId), before, limit).stream()
                .map(state.referrals::get).toList();
    }

    private static NewestFirst.Key key(Referral r) {
        return new NewestFirst.Key(r.submittedAt(), r.id().value());
    }

    /** Moves a referral's entries in the prospect-key index from {@code old}'s keys (null: none) to its own. */
    private void indexProspectKeys(Referral old, Referral referral) {
        Set<String> before = old == null ? Set.of() : prospectKeys(old);
        Set<String> after = prospectKeys(referral);
        for (String key : before) {
            if (!after.contains(key)) {
                undo.remove(state.referralsByProspectKey.get(key), referral.id());
            }
        }
        for (String key : after) {
            if (!before.contains(key)) {
                undo.add(state.referralsByProspectKey.computeIfAbsent(key, k -> new HashSet<>()), referral.id());
            }
        }
    }

    private static Set<String> prospectKeys(Referral r) {
        Set<String> keys = new HashSet<>(List.of(r.prospectEmailKey(), r.prospectDomainKey()));
        keys.remove("");
        return keys;
    }
}
