package io.referrals.core.moments;

import io.referrals.core.insights.Rate;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.ProgramId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a program's asks made in a period turned out.
 *
 * @param programId the program
 * @param period the period the asks were made in
 * @param counts asks by status, every status present
 */
public record AskStats(ProgramId programId, ReportPeriod period, Map<AskStatus, Long> counts) {
    public AskStats {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(period, "period");
        Map<AskStatus, Long> all = new EnumMap<>(AskStatus.class);
        for (AskStatus s : AskStatus.values()) {
            long n = counts.getOrDefault(s, 0L);
            if (n < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
            all.put(s, n);
        }
        counts = Map.copyOf(all);
    }

    /** All asks made in the period. */
    public long asked() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Asks that produced a referral over all asks made. */
    public Rate conversion() {
        return Rate.of(counts.get(AskStatus.REFERRED), asked());
    }

    /** Asks that produced a referral over asks with an outcome (pending ones left out). */
    public Rate conversionOfResolved() {
        return Rate.of(counts.get(AskStatus.REFERRED), asked() - counts.get(AskStatus.PENDING));
    }
}
