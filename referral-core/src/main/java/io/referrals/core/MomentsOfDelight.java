package io.referrals.core;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.extension.Extension;
import io.referrals.core.extension.Installation;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskCandidate;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskPolicy;
import io.referrals.core.moments.AskResult;
import io.referrals.core.moments.AskStats;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.moments.MomentScoring;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.StoreTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moments of delight: the host reports moments (a contract signed, a go-live, an NPS answer, a result, public praise,
 * a renewal), asks "who should we ask for a referral now?", and records each ask and its outcome so that the cooldown
 * holds and the conversion of asks can be measured. An {@link Extension} of the engine, configured with
 * {@link #builder}; immutable and thread-safe.
 *
 * <p>An advocate is a candidate in a program when enrolled in it, not opted out, without a pending ask in it, not
 * asked in it within the program's {@link AskPolicy#cooldown()}, and with a positive score ({@link MomentScoring}).
 * An advocate has at most one pending ask per program, even when two asks are recorded at once. Installed on
 * the engine, it resolves a pending ask as {@link AskStatus#REFERRED} when the advocate's next referral in the program
 * is captured.
 */
public final class MomentsOfDelight {
    private static final Logger LOG = LoggerFactory.getLogger(MomentsOfDelight.class);
    private static final int NOTE_MAX = 1000;

    private final TransactionRunner store;
    private final Clock clock;
    private final AskPolicy defaultPolicy;
    private final Map<ProgramId, AskPolicy> policies;

    private MomentsOfDelight(Installation installation, AskPolicy defaultPolicy, Map<ProgramId, AskPolicy> policies) {
        this.store = installation.transactions();
        this.clock = installation.clock();
        this.defaultPolicy = defaultPolicy;
        this.policies = policies;
        installation.hook(hook());
        LOG.debug("moments of delight installed: {} program policies", policies.size());
    }

    /**
     * A builder with {@link AskPolicy#DEFAULT} for every program; its {@link Builder#build()} is the extension to
     * install on the engine's builder.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The policy of {@code programId}. */
    public AskPolicy policy(ProgramId programId) {
        return policies.getOrDefault(Objects.requireNonNull(programId, "programId"), defaultPolicy);
    }

    /**
     * Records a moment. Recording the same moment again (same id, equal content) returns the stored one, so a host can
     * replay its webhooks.
     *
     * @throws NotFoundException if the advocate does not exist
     * @throws ValidationException if the moment is dated in the future or its note is longer than 1000 characters
     * @throws ConflictException if another moment with the same id was recorded
     */
    public Moment recordMoment(Moment moment) {
        Objects.requireNonNull(moment, "moment");
        return store.inStore(tx -> {
            Optional<Moment> existing = tx.moments().get(moment.id());
            if (existing.isPresent()) {
                if (existing.get().equals(moment)) {
                    return existing.get();
                }
                throw new ConflictException("moment.id", "moment " + moment.id() + " was recorded with other content",
                        false);
            }
            tx.advocates().get(moment.advocateId())
                    .orElseThrow(() -> new NotFoundException("advocate", moment.advocateId().value()));
            if (moment.occurredAt().isAfter(clock.instant())) {
                throw ValidationException.of("occurredAt", "in_future", "a moment cannot be in the future");
            }
            if (moment.note().length() > NOTE_MAX) {
                throw ValidationException.of("note", "too_long", "must be at most 1000 characters");
            }
            tx.moments().insert(moment);
            return moment;
        });
    }

    /** An advocate's moments, oldest first. */
    public List<Moment> moments(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return store.inStore(tx -> tx.moments().ofAdvocate(advocateId));
    }

    /**
     * Who to ask for a referral in the program now, best first.
     *
     * @param limit at most this many, 1 to 1000
     * @throws NotFoundException if the program does not exist
     * @throws IllegalArgumentException if {@code limit} is out of range
     */
    public List<AskCandidate> whoToAsk(ProgramId programId, int limit) {
        Objects.requireNonNull(programId, "programId");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000: " + limit);
        }
        AskPolicy policy = policy(programId);
        Instant now = clock.instant();
        List<Moment> moments = store.inStore(tx -> {
            requireProgram(tx, programId);
            return tx.moments().forAsking(programId, now.minus(policy.lookback()), now.minus(policy.cooldown()));
        });
        return MomentScoring.rank(moments, policy, now, limit);
    }

    /**
     * Records that {@code advocateId} was asked for a referral in the program, unless they may not be asked now.
     *
     * @param askedBy who asked (a rep's or a campaign's id), or empty
     * @throws NotFoundException if the program or advocate does not exist
     */
    public AskResult recordAsk(ProgramId programId, AdvocateId advocateId, String askedBy) {
        return ask(programId, advocateId, askedBy, null);
    }

    /**
     * Like {@link #recordAsk(ProgramId, AdvocateId, String)}, noting the moment that prompted the ask.
     *
     * @throws ValidationException if the moment does not exist or is another advocate's
     */
    public AskResult recordAsk(ProgramId programId, AdvocateId advocateId, String askedBy, MomentId trigger) {
        return ask(programId, advocateId, askedBy, Objects.requireNonNull(trigger, "trigger"));
    }

    private AskResult ask(ProgramId programId, AdvocateId advocateId, String askedBy, MomentId trigger) {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(askedBy, "askedBy");
        if (askedBy.length() > 128) {
            throw ValidationException.of("askedBy", "too_long", "must be at most 128 characters");
        }
        AskPolicy policy = policy(programId);
        return store.inStore(tx -> {
            Instant now = clock.instant();
            requireProgram(tx, programId);
            Advocate advocate = tx.advocates().get(advocateId)
                    .orElseThrow(() -> new NotFoundException("advocate", advocateId.value()));
            if (trigger != null && !tx.moments().get(trigger).map(m -> m.advocateId().equals(advocateId)).orElse(false)) {
                throw ValidationException.of("trigger", "unknown_moment", "no such moment of this advocate");
            }
            if (advocate.optedOut()) {
                return refused("advocate_opted_out", "The advocate opted out.");
            }
            if (tx.advocates().enrolment(advocateId, programId).isEmpty()) {
                return refused("advocate_not_enrolled", "The advocate is not enrolled in the program.");
            }
            List<Ask> asks = tx.asks().of(advocateId, programId);
            if (asks.stream().anyMatch(a -> a.status() == AskStatus.PENDING)) {
                return refused("ask_pending", "The advocate already has a pending ask in the program.");
            }
            Instant since = now.minus(policy.cooldown());
            if (asks.stream().anyMatch(a -> !a.askedAt().isBefore(since))) {
                return refused("ask_cooldown", "The advocate was asked recently; wait for the cooldown to pass.");
            }
            if (!tx.counters().tryConsume(pendingKey(programId, advocateId), 1, 1)) {
                return refused("ask_pending", "The advocate already has a pending ask in the program.");
            }
            Ask ask = Ask.pending(AskId.random(), programId, advocateId, askedBy, trigger, now);
            tx.asks().insert(ask);
            return new AskResult.Recorded(ask);
        });
    }

    /**
     * Records the outcome of a pending ask: {@link AskStatus#DECLINED}, {@link AskStatus#NO_RESPONSE}, or
     * {@link AskStatus#REFERRED} when the referral is not known (see {@link #recordReferral}).
     *
     * @throws NotFoundException if there is no such ask
     * @throws ConflictException if the ask already has an outcome
     * @throws IllegalArgumentException if {@code outcome} is {@link AskStatus#PENDING}
     */
    public Ask recordOutcome(AskId askId, AskStatus outcome) {
        Objects.requireNonNull(outcome, "outcome");
        if (!outcome.isResolved()) {
            throw new IllegalArgumentException("an outcome is not PENDING");
        }
        return resolve(askId, outcome, null);
    }

    /**
     * Records that a pending ask produced {@code referralId}.
     *
     * @throws NotFoundException if there is no such ask or referral
     * @throws ConflictException if the ask already has an outcome
     */
    public Ask recordReferral(AskId askId, ReferralId referralId) {
        return resolve(askId, AskStatus.REFERRED, Objects.requireNonNull(referralId, "referralId"));
    }

    private Ask resolve(AskId askId, AskStatus outcome, ReferralId referralId) {
        Objects.requireNonNull(askId, "askId");
        return store.inStore(tx -> {
            Ask ask = tx.asks().get(askId).orElseThrow(() -> new NotFoundException("ask", askId.value()));
            if (referralId != null && tx.referrals().get(referralId).isEmpty()) {
                throw new NotFoundException("referral", referralId.value());
            }
            if (ask.status().isResolved()) {
                throw new ConflictException("ask.status", "ask " + askId + " is already " + ask.status(), false);
            }
            Instant now = clock.instant();
            Ask resolved = ask.resolve(outcome, now.isBefore(ask.askedAt()) ? ask.askedAt() : now, referralId);
            if (!tx.asks().update(resolved)) {
                throw new ConflictException("ask.version", "ask " + askId + " was changed concurrently", true);
            }
            tx.counters().release(pendingKey(ask.programId(), ask.advocateId()), 1);
            return resolved;
        });
    }

    /**
     * Closes the program's asks still pending after the policy's {@link AskPolicy#responseWindow()} as
     * {@link AskStatus#NO_RESPONSE}, so that the advocates can be asked again after the cooldown and the asks count
     * in the conversion. Meant to run periodically; closes at most 1000 asks per call.
     *
     * @return how many asks were closed
     * @throws NotFoundException if the program does not exist
     */
    public int closeUnanswered(ProgramId programId) {
        Objects.requireNonNull(programId, "programId");
        AskPolicy policy = policy(programId);
        return store.inStore(tx -> {
            requireProgram(tx, programId);
            Instant now = clock.instant();
            int closed = 0;
            for (Ask ask : tx.asks().pending(programId, now.minus(policy.responseWindow()), 1000)) {
                if (tx.asks().update(ask.resolve(AskStatus.NO_RESPONSE, now, null))) {
                    tx.counters().release(pendingKey(programId, ask.advocateId()), 1);
                    closed++;
                }
            }
            LOG.debug("closed {} unanswered asks in program {}", closed, programId);
            return closed;
        });
    }

    /**
     * How the program's asks made in {@code period} turned out.
     *
     * @throws NotFoundException if the program does not exist
     */
    public AskStats askStats(ProgramId programId, ReportPeriod period) {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(period, "period");
        return store.inStore(tx -> {
            requireProgram(tx, programId);
            return new AskStats(programId, period, tx.asks().countByStatus(programId, period));
        });
    }

    /**
     * The hook that, in the capture's transaction, resolves the advocate's pending ask in the referral's program as
     * {@link AskStatus#REFERRED} with the new referral; installed with the extension.
     */
    private ReferralHook hook() {
        return new ReferralHook() {
            @Override
            public void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
                StoreTransaction tx = work.store();
                for (Ask ask : tx.asks().of(advocate.id(), program.id())) {
                    if (ask.status() == AskStatus.PENDING) {
                        Instant at = work.now().isBefore(ask.askedAt()) ? ask.askedAt() : work.now();
                        if (tx.asks().update(ask.resolve(AskStatus.REFERRED, at, referral.id()))) {
                            tx.counters().release(pendingKey(program.id(), advocate.id()), 1);
                        } else {
                            LOG.debug("ask {} was resolved concurrently; referral {} not linked", ask.id(),
                                    referral.id());
                        }
                    }
                }
            }
        };
    }

    private static AskResult refused(String code, String text) {
        return new AskResult.Refused(Reason.of(code, text));
    }

    private static void requireProgram(StoreTransaction tx, ProgramId programId) {
        tx.programs().get(programId).orElseThrow(() -> new NotFoundException("program", programId.value()));
    }

    private static CounterKey pendingKey(ProgramId programId, AdvocateId advocateId) {
        return CounterKey.of("moments-ask-pending", programId.value(), advocateId.value());
    }

    /** Configures {@link MomentsOfDelight}. Not thread-safe. */
    public static final class Builder {
        private AskPolicy defaultPolicy = AskPolicy.DEFAULT;
        private final Map<ProgramId, AskPolicy> policies = new HashMap<>();

        private Builder() {
        }

        /** The policy of programs without their own. */
        public Builder defaultPolicy(AskPolicy policy) {
            defaultPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The policy of one program (its cooldown, recency and weights). */
        public Builder policy(ProgramId programId, AskPolicy policy) {
            policies.put(Objects.requireNonNull(programId, "programId"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /**
         * The extension with these policies: install it with {@link ReferralEngine.Builder#install}, then get the
         * service with {@link ReferralEngine#extension}. Later changes to this builder do not affect it.
         */
        public Extension<MomentsOfDelight> build() {
            AskPolicy fallback = defaultPolicy;
            Map<ProgramId, AskPolicy> perProgram = Map.copyOf(policies);
            return installation -> new MomentsOfDelight(installation, fallback, perProgram);
        }
    }
}
