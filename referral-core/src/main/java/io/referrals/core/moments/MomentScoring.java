package io.referrals.core.moments;

import io.referrals.core.model.AdvocateId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ranks advocates by the recency and strength of their moments, as {@link AskPolicy} defines. Pure: it does not know
 * about cooldowns, opt-outs or pending asks, which the store query excludes before ranking.
 */
public final class MomentScoring {
    private MomentScoring() {
    }

    /** The decayed contribution of {@code moment} at {@code now}; a moment dated after {@code now} counts as new. */
    public static double contribution(Moment moment, AskPolicy policy, Instant now) {
        Duration age = Duration.between(moment.occurredAt(), now);
        double ageMillis = Math.max(0, age.toMillis());
        return policy.strength(moment) * Math.pow(0.5, ageMillis / policy.halfLife().toMillis());
    }

    /**
     * The candidates among the advocates of {@code moments}, best first: by score descending, then latest moment
     * descending, then advocate id. Moments older than the policy's lookback are ignored; advocates whose score is
     * not above zero are left out.
     *
     * @param limit at most this many candidates
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public static List<AskCandidate> rank(List<Moment> moments, AskPolicy policy, Instant now, int limit) {
        Objects.requireNonNull(moments, "moments");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        Instant since = now.minus(policy.lookback());
        Map<AdvocateId, List<Moment>> byAdvocate = new LinkedHashMap<>();
        for (Moment m : moments) {
            if (!m.occurredAt().isBefore(since)) {
                byAdvocate.computeIfAbsent(m.advocateId(), k -> new ArrayList<>()).add(m);
            }
        }
        List<AskCandidate> candidates = new ArrayList<>();
        byAdvocate.forEach((advocate, mine) -> {
            double score = 0;
            Moment strongest = null;
            double best = Double.NEGATIVE_INFINITY;
            Moment latest = null;
            for (Moment m : mine) {
                double c = contribution(m, policy, now);
                score += c;
                if (c > best) {
                    best = c;
                    strongest = m;
                }
                if (latest == null || m.occurredAt().isAfter(latest.occurredAt())) {
                    latest = m;
                }
            }
            if (score > 0) {
                candidates.add(new AskCandidate(advocate, score, strongest, latest, mine.size()));
            }
        });
        candidates.sort(Comparator.comparingDouble(AskCandidate::score).reversed()
                .thenComparing((AskCandidate c) -> c.latest().occurredAt(), Comparator.reverseOrder())
                .thenComparing(c -> c.advocateId().value()));
        return List.copyOf(candidates.subList(0, Math.min(limit, candidates.size())));
    }
}
