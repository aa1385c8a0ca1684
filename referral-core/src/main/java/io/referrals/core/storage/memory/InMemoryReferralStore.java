package io.referrals.core.storage.memory;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.insights.DurationSummary;
import io.referrals.core.insights.Funnel;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
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
            set.add(element);
            undo.push(() -> set.remove(element));
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
                        || query.stage().map(s -> !s.equals(r.stage())).orElse(false)) {
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

        // ---- insights and moments of delight (issue 6) -------------------------------------------------------------
        // Aggregates stream over the maps and keep only counters, sums and one accumulator per advocate.

        @Override
        public ProgramStats programStats(InsightsQuery q) {
            check();
            Program program = programs.get(q.programId());
            if (program == null) {
                return ProgramStats.empty();
            }
            StagePipeline pipeline = program.pipeline();
            Map<Stage, Integer> rank = new HashMap<>();
            List<Stage> funnel = Funnel.stages(pipeline);
            for (int i = 0; i < funnel.size(); i++) {
                rank.put(funnel.get(i), i);
            }
            ReportPeriod period = q.period();

            long enrolled = 0;
            long enrolledInPeriod = 0;
            for (Map<ProgramId, Enrolment> mine : enrolments.values()) {
                Enrolment e = mine.get(q.programId());
                if (e != null && advocateMatches(q, e.advocateId())) {
                    if (e.enrolledAt().isBefore(period.to())) {
                        enrolled++;
                    }
                    if (period.contains(e.enrolledAt())) {
                        enrolledInPeriod++;
                    }
                }
            }

            Set<AdvocateId> referrers = new HashSet<>();
            Map<Stage, Long> current = new HashMap<>();
            Map<Stage, Long> furthest = new HashMap<>();
            Map<String, Long> transitions = new TreeMap<>();
            Map<String, Money> revenue = new TreeMap<>();
            Map<String, long[]> byChannel = new TreeMap<>();
            Map<String, long[]> bySegment = new TreeMap<>();
            Map<AdvocateId, long[]> perAdvocate = new HashMap<>();
            Map<AdvocateId, BigDecimal> perAdvocateRevenue = new HashMap<>();
            List<Long> durations = new ArrayList<>();
            long submitted = 0;
            long won = 0;
            long wonWithoutValue = 0;
            for (Referral r : referrals.values()) {
                if (!inCohort(q, r)) {
                    continue;
                }
                submitted++;
                referrers.add(r.advocateId());
                current.merge(r.stage(), 1L, Long::sum);
                int best = rank.getOrDefault(r.stage(), 0);
                Instant wonAt = null;
                for (TimelineEntry t : timelines.getOrDefault(r.id(), List.of())) {
                    best = Math.max(best, rank.getOrDefault(t.to(), 0));
                    transitions.merge(t.from().name() + ' ' + t.to().name(), 1L, Long::sum);
                    if (wonAt == null && pipeline.outcome(t.to()).orElse(null) == Outcome.WON) {
                        wonAt = t.at();
                    }
                }
                furthest.merge(funnel.get(best), 1L, Long::sum);
                boolean isWon = r.outcome().orElse(null) == Outcome.WON;
                long[] adv = perAdvocate.computeIfAbsent(r.advocateId(), k -> new long[2]);
                adv[0]++;
                long[] ch = byChannel.computeIfAbsent(r.channel().name(), k -> new long[2]);
                ch[0]++;
                Advocate a = advocates.get(r.advocateId());
                for (String segment : a == null ? Set.<String>of() : a.segments()) {
                    bySegment.computeIfAbsent(segment, k -> new long[2])[0]++;
                }
                if (isWon) {
                    won++;
                    adv[1]++;
                    ch[1]++;
                    for (String segment : a == null ? Set.<String>of() : a.segments()) {
                        bySegment.get(segment)[1]++;
                    }
                    if (wonAt != null) {
                        durations.add(Duration.between(r.submittedAt(), wonAt).toMillis());
                    }
                    if (r.dealValue().isPresent()) {
                        Money v = r.dealValue().get();
                        revenue.merge(v.currency().getCurrencyCode(), v, Money::plus);
                        if (v.currency().equals(q.currency())) {
                            perAdvocateRevenue.merge(r.advocateId(), v.amount(), BigDecimal::add);
                        }
                    } else {
                        wonWithoutValue++;
                    }
                }
            }

            List<ProgramStats.TransitionCount> transitionCounts = new ArrayList<>();
            transitions.forEach((k, n) -> {
                int space = k.indexOf(' ');
                transitionCounts.add(new ProgramStats.TransitionCount(Stage.of(k.substring(0, space)),
                        Stage.of(k.substring(space + 1)), n));
            });
            long[] millis = durations.stream().mapToLong(Long::longValue).toArray();
            List<ProgramStats.AdvocateTotals> totals = new ArrayList<>();
            perAdvocate.forEach((id, n) -> totals.add(new ProgramStats.AdvocateTotals(id, n[0], n[1],
                    new Money(perAdvocateRevenue.getOrDefault(id, BigDecimal.ZERO), q.currency()))));
            List<ProgramStats.AdvocateTotals> topByWon = totals.stream().filter(t -> t.won() > 0)
                    .sorted(ProgramStats.BY_WON).limit(q.topAdvocates()).toList();
            List<ProgramStats.AdvocateTotals> topByRevenue = totals.stream()
                    .filter(t -> t.revenue().amount().signum() > 0)
                    .sorted(ProgramStats.BY_REVENUE).limit(q.topAdvocates()).toList();
            return new ProgramStats(enrolled, enrolledInPeriod, referrers.size(), submitted, current, furthest,
                    transitionCounts, won, DurationSummary.ofMillis(millis), List.copyOf(revenue.values()),
                    wonWithoutValue, rewardTotals(q), breakdown(byChannel), breakdown(bySegment), topByWon,
                    topByRevenue);
        }

        private boolean advocateMatches(InsightsQuery q, AdvocateId id) {
            if (q.segment().isEmpty() && q.advocateKind().isEmpty()) {
                return true;
            }
            Advocate a = advocates.get(id);
            return a != null && q.segment().map(s -> a.segments().contains(s)).orElse(true)
                    && q.advocateKind().map(k -> k == a.kind()).orElse(true);
        }

        private boolean inCohort(InsightsQuery q, Referral r) {
            return r.programId().equals(q.programId()) && q.period().contains(r.submittedAt())
                    && q.channel().map(c -> c == r.channel()).orElse(true) && advocateMatches(q, r.advocateId());
        }

        private Map<RewardStatus, ProgramStats.RewardTotals> rewardTotals(InsightsQuery q) {
            Map<RewardStatus, long[]> counts = new EnumMap<>(RewardStatus.class);
            Map<RewardStatus, Map<String, Money>> money = new EnumMap<>(RewardStatus.class);
            for (Reward w : rewards.values()) {
                if (!w.programId().equals(q.programId()) || !advocateMatches(q, w.advocateId())) {
                    continue;
                }
                boolean attributed;
                if (w.source().kind() == RewardSource.Kind.REFERRAL) {
                    Referral r = referralOrNull(w.source().id());
                    attributed = r != null && inCohort(q, r);
                } else {
                    attributed = q.channel().isEmpty() && q.period().contains(w.createdAt());
                }
                if (!attributed) {
                    continue;
                }
                long[] c = counts.computeIfAbsent(w.status(), k -> new long[3]);
                c[0]++;
                Incentive i = w.incentive();
                Money amount = null;
                if (i instanceof Incentive.Points p) {
                    c[1] += p.points();
                } else if (i instanceof Incentive.Cash cash) {
                    amount = cash.amount();
                } else if (i instanceof Incentive.GiftCard g) {
                    amount = g.amount();
                } else if (i instanceof Incentive.Donation d) {
                    amount = d.amount();
                } else if (i instanceof Incentive.Discount d && d.amountOff() != null) {
                    amount = d.amountOff();
                } else {
                    c[2]++;
                }
                if (amount != null) {
                    money.computeIfAbsent(w.status(), k -> new TreeMap<>())
                            .merge(amount.currency().getCurrencyCode(), amount, Money::plus);
                }
            }
            Map<RewardStatus, ProgramStats.RewardTotals> out = new EnumMap<>(RewardStatus.class);
            counts.forEach((s, c) -> out.put(s, new ProgramStats.RewardTotals(c[0], c[1],
                    List.copyOf(money.getOrDefault(s, Map.of()).values()), c[2])));
            return out;
        }

        private Referral referralOrNull(String id) {
            try {
                return referrals.get(ReferralId.of(id));
            } catch (IllegalArgumentException malformed) {
                return null; // a source id that is not a referral id names no referral
            }
        }

        private static List<ProgramStats.Breakdown> breakdown(Map<String, long[]> counts) {
            List<ProgramStats.Breakdown> out = new ArrayList<>();
            counts.forEach((k, n) -> out.add(new ProgramStats.Breakdown(k, n[0], n[1])));
            return out;
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
