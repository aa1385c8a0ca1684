package io.referrals.rules.internal;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.RuleDecision;
import io.referrals.rules.result.RuleOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Explanations: why a referral earned what it earned, or nothing, rule by rule and milestone by milestone. See
 * {@link io.referrals.rules.Rewards#explain}. Thread-safe.
 */
public final class Explanations {
    /** The reason code of a milestone a lost referral will not reach. */
    static final String LOST = "referral_lost";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    /** The cause the engine records when eligibility checks reject a referral at capture. */
    private static final TransitionCause ELIGIBILITY = TransitionCause.host("eligibility");

    private final RuleBook book;
    private final TransactionRunner transactions;
    private final Clock clock;

    public Explanations(RuleBook book, TransactionRunner transactions, Clock clock) {
        this.book = book;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** See {@link io.referrals.rules.Rewards#explain}. */
    public List<RuleOutcome> explain(ReferralId referralId) {
        Objects.requireNonNull(referralId, "referralId");
        Instant now = clock.instant();
        return transactions.inStore(tx -> {
            Referral r = tx.referrals().get(referralId).orElseThrow(() -> new NotFoundException("referral",
                    referralId.value()));
            Program p = tx.programs().get(r.programId()).orElseThrow();
            Advocate a = Payer.advocate(tx, r.advocateId());
            CompiledRuleSet crs = book.pinned(r.programId(), r.submittedAt(), now);
            if (crs == null) {
                return List.of();
            }
            List<TimelineEntry> timeline = tx.timelines().of(referralId);
            Map<Stage, Instant> reached = new LinkedHashMap<>();
            reached.put(p.pipeline().initial(), r.submittedAt());
            for (TimelineEntry e : timeline) {
                reached.putIfAbsent(e.to(), e.at());
            }
            List<Reason> prefix = new ArrayList<>();
            boolean denied = r.review() == ReviewStatus.DENIED;
            if (denied || r.outcome().map(o -> o == Outcome.REJECTED).orElse(false)) {
                prefix.add(rejection(r, timeline));
            } else if (r.review() == ReviewStatus.FLAGGED) {
                prefix.add(Reason.of(Payer.REVIEW_PENDING, "Your referral is being reviewed: its rewards are held "
                        + "until the review is done."));
            }
            boolean lostNow = r.outcome().orElse(null) == Outcome.LOST;
            TimelineEntry lost = lostNow ? lostAt(timeline, r) : null;
            Story story = new Story(tx, p, a, r, Reopenings.spells(timeline, lostNow && lost != null));
            List<Reward> rewards = tx.rewards().ofReferral(referralId);
            List<RuleOutcome> outcomes = new ArrayList<>();
            for (CompiledRule rule : crs.all) {
                Trigger t = rule.rule.trigger();
                Map<String, Instant> milestones = new LinkedHashMap<>();
                Map<String, Reason> triggers = new HashMap<>();
                if (t instanceof Trigger.Submitted) {
                    milestones.put("submitted", r.submittedAt());
                    triggers.put("submitted", crs.submittedReason);
                } else if (t instanceof Trigger.StageReached s) {
                    for (Map.Entry<Stage, Instant> e : reached.entrySet()) {
                        if (s.stages().contains(e.getKey())) {
                            milestones.put("stage:" + e.getKey().name(), e.getValue());
                            triggers.put("stage:" + e.getKey().name(), crs.stageReason(e.getKey()));
                        }
                    }
                    if (milestones.isEmpty()) {
                        String stages = String.join(" or ", s.stages().stream().map(x -> "'" + x.name() + "'")
                                .sorted().toList());
                        outcomes.add(lost == null
                                ? notReached(rule, crs, "stage", prefix, "not_reached",
                                        "Your referral has not reached " + stages + " yet.")
                                : notReached(rule, crs, "stage", prefix, LOST,
                                        lostText(lost, p, "before reaching " + stages)));
                        continue;
                    }
                } else if (t instanceof Trigger.NthReferral n) {
                    String m = "nth:" + n.stage().name() + ":" + n.n();
                    List<Reward> paid = paidFor(rewards, rule, m);
                    if (paid.isEmpty()) {
                        outcomes.add(notReached(rule, crs, m, prefix, "not_reached", "Paid on the referral that is "
                                + "your number " + n.n() + " to reach '" + n.stage().name() + "'; this one is not."));
                    } else {
                        outcomes.add(fromRewards(m, paid, story));
                    }
                    continue;
                } else {
                    continue;
                }
                for (Map.Entry<String, Instant> m : milestones.entrySet()) {
                    outcomes.add(milestone(story, crs, rule, m.getKey(), m.getValue(), triggers.get(m.getKey()),
                            paidFor(rewards, rule, m.getKey()), denied, prefix));
                }
            }
            return outcomes;
        });
    }

    /** What came of {@code rule} for a milestone the referral reached at {@code at}. */
    private RuleOutcome milestone(Story story, CompiledRuleSet crs, CompiledRule rule, String milestone, Instant at,
            Reason trigger, List<Reward> paid, boolean denied, List<Reason> prefix) {
        if (!paid.isEmpty()) {
            return fromRewards(milestone, paid, story);
        }
        StoreTransaction tx = story.tx();
        Program p = story.program();
        Advocate a = story.advocate();
        Referral r = story.referral();
        if (denied) {
            return new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), milestone, RuleOutcome.Status.REJECTED,
                    List.of(), prefix);
        }
        Facts facts = book.facts(tx, crs, p, a, r, at);
        RuleDecision d = rule.decide(facts, milestone, trigger);
        List<Reason> reasons = new ArrayList<>(prefix);
        reasons.addAll(d.trace());
        RuleOutcome.Status status;
        if (!d.matched()) {
            status = reasons.get(reasons.size() - 1).code().equals("deal_value_missing")
                    ? RuleOutcome.Status.NO_AMOUNT : RuleOutcome.Status.CONDITION_FAILED;
        } else {
            Reason full = Limits.full(tx, crs, rule.rule, facts);
            status = full != null ? RuleOutcome.Status.CAP_REACHED : RuleOutcome.Status.NO_AMOUNT;
            reasons.add(full != null ? full : Reason.of("not_recorded", "No reward was recorded for this milestone."));
        }
        return new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), milestone, status, List.of(), reasons);
    }

    /** The rewards of {@code rule} for {@code milestone}, the ones paid again after reopenings included. */
    private static List<Reward> paidFor(List<Reward> rewards, CompiledRule rule, String milestone) {
        return rewards.stream().filter(x -> x.ruleId().equals(rule.rule.id())
                && Reopenings.base(x.milestone()).equals(milestone)).toList();
    }

    /**
     * Why a referral earns nothing: the eligibility findings that rejected it at capture (texts safe to show the
     * advocate), a denied review, or the stage change that rejected it.
     */
    private static Reason rejection(Referral r, List<TimelineEntry> timeline) {
        if (r.review() == ReviewStatus.DENIED) {
            boolean atCapture = !timeline.isEmpty() && timeline.get(0).cause().equals(ELIGIBILITY);
            if (atCapture && !r.findings().isEmpty()) {
                return Reason.of("referral_rejected", "Your referral was not accepted: " + String.join(" ",
                        r.findings().stream().map(Reason::text).toList()));
            }
            return Reason.of("referral_rejected", timeline.isEmpty() ? "Your referral was not accepted."
                    : "Your referral was not accepted: it did not pass review.");
        }
        String why = timeline.isEmpty() ? "" : timeline.get(timeline.size() - 1).reason();
        return Reason.of("referral_rejected", "Your referral was not accepted" + (why.isEmpty() ? "." : ": " + why));
    }

    /** The timeline entry that moved {@code r} into its lost stage (the last entry, for a referral lost now). */
    private static TimelineEntry lostAt(List<TimelineEntry> timeline, Referral r) {
        for (int i = timeline.size() - 1; i >= 0; i--) {
            if (timeline.get(i).to().equals(r.stage())) {
                return timeline.get(i);
            }
        }
        return null;
    }

    /**
     * What a lost referral is told: lost at which stage and when, {@code what} it missed, and that the program pays
     * nothing for it, unless it is reopened where its pipeline allows reopening.
     */
    static String lostText(TimelineEntry lost, Program p, String what) {
        boolean reopenable = !p.pipeline().reopenTargets(lost.to()).isEmpty();
        return "Your referral was lost at '" + lost.from().name() + "' on " + DAY.format(lost.at())
                + (what == null ? "" : ", " + what) + ": the program pays nothing for it"
                + (reopenable ? " unless it is reopened." : ".");
    }

    private static RuleOutcome notReached(CompiledRule rule, CompiledRuleSet crs, String milestone,
            List<Reason> prefix, String code, String text) {
        List<Reason> reasons = new ArrayList<>(prefix);
        reasons.add(Reason.of(code, text));
        return new RuleOutcome(rule.rule.id(), crs.ruleSet.version(), milestone, RuleOutcome.Status.NOT_REACHED,
                List.of(), reasons);
    }

    /**
     * What a milestone's rewards came to: the latest payment decides (a reward paid again after a reopening follows
     * the one reversed when the referral was lost), with its explanation; a reward reversed while the referral was
     * lost also says whether a reopening pays it again, and why.
     */
    private RuleOutcome fromRewards(String milestone, List<Reward> paid, Story story) {
        Reward latest = paid.get(paid.size() - 1);
        RuleOutcome.Status status = switch (latest.status()) {
            // a failed reward is still owed: the host fulfils it by hand
            case PENDING, FAILED -> RuleOutcome.Status.HELD;
            case APPROVED, FULFILLED -> RuleOutcome.Status.PAID;
            case REJECTED -> RuleOutcome.Status.REJECTED;
            case REVERSED -> RuleOutcome.Status.REVERSED;
            case EXPIRED -> RuleOutcome.Status.EXPIRED;
        };
        List<Reason> reasons = new ArrayList<>(latest.explanation());
        Reopenings.Spell spell = Reopenings.spellOf(story.spells(), latest);
        if (spell != null) {
            reasons.addAll(afterLoss(story, latest, spell));
        }
        return new RuleOutcome(latest.ruleId(), latest.ruleVersion(), milestone, status, paid, reasons);
    }

    /** Whether a reward reversed during {@code spell} is (or would be) paid again when the referral is reopened. */
    private List<Reason> afterLoss(Story story, Reward reversed, Reopenings.Spell spell) {
        CompiledRule rule = book.ruleOf(reversed);
        boolean payAgain = rule != null && rule.rule.whenReopened() == Rule.WhenReopened.PAY_AGAIN;
        String name = "'" + book.ruleName(reversed) + "'";
        Incentive takenBack = Reopenings.takenBack(story.tx(), reversed);
        if (spell.reopened() == null) {
            Program p = story.program();
            List<Reason> out = new ArrayList<>();
            out.add(Reason.of(LOST, lostText(spell.lost(), p, null)));
            if (!p.pipeline().reopenTargets(spell.lost().to()).isEmpty()) {
                out.add(Reason.of(Reopenings.IF_REOPENED, !payAgain
                        ? "If it is reopened, " + name + " does not pay this reward again."
                        : takenBack == null ? "If it is reopened, this reward is not paid again: none of its points "
                                + "were taken back." : "If it is reopened, " + name + " pays this reward again."));
            }
            return out;
        }
        String when = "your referral was reopened on " + Reopenings.day(spell.reopened());
        if (!payAgain) {
            return List.of(Reason.of(Reopenings.NOT_PAID_AGAIN, "Not paid again: " + when + ", but " + name
                    + " does not pay again what was taken back when it was lost."));
        }
        if (takenBack == null) {
            return List.of(Reason.of(Reopenings.NOT_PAID_AGAIN, "Not paid again when " + when
                    + ": none of its points had been taken back."));
        }
        CompiledRuleSet crs = book.versionOf(reversed);
        Reason full = Limits.full(story.tx(), crs, rule.rule, book.facts(story.tx(), crs, story.program(),
                story.advocate(), story.referral(), spell.reopened().at()));
        return List.of(Reason.of(Reopenings.NOT_PAID_AGAIN, "Not paid again when " + when
                + (full != null ? ": " + full.text() : ".")));
    }

    /** What {@link #explain} reads about one referral. */
    private record Story(StoreTransaction tx, Program program, Advocate advocate, Referral referral,
            List<Reopenings.Spell> spells) {
    }
}
