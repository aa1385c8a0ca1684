package io.referrals.core.storage.memory;

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
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.messages.MessageItem;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything an {@link InMemoryReferralStore} holds: the maps every area reads and writes, and the indexes that keep
 * them in the orders the SPI asks for. Not thread-safe: only touched under the store's lock, and only changed through
 * an {@link UndoLog}, so that a failed transaction can be undone.
 */
final class MemoryState {
    // programs
    final Map<ProgramId, Program> programs = new TreeMap<>(Comparator.comparing(ProgramId::value));

    // advocates
    final Map<AdvocateId, Advocate> advocates = new HashMap<>();
    final Map<String, AdvocateId> advocatesByExternalId = new HashMap<>();
    /** Enrolments by advocate, each advocate's ordered by program id. */
    final Map<AdvocateId, Map<ProgramId, Enrolment>> enrolments = new HashMap<>();
    /** The same enrolments by program, each program's keyed and ordered by advocate id. */
    final Map<ProgramId, TreeMap<String, Enrolment>> enrolmentsByProgram = new HashMap<>();

    // codes
    final Map<String, ReferralCode> codes = new HashMap<>();

    // referrals and timelines
    final TreeMap<ReferralId, Referral> referrals = new TreeMap<>(Comparator.comparing(ReferralId::value));
    final Map<String, ReferralId> referralsByKey = new HashMap<>();
    /** Referrals by prospect email key and by prospect domain key, for {@code byProspectKeys}. */
    final Map<String, Set<ReferralId>> referralsByProspectKey = new HashMap<>();
    final Map<ReferralId, List<TimelineEntry>> timelines = new HashMap<>();
    /** Each advocate's referrals by (submitted at, id), newest first, for {@code ofAdvocate} pages. */
    final Map<AdvocateId, TreeMap<NewestFirst.Key, ReferralId>> referralsByAdvocate = new HashMap<>();

    // events and outbox
    final Map<String, Long> sequences = new HashMap<>();
    final Map<EventId, StoredEvent> events = new HashMap<>();
    final Map<String, TreeMap<Long, EventId>> streams = new HashMap<>();
    /** How many events were ever appended: the next one's {@link StoredEvent#order} is one more. */
    long eventOrder;

    // rewards, ledger, counters
    final Map<RewardId, Reward> rewards = new HashMap<>();
    final Map<String, RewardId> rewardsByDedupeKey = new HashMap<>();
    /** Reward ids by program, each program's keyed and ordered by reward id. */
    final Map<ProgramId, TreeMap<String, RewardId>> rewardsByProgram = new HashMap<>();
    /** Each advocate's rewards by (created at, id), newest first, for {@code ofAdvocate} pages. */
    final Map<AdvocateId, TreeMap<NewestFirst.Key, RewardId>> rewardsByAdvocate = new HashMap<>();
    final Map<AdvocateId, List<LedgerEntry>> ledgers = new HashMap<>();
    /** Each advocate's ledger entries by (time, id), newest first, for {@code entries} pages. */
    final Map<AdvocateId, TreeMap<NewestFirst.Key, LedgerEntry>> ledgersNewestFirst = new HashMap<>();
    final Set<LedgerEntryId> ledgerIds = new HashSet<>();
    /** {@code advocateId|idempotencyKey} of every ledger entry. */
    final Set<String> ledgerKeys = new HashSet<>();
    /** Counters by {@link io.referrals.core.storage.CounterKey#value()}. */
    final Map<String, Long> counters = new HashMap<>();

    // moments of delight
    final Map<MomentId, Moment> moments = new HashMap<>();
    final Map<AskId, Ask> asks = new HashMap<>();
    // advocate messages
    final Map<String, MessageItem> messages = new HashMap<>();
}
