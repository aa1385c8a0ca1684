package io.referrals.rules.internal;

import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Program;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.Rule;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reopened referrals: which rewards were reversed while a referral was lost, what a reopening pays again (only where
 * the rule says {@link Rule.WhenReopened#PAY_AGAIN}), and the milestones of those second payments. Stateless.
 *
 * <p>Exactly once: a reward reversed during one lost spell (from the entry into the lost stage to the reopening that
 * ends it) is paid again by that reopening only, under the milestone {@code reopened:<n>:<milestone>} whose reward key
 * the store keeps unique, in the reopening's own transaction. A reopening replayed changes nothing (the referral is
 * already open), and a payment made again and reversed at a later loss is paid again only by the reopening after
 * that loss: a milestone never holds two live rewards.
 */
final class Reopenings {
    private static final Logger LOG = LoggerFactory.getLogger(Reopenings.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final String PREFIX = "reopened:";

    /** Why a reward was paid again. */
    static final String PAID_AGAIN = "paid_again";
    /** Why a reward reversed at a loss was not paid again at the reopening. */
    static final String NOT_PAID_AGAIN = "not_paid_again";
    /** What happens to a reward reversed while its referral is lost, should the referral be reopened. */
    static final String IF_REOPENED = "if_reopened";

    private Reopenings() {
    }

    /**
     * One lost spell: the timeline entry into a lost stage and, if the referral was reopened since, the reopening
     * ({@code null} while it is still lost), the {@code ordinal}-th of the referral.
     */
    record Spell(TimelineEntry lost, TimelineEntry reopened, int ordinal) {
        /** True when {@code r} was reversed during this spell. */
        boolean reversedWithin(Reward r) {
            return r.status() == RewardStatus.REVERSED && !r.updatedAt().isBefore(lost.at())
                    && (reopened == null || !r.updatedAt().isAfter(reopened.at()));
        }
    }

    /**
     * The lost spells of a timeline that end with a reopening, oldest first, and the one still open at its end when
     * {@code lostNow}.
     */
    static List<Spell> spells(List<TimelineEntry> timeline, boolean lostNow) {
        List<Spell> out = new ArrayList<>();
        int ordinal = 0;
        for (int i = 1; i < timeline.size(); i++) {
            TimelineEntry e = timeline.get(i);
            if (e.isReopening()) {
                out.add(new Spell(timeline.get(i - 1), e, ++ordinal));
            }
        }
        if (lostNow && !timeline.isEmpty()) {
            out.add(new Spell(timeline.get(timeline.size() - 1), null, ordinal + 1));
        }
        return out;
    }

    /** The spell during which {@code r} was reversed, or {@code null}. */
    static Spell spellOf(List<Spell> spells, Reward r) {
        for (Spell s : spells) {
            if (s.reversedWithin(r)) {
                return s;
            }
        }
        return null;
    }

    /** The milestone of a reward paid again at the referral's {@code ordinal}-th reopening. */
    static String milestone(int ordinal, String base) {
        return PREFIX + ordinal + ":" + base;
    }

    /** The milestone a reward pays, without the {@code reopened:<n>:} of a reward paid again. */
    static String base(String milestone) {
        if (!milestone.startsWith(PREFIX)) {
            return milestone;
        }
        int sep = milestone.indexOf(':', PREFIX.length());
        return sep < 0 ? milestone : milestone.substring(sep + 1);
    }

    /**
     * What reversing {@code r} took back: its incentive, or for points credited to the advocate only the points the
     * reversal took from the ledger; {@code null} when it took nothing back (the points had been spent).
     */
    static Incentive takenBack(StoreTransaction tx, Reward r) {
        if (!(r.incentive() instanceof Incentive.Points) || r.beneficiary() != Beneficiary.ADVOCATE) {
            return r.incentive();
        }
        boolean credited = false;
        long taken = 0;
        for (LedgerEntry e : tx.ledger().entries(r.advocateId())) {
            if (e.rewardId().equals(r.id().value())) {
                if (e.kind() == LedgerEntry.Kind.EARNED) {
                    credited = true;
                } else if (e.kind() == LedgerEntry.Kind.REVERSED) {
                    taken -= e.points();
                }
            }
        }
        if (!credited) {
            return r.incentive();
        }
        return taken > 0 ? new Incentive.Points(taken) : null;
    }

    /**
     * After {@code reopening} of {@code referral}: pays again each reward reversed during the lost spell it ends,
     * where the rule that paid it says {@link Rule.WhenReopened#PAY_AGAIN}.
     */
    static void payAgain(UnitOfWork w, RuleBook book, Program program, Advocate advocate, Referral referral,
            TimelineEntry reopening) {
        StoreTransaction tx = w.store();
        Spell spell = null;
        for (Spell s : spells(tx.timelines().of(referral.id()), false)) {
            if (s.reopened().sequence() == reopening.sequence()) {
                spell = s;
            }
        }
        if (spell == null) {
            return;
        }
        int paid = 0;
        for (Reward r : tx.rewards().ofReferral(referral.id())) {
            CompiledRule rule = book.ruleOf(r);
            if (!spell.reversedWithin(r) || rule == null || rule.rule.whenReopened() != Rule.WhenReopened.PAY_AGAIN) {
                continue;
            }
            Incentive give = takenBack(tx, r);
            if (give == null) {
                continue;
            }
            CompiledRuleSet crs = book.versionOf(r);
            List<Reason> explanation = new ArrayList<>();
            explanation.add(Reason.of(PAID_AGAIN, "Paid again: your referral was reopened on "
                    + DAY.format(reopening.at()) + ", and '" + rule.rule.name()
                    + "' pays again what was taken back when it was lost."));
            Facts facts = book.facts(tx, crs, program, advocate, referral, w.now());
            if (book.payer().payAgain(w, crs, rule, facts, r, milestone(spell.ordinal(), base(r.milestone())), give,
                    explanation) != null) {
                paid++;
            }
        }
        LOG.debug("referral {} reopened (#{}): {} rewards paid again", referral.id(), spell.ordinal(), paid);
    }

    /** The day of {@code entry}, as explanations show it. */
    static String day(TimelineEntry entry) {
        return DAY.format(entry.at());
    }
}
