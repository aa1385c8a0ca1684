package io.referrals.rules.internal;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.view.Progress;
import io.referrals.core.view.ProgressSource;
import io.referrals.rules.definition.Contest;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.Tiers;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.Standing;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

/**
 * The rules engine's {@link ProgressSource} for the advocate's view, from the program's current rule set: progress to
 * each reward paid on the Nth referral reaching a stage (not yet paid), to the next tier this year, and the rank in
 * each running contest that counts referrals submitted. Reads one counter per Nth-referral rule and one for the tier;
 * a contest's leaderboard is worked out only while the program has at most {@value #CONTEST_PAGES} thousand referrals,
 * and not at all for contests over stages, won referrals or points (their leaderboards read every referral's timeline
 * or every advocate's ledger). Thread-safe.
 */
public final class Progressions implements ProgressSource {
    static final int CONTEST_PAGES = 2;
    private static final String BUNDLE = "io.referrals.rules.progress";
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final RuleBook book;
    private final Clock clock;

    public Progressions(RuleBook book, Clock clock) {
        this.book = book;
        this.clock = clock;
    }

    @Override
    public List<Progress> progress(StoreTransaction tx, AdvocateId advocateId, ProgramId programId, Locale locale) {
        Instant now = clock.instant();
        CompiledRuleSet crs = book.pinned(programId, now, now);
        if (crs == null) {
            return List.of();
        }
        ResourceBundle texts = texts(locale);
        Counters counters = Counters.of(tx);
        List<Progress> out = new ArrayList<>();
        for (CompiledRule compiled : crs.all) {
            Rule rule = compiled.rule;
            if (rule.trigger() instanceof Trigger.NthReferral nth) {
                long count = counters.counter(Keys.stageCount(programId, advocateId, nth.stage()));
                if (count < nth.n()) {
                    String title = rule.name().isBlank() ? rule.id() : rule.name();
                    out.add(new Progress(Progress.Kind.NEXT_REWARD, title, count, nth.n(), fill(texts, "next_reward",
                            count, nth.n(), title, nth.stage().name())));
                }
            }
        }
        Tiers tiers = crs.ruleSet.tiers();
        if (!tiers.levels().isEmpty()) {
            long count = counters.counter(Keys.stageCountInYear(programId, advocateId, tiers.stage(),
                    Keys.year(now)));
            Tiers.Level next = null;
            for (Tiers.Level l : tiers.levels()) {
                if (l.atLeast() > count) {
                    next = l;
                    break;
                }
            }
            if (next != null) {
                out.add(new Progress(Progress.Kind.TIER, next.name(), count, next.atLeast(), fill(texts, "tier.next",
                        count, next.atLeast(), next.name(), tiers.stage().name())));
            } else {
                Tiers.Level top = tiers.levels().get(tiers.levels().size() - 1);
                out.add(new Progress(Progress.Kind.TIER, top.name(), count, top.atLeast(), fill(texts, "tier.top",
                        count, top.atLeast(), top.name(), tiers.stage().name())));
            }
        }
        for (Contest contest : crs.ruleSet.contests()) {
            if (contest.metric() != Contest.Metric.REFERRALS_SUBMITTED || !contest.window().contains(now)) {
                continue;
            }
            List<Standing> board = Contests.standings(tx, programId, contest, CONTEST_PAGES);
            if (board == null) {
                continue;
            }
            long rank = board.stream().filter(s -> s.advocateId().equals(advocateId)).mapToLong(Standing::rank)
                    .findFirst().orElse(0);
            out.add(new Progress(Progress.Kind.CONTEST_RANK, contest.name(), rank, contest.topN(), fill(texts,
                    rank == 0 ? "contest.unranked" : "contest.ranked", rank, contest.topN(), contest.name(), "")));
        }
        return out;
    }

    private static ResourceBundle texts(Locale locale) {
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale, Progressions.class.getClassLoader(), NO_FALLBACK);
        String language = b.getLocale().getLanguage();
        if (!(language.isEmpty() ? "en" : language).equals(locale.getLanguage())) {
            b = ResourceBundle.getBundle(BUNDLE, Locale.ROOT, Progressions.class.getClassLoader(), NO_FALLBACK);
        }
        return b;
    }

    private static String fill(ResourceBundle texts, String key, long current, long target, String title,
            String stage) {
        String out = texts.getString(key);
        for (Map.Entry<String, String> e : Map.of("current", Long.toString(current), "target",
                Long.toString(target), "title", title, "stage", stage).entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }
}
