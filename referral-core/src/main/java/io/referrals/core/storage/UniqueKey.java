package io.referrals.core.storage;

/** The uniqueness rules a store enforces; a violation is reported as a {@link DuplicateKeyException} naming one. */
public enum UniqueKey {
    /** One program per {@code ProgramId}. */
    PROGRAM_ID,
    /** One advocate per {@code AdvocateId}. */
    ADVOCATE_ID,
    /** One advocate per external id. */
    ADVOCATE_EXTERNAL_ID,
    /** One enrolment per advocate and program. */
    ENROLMENT,
    /** One referral code per {@link io.referrals.core.model.ReferralCode#key() key}. */
    CODE,
    /** One referral per {@code ReferralId}. */
    REFERRAL_ID,
    /** One referral per non-empty idempotency key. */
    IDEMPOTENCY_KEY,
    /** One timeline entry per referral and sequence. */
    TIMELINE_ENTRY,
    /** One event per {@code EventId}, and one per stream and sequence. */
    EVENT,
    /** One reward per {@code RewardId}, and one per {@link io.referrals.core.model.Reward#dedupeKey()}. */
    REWARD,
    /** One ledger entry per id, and one per advocate and idempotency key. */
    LEDGER_ENTRY,
    // ---- insights and moments of delight (issue 6) ----
    /** One moment of delight per {@code MomentId}. */
    MOMENT,
    /** One ask per {@code AskId}. */
    ASK,
    // ---- advocate messages (issue 13) ----
    /** One message item per {@link io.referrals.core.messages.MessageItem#key() key}. */
    MESSAGE
}
