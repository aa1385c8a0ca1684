package io.referrals.core.insights;

import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ProgramId;
import java.util.Currency;
import java.util.Objects;
import java.util.Optional;

/**
 * What to aggregate: one program, a period, optional filters on channel, advocate segment and advocate kind, the
 * reporting currency and how many top advocates to list. Immutable and thread-safe; build with {@link #builder}.
 *
 * <p>Semantics every store implements (see {@link io.referrals.core.storage.ProgramStatistics}):
 * <ul>
 *   <li>The <b>cohort</b> is the program's referrals submitted in the period ({@code submittedAt} in
 *       {@code [from, to)}), in the channel if one is given, whose advocate has the segment and the kind if given.
 *       Funnel counts, wins, revenue and top advocates are about the cohort, whenever its referrals were won.</li>
 *   <li>Enrolment counts are about the program's enrolments whose advocate passes the segment and kind filters (the
 *       channel filter does not apply to them).</li>
 *   <li>Rewards counted are the program's rewards earned for a cohort referral, plus, when no channel filter is
 *       given, its rewards with another source (contest, custom event) created in the period; the segment and kind
 *       filters apply to the reward's advocate.</li>
 * </ul>
 */
public final class InsightsQuery {
    private final ProgramId programId;
    private final ReportPeriod period;
    private final Channel channel;
    private final String segment;
    private final AdvocateKind advocateKind;
    private final Currency currency;
    private final int topAdvocates;

    private InsightsQuery(Builder b) {
        this.programId = b.programId;
        this.period = b.period;
        this.channel = b.channel;
        this.segment = b.segment;
        this.advocateKind = b.advocateKind;
        this.currency = b.currency;
        this.topAdvocates = b.topAdvocates;
    }

    /** A query over all time, without filters, listing 10 top advocates. */
    public static Builder builder(ProgramId programId, Currency currency) {
        return new Builder(programId, currency);
    }

    public ProgramId programId() {
        return programId;
    }

    public ReportPeriod period() {
        return period;
    }

    /** Only referrals captured through this channel. */
    public Optional<Channel> channel() {
        return Optional.ofNullable(channel);
    }

    /** Only advocates with this segment. */
    public Optional<String> segment() {
        return Optional.ofNullable(segment);
    }

    /** Only advocates of this kind (for example customers, for the share of customers who refer). */
    public Optional<AdvocateKind> advocateKind() {
        return Optional.ofNullable(advocateKind);
    }

    /** The reporting currency: revenue and costs in other currencies are reported apart, never converted. */
    public Currency currency() {
        return currency;
    }

    /** How many advocates the top lists hold at most, 1 to 100. */
    public int topAdvocates() {
        return topAdvocates;
    }

    /** A copy of this query over another period. */
    public InsightsQuery withPeriod(ReportPeriod newPeriod) {
        Builder b = new Builder(programId, currency).period(newPeriod).topAdvocates(topAdvocates);
        b.channel = channel;
        b.segment = segment;
        b.advocateKind = advocateKind;
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InsightsQuery q && programId.equals(q.programId) && period.equals(q.period)
                && channel == q.channel && Objects.equals(segment, q.segment) && advocateKind == q.advocateKind
                && currency.equals(q.currency) && topAdvocates == q.topAdvocates;
    }

    @Override
    public int hashCode() {
        return Objects.hash(programId, period, channel, segment, advocateKind, currency, topAdvocates);
    }

    @Override
    public String toString() {
        return "InsightsQuery[program=" + programId + ", period=" + period + ", channel=" + channel + ", segment="
                + segment + ", kind=" + advocateKind + ", currency=" + currency + ", top=" + topAdvocates + "]";
    }

    /** Builds an {@link InsightsQuery}. Not thread-safe. */
    public static final class Builder {
        private final ProgramId programId;
        private final Currency currency;
        private ReportPeriod period = ReportPeriod.ALL_TIME;
        private Channel channel;
        private String segment;
        private AdvocateKind advocateKind;
        private int topAdvocates = 10;

        private Builder(ProgramId programId, Currency currency) {
            this.programId = Objects.requireNonNull(programId, "programId");
            this.currency = Objects.requireNonNull(currency, "currency");
        }

        public Builder period(ReportPeriod v) {
            period = Objects.requireNonNull(v, "period");
            return this;
        }

        public Builder channel(Channel v) {
            channel = Objects.requireNonNull(v, "channel");
            return this;
        }

        /** @throws IllegalArgumentException if blank */
        public Builder segment(String v) {
            Objects.requireNonNull(v, "segment");
            if (v.isBlank()) {
                throw new IllegalArgumentException("segment must not be blank");
            }
            segment = v;
            return this;
        }

        public Builder advocateKind(AdvocateKind v) {
            advocateKind = Objects.requireNonNull(v, "advocateKind");
            return this;
        }

        /** @throws IllegalArgumentException unless 1 to 100 */
        public Builder topAdvocates(int v) {
            if (v < 1 || v > 100) {
                throw new IllegalArgumentException("topAdvocates must be 1 to 100: " + v);
            }
            topAdvocates = v;
            return this;
        }

        public InsightsQuery build() {
            return new InsightsQuery(this);
        }
    }
}
