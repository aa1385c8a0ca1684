package io.referrals.core.storage.memory;

import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.EventId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A {@link ReferralStore} in memory. Thread-safe: transactions run one at a time (serialisable), and a transaction
 * that throws is undone completely before the exception propagates. Nothing survives the JVM.
 */
public final class InMemoryReferralStore implements ReferralStore {
    private final ReentrantLock lock = new ReentrantLock();

    private final Map<ProgramId, Program> programs = new TreeMap<>(Comparator.comparing(ProgramId::value));
    private final Map<AdvocateId, Advocate> advocates = new HashMap<>();
    private final Map<String, AdvocateId> advocatesByExternalId = new HashMap<>();
    private final Map<AdvocateId, Map<ProgramId, Enrolment>> enrolments = new HashMap<>();
    private final Map<String, ReferralCode> codes = new HashMap<>();
    private final Map<ReferralId, Referral> referrals = new TreeMap<>(Comparator.comparing(ReferralId::value));
    private final Map<String, ReferralId> referralsByKey = new HashMap<>();
    /** Referrals by prospect email key and by prospect domain key, for {@code referralsByProspectKeys}. */
    private final Map<String, Set<ReferralId>> referralsByProspectKey = new HashMap<>();
    private final Map<ReferralId, List<TimelineEntry>> timelines = new HashMap<>();
    private final Map<String, Long> sequences = new HashMap<>();
    private final Map<EventId, StoredEvent> events = new HashMap<>();
    private final Map<String, TreeMap<Long, EventId>> streams = new HashMap<>();
    private final Map<RewardId, Reward> rewards = new HashMap<>();
    private final Map<String, RewardId> rewardsByDedupeKey = new HashMap<>();
    private final Map<AdvocateId, List<LedgerEntry>> ledgers = new HashMap<>();
    private final Set<LedgerEntryId> ledgerIds = new HashSet<>();
    private final Set<String> ledgerKeys = new HashSet<>();
    private final Map<String, Long> counters = new HashMap<>();
    private long eventOrder;

    /** An empty store. */
    public InMemoryReferralStore() {
    }

    @Override
    public <T> T inTransaction(Function<StoreTransaction, T> work) {
        Objects.requireNonNull(work, "work");
        lock.lock();
        try {
            Tx tx = new Tx();
            try {
                T result = work.apply(tx);
                tx.open = false;
                return result;
            } catch (RuntimeException | Error e) {
                tx.open = false;
                tx.rollback();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private static final class StoredEvent {
        final ReferralEvent event;
        final long order;
        OutboxStatus status;
        int attempts;
        Instant nextAttemptAt;
        String lastError = "";

        StoredEvent(ReferralEvent event, long order, OutboxStatus status, Instant nextAttemptAt) {
            this.event = event;
            this.order = order;
            this.status = status;
            this.nextAttemptAt = nextAttemptAt;
        }

        OutboxEntry toEntry() {
            return new OutboxEntry(event, status, attempts, nextAttemptAt, lastError);
        }

        void restore(OutboxEntry e) {
            status = e.status();
            attempts = e.attempts();
            nextAttemptAt = e.nextAttemptAt();
            lastError = e.lastError();
        }
    }

    /** A transaction: every mutation pushes the action that undoes it. */
    private final class Tx implements StoreTransaction {
        private final Deque<Runnable> undo = new ArrayDeque<>();
        private boolean open = true;

        void rollback() {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
        }

        private void check() {
            if (!open) {
                throw new IllegalStateException("the transaction is over");
            }
        }

        private <K, V> void put(Map<K, V> map, K key, V value) {
            boolean had = map.containsKey(key);
            V old = map.put(key, value);
            undo.push(() -> {
                if (had) {
                    map.put(key, old);
                } else {
                    map.remove(key);
                }
            });
        }

        private <E> void add(List<E> list, E element) {
            list.add(element);
            undo.push(() -> list.remove(list.size() - 1));
        }

        private <E> void add(Set<E> set, E element) {
            if (set.add(element)) {
                undo.push(() -> set.remove(element));
            }
        }

        private <E> void remove(Set<E> set, E element) {
            if (set.remove(element)) {
                undo.push(() -> set.add(element));
            }
        }

        /** Moves a referral's entries in the prospect-key index from {@code old}'s keys (null: none) to its own. */
        private void indexProspectKeys(Referral old, Referral referral) {
            Set<String> before = old == null ? Set.of() : prospectKeys(old);
            Set<String> after = prospectKeys(referral);
            for (String key : before) {
                if (!after.contains(key)) {
                    remove(referralsByProspectKey.get(key), referral.id());
                }
            }
            for (String key : after) {
                if (!before.contains(key)) {
                    add(referralsByProspectKey.computeIfAbsent(key, k -> new HashSet<>()), referral.id());
                }
            }
        }

        private static Set<String> prospectKeys(Referral r) {
            Set<String> keys = new HashSet<>(List.of(r.prospectEmailKey(), r.prospectDomainKey()));
            keys.remove("");
            return keys;
        }

        // programs

        @Override
        public void insertProgram(Program program) {
            check();
            if (programs.containsKey(program.id())) {
                throw new DuplicateKeyException(UniqueKey.PROGRAM_ID);
            }
            put(programs, program.id(), program);
        }

        @Override
        public boolean updateProgram(Program program) {
            check();
            Program old = programs.get(program.id());
            if (old == null || old.version() != program.version() - 1) {
                return false;
            }
            put(programs, program.id(), program);
            return true;
        }

        @Override
        public Optional<Program> program(ProgramId id) {
            check();
            return Optional.ofNullable(programs.get(id));
        }

        @Override
        public List<Program> programs() {
            check();
            return List.copyOf(programs.values());
        }

        // advocates

        @Override
        public void insertAdvocate(Advocate advocate) {
            check();
            if (advocates.containsKey(advocate.id())) {
                throw new DuplicateKeyException(UniqueKey.ADVOCATE_ID);
            }
            if (advocatesByExternalId.containsKey(advocate.externalId())) {
                throw new DuplicateKeyException(UniqueKey.ADVOCATE_EXTERNAL_ID);
            }
            put(advocates, advocate.id(), advocate);
            put(advocatesByExternalId, advocate.externalId(), advocate.id());
        }

        @Override
        public boolean updateAdvocate(Advocate advocate) {
            check();
            Advocate old = advocates.get(advocate.id());
            if (old == null || old.version() != advocate.version() - 1) {
                return false;
            }
            if (!old.externalId().equals(advocate.externalId())) {
                if (advocatesByExternalId.containsKey(advocate.externalId())) {
                    throw new DuplicateKeyException(UniqueKey.ADVOCATE_EXTERNAL_ID);
                }
                put(advocatesByExternalId, old.externalId(), null);
                advocatesByExternalId.remove(old.externalId());
                put(advocatesByExternalId, advocate.externalId(), advocate.id());
            }
            put(advocates, advocate.id(), advocate);
            return true;
        }

        @Override
        public Optional<Advocate> advocate(AdvocateId id) {
            check();
            return Optional.ofNullable(advocates.get(id));
        }

        @Override
        public Optional<Advocate> advocateByExternalId(String externalId) {
            check();
            return Optional.ofNullable(advocatesByExternalId.get(externalId)).map(advocates::get);
        }

        @Override
        public void insertEnrolment(Enrolment enrolment) {
            check();
            Map<ProgramId, Enrolment> mine = enrolments.get(enrolment.advocateId());
            if (mine != null && mine.containsKey(enrolment.programId())) {
                throw new DuplicateKeyException(UniqueKey.ENROLMENT);
            }
            if (mine == null) {
                mine = new TreeMap<>(Comparator.comparing(ProgramId::value));
                put(enrolments, enrolment.advocateId(), mine);
            }
            put(mine, enrolment.programId(), enrolment);
        }

        @Override
        public Optional<Enrolment> enrolment(AdvocateId advocateId, ProgramId programId) {
            check();
            return Optional.ofNullable(enrolments.getOrDefault(advocateId, Map.of()).get(programId));
        }

        @Override
        public List<Enrolment> enrolments(AdvocateId advocateId) {
            check();
            return List.copyOf(enrolments.getOrDefault(advocateId, Map.of()).values());
        }

        // codes

        @Override
        public void insertCode(ReferralCode code) {
            check();
            if (codes.containsKey(code.key())) {
                throw new DuplicateKeyException(UniqueKey.CODE);
            }
            put(codes, code.key(), code);
        }

        @Override
        public Optional<ReferralCode> code(String key) {
            check();
            return Optional.ofNullable(codes.get(key));
        }

        @Override
        public boolean updateCode(ReferralCode expected, ReferralCode updated) {
            check();
            ReferralCode old = codes.get(updated.key());
            if (old == null || !expected.key().equals(updated.key()) || old.status() != expected.status()
                    || !old.statusChangedAt().equals(expected.statusChangedAt())) {
                return false;
            }
            put(codes, updated.key(), updated);
            return true;
        }

        @Override
        public List<ReferralCode> codes(AdvocateId advocateId) {
            check();
            return codes.values().stream()
                    .filter(c -> c.advocateId().equals(advocateId))
                    .sorted(Comparator.comparing(ReferralCode::issuedAt).thenComparing(ReferralCode::key))
                    .toList();
        }

        // referrals

        @Override
        public void insertReferral(Referral referral) {
            check();
            if (referrals.containsKey(referral.id())) {
                throw new DuplicateKeyException(UniqueKey.REFERRAL_ID);
            }
            String key = referral.idempotencyKey();
            if (!key.isEmpty() && referralsByKey.containsKey(key)) {
                throw new DuplicateKeyException(UniqueKey.IDEMPOTENCY_KEY);
            }
            put(referrals, referral.id(), referral);
            if (!key.isEmpty()) {
                put(referralsByKey, key, referral.id());
            }
            indexProspectKeys(null, referral);
        }

        @Override
        public void insertReferrals(List<Referral> batch) {
            batch.forEach(this::insertReferral);
        }

        @Override
        public boolean updateReferral(Referral referral) {
            check();
            Referral old = referrals.get(referral.id());
            if (old == null || old.version() != referral.version() - 1) {
                return false;
            }
            if (!old.idempotencyKey().equals(referral.idempotencyKey())) {
                throw new IllegalArgumentException("a referral's idempotency key cannot change");
            }
            put(referrals, referral.id(), referral);
            indexProspectKeys(old, referral);
            return true;
        }

        @Override
        public Optional<Referral> referral(ReferralId id) {
            check();
            return Optional.ofNullable(referrals.get(id));
        }

        @Override
        public Optional<Referral> referralByIdempotencyKey(String idempotencyKey) {
            check();
            return Optional.ofNullable(referralsByKey.get(idempotencyKey)).map(referrals::get);
        }

        @Override
        public List<Referral> referrals(ReferralQuery query) {
            check();
            List<Referral> page = new ArrayList<>();
            for (Referral r : referrals.values()) {
                if (page.size() == query.limit()) {
                    break;
                }
                if (query.after().map(a -> r.id().value().compareTo(a.value()) <= 0).orElse(false)
                        || query.programId().map(p -> !p.equals(r.programId())).orElse(false)
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
        public void appendTimelineEntry(TimelineEntry entry) {
            check();
            List<TimelineEntry> list = timelines.get(entry.referralId());
            if (list == null) {
                list = new ArrayList<>();
                put(timelines, entry.referralId(), list);
            }
            for (TimelineEntry e : list) {
                if (e.sequence() == entry.sequence()) {
                    throw new DuplicateKeyException(UniqueKey.TIMELINE_ENTRY);
                }
            }
            add(list, entry);
        }

        @Override
        public void appendTimelineEntries(List<TimelineEntry> entries) {
            entries.forEach(this::appendTimelineEntry);
        }

        @Override
        public List<TimelineEntry> timeline(ReferralId id) {
            check();
            return timelines.getOrDefault(id, List.of()).stream()
                    .sorted(Comparator.comparingInt(TimelineEntry::sequence)).toList();
        }

        // events

        @Override
        public long nextSequence(String stream) {
            check();
            long next = sequences.getOrDefault(stream, 0L) + 1;
            put(sequences, stream, next);
            return next;
        }

        @Override
        public void appendEvent(ReferralEvent event, boolean pending, Instant dueAt) {
            check();
            EventId id = event.metadata().id();
            String stream = event.metadata().stream();
            long seq = event.metadata().sequence();
            if (events.containsKey(id) || streams.getOrDefault(stream, new TreeMap<>()).containsKey(seq)) {
                throw new DuplicateKeyException(UniqueKey.EVENT);
            }
            TreeMap<Long, EventId> s = streams.get(stream);
            if (s == null) {
                s = new TreeMap<>();
                put(streams, stream, s);
            }
            put(s, seq, id);
            long order = ++eventOrder;
            undo.push(() -> eventOrder--);
            put(events, id, new StoredEvent(event, order,
                    pending ? OutboxStatus.PENDING : OutboxStatus.DELIVERED, dueAt));
        }

        @Override
        public List<OutboxEntry> events(String stream) {
            check();
            return streams.getOrDefault(stream, new TreeMap<>()).values().stream()
                    .map(id -> events.get(id).toEntry()).toList();
        }

        @Override
        public List<OutboxEntry> claimDueEvents(Instant now, int limit, Instant leaseUntil) {
            check();
            List<StoredEvent> due = new ArrayList<>();
            for (TreeMap<Long, EventId> stream : streams.values()) {
                for (EventId id : stream.values()) {
                    StoredEvent e = events.get(id);
                    if (e.status == OutboxStatus.DELIVERED) {
                        continue;
                    }
                    if (e.status == OutboxStatus.PENDING && !e.nextAttemptAt.isAfter(now)) {
                        due.add(e);
                    }
                    break; // only the earliest undelivered event of a stream is claimable
                }
            }
            due.sort(Comparator.comparingLong(e -> e.order));
            List<OutboxEntry> claimed = new ArrayList<>();
            for (StoredEvent e : due.subList(0, Math.min(limit, due.size()))) {
                OutboxEntry before = e.toEntry();
                undo.push(() -> e.restore(before));
                e.nextAttemptAt = leaseUntil;
                claimed.add(e.toEntry());
            }
            return claimed;
        }

        @Override
        public boolean markEventDelivered(EventId id) {
            check();
            StoredEvent e = events.get(id);
            if (e == null || e.status != OutboxStatus.PENDING) {
                return false;
            }
            OutboxEntry before = e.toEntry();
            undo.push(() -> e.restore(before));
            e.status = OutboxStatus.DELIVERED;
            return true;
        }

        @Override
        public boolean markEventFailed(EventId id, String error, Instant retryAt, boolean park) {
            check();
            StoredEvent e = events.get(id);
            if (e == null || e.status != OutboxStatus.PENDING) {
                return false;
            }
            OutboxEntry before = e.toEntry();
            undo.push(() -> e.restore(before));
            e.attempts++;
            e.lastError = error == null ? "" : error;
            e.nextAttemptAt = retryAt;
            if (park) {
                e.status = OutboxStatus.PARKED;
            }
            return true;
        }

        @Override
        public List<OutboxEntry> parkedEvents(int limit) {
            check();
            return events.values().stream().filter(e -> e.status == OutboxStatus.PARKED)
                    .sorted(Comparator.comparingLong(e -> e.order)).limit(limit).map(StoredEvent::toEntry).toList();
        }

        @Override
        public boolean requeueEvent(EventId id, Instant dueAt) {
            check();
            StoredEvent e = events.get(id);
            if (e == null || e.status != OutboxStatus.PARKED) {
                return false;
            }
            OutboxEntry before = e.toEntry();
            undo.push(() -> e.restore(before));
            e.status = OutboxStatus.PENDING;
            e.nextAttemptAt = dueAt;
            return true;
        }

        // rewards

        @Override
        public void insertReward(Reward reward) {
            check();
            if (rewards.containsKey(reward.id()) || rewardsByDedupeKey.containsKey(reward.dedupeKey())) {
                throw new DuplicateKeyException(UniqueKey.REWARD);
            }
            put(rewards, reward.id(), reward);
            put(rewardsByDedupeKey, reward.dedupeKey(), reward.id());
        }

        @Override
        public boolean updateReward(Reward reward) {
            check();
            Reward old = rewards.get(reward.id());
            if (old == null || old.version() != reward.version() - 1) {
                return false;
            }
            if (!old.dedupeKey().equals(reward.dedupeKey())) {
                throw new IllegalArgumentException("a reward's dedupe key cannot change");
            }
            put(rewards, reward.id(), reward);
            return true;
        }

        @Override
        public Optional<Reward> reward(RewardId id) {
            check();
            return Optional.ofNullable(rewards.get(id));
        }

        @Override
        public Optional<Reward> rewardByDedupeKey(String dedupeKey) {
            check();
            return Optional.ofNullable(rewardsByDedupeKey.get(dedupeKey)).map(rewards::get);
        }

        private static final Comparator<Reward> BY_CREATION =
                Comparator.comparing(Reward::createdAt).thenComparing(r -> r.id().value());

        @Override
        public List<Reward> rewardsOfReferral(ReferralId id) {
            check();
            return rewards.values().stream()
                    .filter(r -> r.source().kind() == io.referrals.core.model.RewardSource.Kind.REFERRAL
                            && r.source().id().equals(id.value()))
                    .sorted(BY_CREATION).toList();
        }

        @Override
        public List<Reward> rewardsOfAdvocate(AdvocateId id) {
            check();
            return rewards.values().stream().filter(r -> r.advocateId().equals(id)).sorted(BY_CREATION).toList();
        }

        @Override
        public List<Reward> rewardsDue(RewardStatus status, Instant dueBy, int limit) {
            check();
            return rewards.values().stream()
                    .filter(r -> r.status() == status && !r.holdUntil().isAfter(dueBy))
                    .sorted(Comparator.comparing(Reward::holdUntil).thenComparing(r -> r.id().value()))
                    .limit(limit).toList();
        }

        @Override
        public boolean appendLedgerEntry(LedgerEntry entry) {
            check();
            String key = entry.advocateId().value() + '|' + entry.idempotencyKey();
            if (ledgerIds.contains(entry.id()) || ledgerKeys.contains(key)) {
                throw new DuplicateKeyException(UniqueKey.LEDGER_ENTRY);
            }
            if (pointsBalance(entry.advocateId()) + entry.points() < 0) {
                return false;
            }
            List<LedgerEntry> ledger = ledgers.get(entry.advocateId());
            if (ledger == null) {
                ledger = new ArrayList<>();
                put(ledgers, entry.advocateId(), ledger);
            }
            add(ledger, entry);
            add(ledgerIds, entry.id());
            add(ledgerKeys, key);
            return true;
        }

        @Override
        public long pointsBalance(AdvocateId advocateId) {
            check();
            long sum = 0;
            for (LedgerEntry e : ledgers.getOrDefault(advocateId, List.of())) {
                sum = Math.addExact(sum, e.points());
            }
            return sum;
        }

        @Override
        public List<LedgerEntry> ledger(AdvocateId advocateId) {
            check();
            return ledgers.getOrDefault(advocateId, List.of()).stream()
                    .sorted(Comparator.comparing(LedgerEntry::at).thenComparing(e -> e.id().value())).toList();
        }

        @Override
        public boolean tryConsume(String key, long amount, long capacity) {
            check();
            if (amount <= 0) {
                throw new IllegalArgumentException("amount must be positive: " + amount);
            }
            long current = counters.getOrDefault(key, 0L);
            if (current + amount > capacity) {
                return false;
            }
            put(counters, key, current + amount);
            return true;
        }

        @Override
        public List<Boolean> tryConsumeEach(List<Consumption> consumptions) {
            check();
            List<Boolean> applied = new ArrayList<>(consumptions.size());
            for (Consumption c : consumptions) {
                applied.add(tryConsume(c.key(), c.amount(), c.capacity()));
            }
            return List.copyOf(applied);
        }

        @Override
        public void release(String key, long amount) {
            check();
            long current = counters.getOrDefault(key, 0L);
            put(counters, key, Math.max(0, current - amount));
        }

        @Override
        public long counter(String key) {
            check();
            return counters.getOrDefault(key, 0L);
        }
    
        // ---- eligibility and privacy (issue 5) ---------------------------------------------------------------------

        @Override
        public List<Referral> referralsByProspectKeys(Set<String> keys, int limit) {
            check();
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
            wanted.forEach(k -> ids.addAll(referralsByProspectKey.getOrDefault(k, Set.of())));
            return ids.stream().map(referrals::get)
                    .sorted(Comparator.comparing(Referral::submittedAt).thenComparing(r -> r.id().value()).reversed())
                    .limit(limit).toList();
        }

        @Override
        public boolean replaceEvent(ReferralEvent event) {
            check();
            EventMetadata m = event.metadata();
            StoredEvent old = events.get(m.id());
            if (old == null) {
                return false;
            }
            EventMetadata was = old.event.metadata();
            if (!was.stream().equals(m.stream()) || was.sequence() != m.sequence()
                    || !was.occurredAt().equals(m.occurredAt())) {
                throw new IllegalArgumentException("a replacement must keep the event's stream, sequence and time");
            }
            StoredEvent replaced = new StoredEvent(event, old.order, old.status, old.nextAttemptAt);
            replaced.attempts = old.attempts;
            replaced.lastError = old.lastError;
            put(events, m.id(), replaced);
            return true;
        }

        // ---- insights and moments of delight (issue 6) -------------------------------------------------------------
        // programStats streams over the maps in InMemoryInsights; moments and asks live in the fields declared at
        // the end of the class.

        @Override
        public ProgramStats programStats(InsightsQuery query) {
            check();
            return InMemoryInsights.programStats(query, programs, advocates, enrolments, referrals, timelines,
                    rewards);
        }

        @Override
        public void insertMoment(Moment moment) {
            check();
            if (moments.containsKey(moment.id())) {
                throw new DuplicateKeyException(UniqueKey.MOMENT);
            }
            put(moments, moment.id(), moment);
        }

        @Override
        public Optional<Moment> moment(MomentId id) {
            check();
            return Optional.ofNullable(moments.get(id));
        }

        @Override
        public List<Moment> moments(AdvocateId advocateId) {
            check();
            return moments.values().stream().filter(m -> m.advocateId().equals(advocateId))
                    .sorted(Comparator.comparing(Moment::occurredAt).thenComparing(m -> m.id().value())).toList();
        }

        @Override
        public List<Moment> momentsForAsking(ProgramId programId, Instant occurredSince, Instant askedSince) {
            check();
            Set<AdvocateId> excluded = new HashSet<>();
            for (Ask a : asks.values()) {
                if (a.programId().equals(programId)
                        && (a.status() == AskStatus.PENDING || !a.askedAt().isBefore(askedSince))) {
                    excluded.add(a.advocateId());
                }
            }
            return moments.values().stream()
                    .filter(m -> !m.occurredAt().isBefore(occurredSince))
                    .filter(m -> !excluded.contains(m.advocateId()))
                    .filter(m -> enrolments.getOrDefault(m.advocateId(), Map.of()).containsKey(programId))
                    .filter(m -> advocates.containsKey(m.advocateId()) && !advocates.get(m.advocateId()).optedOut())
                    .sorted(Comparator.comparing((Moment m) -> m.advocateId().value())
                            .thenComparing(Moment::occurredAt).thenComparing(m -> m.id().value()))
                    .toList();
        }

        @Override
        public void insertAsk(Ask ask) {
            check();
            if (asks.containsKey(ask.id())) {
                throw new DuplicateKeyException(UniqueKey.ASK);
            }
            put(asks, ask.id(), ask);
        }

        @Override
        public boolean updateAsk(Ask ask) {
            check();
            Ask old = asks.get(ask.id());
            if (old == null || old.version() != ask.version() - 1) {
                return false;
            }
            put(asks, ask.id(), ask);
            return true;
        }

        @Override
        public Optional<Ask> ask(AskId id) {
            check();
            return Optional.ofNullable(asks.get(id));
        }

        @Override
        public List<Ask> asks(AdvocateId advocateId, ProgramId programId) {
            check();
            return asks.values().stream()
                    .filter(a -> a.advocateId().equals(advocateId) && a.programId().equals(programId))
                    .sorted(Comparator.comparing(Ask::askedAt).thenComparing(a -> a.id().value())).toList();
        }

        @Override
        public List<Ask> pendingAsks(ProgramId programId, Instant askedBefore, int limit) {
            check();
            return asks.values().stream()
                    .filter(a -> a.programId().equals(programId) && a.status() == AskStatus.PENDING
                            && a.askedAt().isBefore(askedBefore))
                    .sorted(Comparator.comparing(Ask::askedAt).thenComparing(a -> a.id().value()))
                    .limit(limit).toList();
        }

        @Override
        public Map<AskStatus, Long> askCounts(ProgramId programId, ReportPeriod period) {
            check();
            Map<AskStatus, Long> counts = new EnumMap<>(AskStatus.class);
            for (Ask a : asks.values()) {
                if (a.programId().equals(programId) && period.contains(a.askedAt())) {
                    counts.merge(a.status(), 1L, Long::sum);
                }
            }
            return counts;
        }
    }

    // ---- insights and moments of delight (issue 6): the data behind the methods at the end of Tx ------------------

    private final Map<MomentId, Moment> moments = new HashMap<>();
    private final Map<AskId, Ask> asks = new HashMap<>();
}
