package io.referrals.core;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.extension.Extension;
import io.referrals.core.extension.Installation;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.view.AdvocateView;
import io.referrals.core.view.Page;
import io.referrals.core.view.PendingReason;
import io.referrals.core.view.PointsLine;
import io.referrals.core.view.ProgramCard;
import io.referrals.core.view.Progress;
import io.referrals.core.view.ProgressSource;
import io.referrals.core.view.ReferralLine;
import io.referrals.core.view.ReferralState;
import io.referrals.core.view.RewardLine;
import io.referrals.core.view.ShareCode;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The advocate's view: for one advocate, their programs with their codes, share links and progress; their referrals
 * with a status written for them; their rewards with why each is pending; their points balance and history. An
 * {@link Extension} of the engine, configured with {@link #builder}; immutable and thread-safe.
 *
 * <pre>{@code
 * Extension<AdvocateViews> views = AdvocateViews.builder()
 *         .links(ReferralLinks.to(URI.create("https://example.com/refer"))).build();
 * ReferralEngine engine = ReferralEngine.builder().store(store).install(views).build();
 * AdvocateView view = engine.extension(views).view(advocateId, Locale.GERMAN, 20);
 * }</pre>
 *
 * <p>Guarantees:
 * <ul>
 * <li>Each call reads in one store transaction, and makes a bounded number of store reads however long the
 * advocate's history: a page is read with the store's newest-first keyset reads ({@link Before}), one row more than
 * the page to know whether another follows; the last moves of a page of referrals with one
 * {@link io.referrals.core.storage.TimelineRecords#latest} read; which rewards wait for a review with one read of the
 * advocate's flagged referrals (only when a reward of the page is still to reach them); a rewards page that passes
 * over rewards of the referred party reads on at most twice more. The programs are read once each, and each
 * installed {@link ProgressSource} adds its own reads per program.</li>
 * <li>Paging with the returned cursors lists every referral, reward and points entry of the advocate exactly once,
 * newest first, even while new ones are written (they appear at the top, not in later pages).</li>
 * <li>Nothing of another advocate is shown, and nothing of a prospect beyond the company entered with the referral:
 * never their name, e-mail or phone. Rewards of the referred party (the prospect's own incentive) are not
 * listed.</li>
 * <li>Labels come from the message bundle {@code io.referrals.core.view.advocate_view} (English, and German in
 * {@code advocate_view_de}); a language without a bundle gets the builder's {@link Builder#locale locale}.</li>
 * </ul>
 *
 * <p>Progress toward the next reward, tier or contest rank comes from the {@link ProgressSource}s installed on the
 * engine (the rules engine of {@code referral-rules} registers one).
 */
public final class AdvocateViews {
    private static final Logger LOG = LoggerFactory.getLogger(AdvocateViews.class);
    /** The largest page a caller may ask for. */
    public static final int MAX_PAGE_SIZE = 100;
    /** The most flagged referrals of an advocate read to tell which rewards wait for a review. */
    private static final int FLAGGED_READ = 1000;
    /** The most reads a rewards page makes to fill itself when it skips the referred party's rewards. */
    private static final int REWARD_READS = 3;

    private final TransactionRunner store;
    private final Clock clock;
    private final List<ProgressSource> sources;
    private final ReferralLinks links;
    private final Locale defaultLocale;
    private final ZoneId zone;

    private AdvocateViews(Installation installation, ReferralLinks links, Locale defaultLocale, ZoneId zone) {
        this.store = installation.transactions();
        this.clock = installation.clock();
        this.sources = installation.progressSources();
        this.links = links;
        this.defaultLocale = defaultLocale;
        this.zone = zone;
        LOG.debug("advocate views installed: links {}, locale {}, zone {}", links != null, defaultLocale, zone);
    }

    /** A builder without share links, with English labels and dates in UTC. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The advocate's view: their programs (by program id), points balance, and the first page of their referrals,
     * rewards and points history.
     *
     * @param locale the language of the labels
     * @param pageSize the most lines of each list, 1 to {@value #MAX_PAGE_SIZE}
     * @throws NotFoundException if the advocate does not exist
     * @throws ValidationException {@code pageSize} {@code out_of_range}
     */
    public AdvocateView view(AdvocateId advocateId, Locale locale, int pageSize) {
        Objects.requireNonNull(advocateId, "advocateId");
        ViewLabels labels = labels(locale);
        checkPageSize(pageSize);
        return store.inStore(tx -> {
            Advocate advocate = advocate(tx, advocateId);
            Instant now = clock.instant();
            Map<ProgramId, Program> programs = new HashMap<>();
            List<ProgramCard> cards = cards(tx, advocate, programs, labels.locale());
            Page<ReferralLine> referrals = referralPage(tx, advocateId, Before.first(), pageSize, labels, programs);
            Page<RewardLine> rewards = rewardPage(tx, advocateId, Before.first(), pageSize, labels, now);
            Page<PointsLine> points = pointsPage(tx, advocateId, Before.first(), pageSize, labels);
            return new AdvocateView(advocateId, advocate.displayName(), cards, referrals, rewards,
                    tx.ledger().balance(advocateId), points);
        });
    }

    /**
     * A page of the advocate's referrals, newest submitted first.
     *
     * @param cursor the {@link Page#next() next} cursor of the page before, or the empty string for the first page
     * @throws NotFoundException if the advocate does not exist
     * @throws ValidationException {@code cursor} {@code invalid} (not a cursor of this list), or {@code pageSize}
     *     {@code out_of_range} (not 1 to {@value #MAX_PAGE_SIZE})
     */
    public Page<ReferralLine> referrals(AdvocateId advocateId, String cursor, int pageSize, Locale locale) {
        return page(advocateId, cursor, pageSize, locale, ViewCursor.Feed.REFERRALS,
                (tx, before, labels) -> referralPage(tx, advocateId, before, pageSize, labels, new HashMap<>()));
    }

    /**
     * A page of the advocate's rewards, newest earned first. A page may hold fewer than {@code pageSize} rewards
     * although another follows, when it passed over rewards of the referred party.
     *
     * @param cursor the {@link Page#next() next} cursor of the page before, or the empty string for the first page
     * @throws NotFoundException if the advocate does not exist
     * @throws ValidationException {@code cursor} {@code invalid} (not a cursor of this list), or {@code pageSize}
     *     {@code out_of_range} (not 1 to {@value #MAX_PAGE_SIZE})
     */
    public Page<RewardLine> rewards(AdvocateId advocateId, String cursor, int pageSize, Locale locale) {
        return page(advocateId, cursor, pageSize, locale, ViewCursor.Feed.REWARDS,
                (tx, before, labels) -> rewardPage(tx, advocateId, before, pageSize, labels, clock.instant()));
    }

    /**
     * A page of the advocate's points history, newest first.
     *
     * @param cursor the {@link Page#next() next} cursor of the page before, or the empty string for the first page
     * @throws NotFoundException if the advocate does not exist
     * @throws ValidationException {@code cursor} {@code invalid} (not a cursor of this list), or {@code pageSize}
     *     {@code out_of_range} (not 1 to {@value #MAX_PAGE_SIZE})
     */
    public Page<PointsLine> points(AdvocateId advocateId, String cursor, int pageSize, Locale locale) {
        return page(advocateId, cursor, pageSize, locale, ViewCursor.Feed.POINTS,
                (tx, before, labels) -> pointsPage(tx, advocateId, before, pageSize, labels));
    }

    /** Reads one page of one list. */
    private interface PageRead<T> {
        Page<T> read(StoreTransaction tx, Before before, ViewLabels labels);
    }

    private <T> Page<T> page(AdvocateId advocateId, String cursor, int pageSize, Locale locale, ViewCursor.Feed feed,
            PageRead<T> read) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(cursor, "cursor");
        ViewLabels labels = labels(locale);
        checkPageSize(pageSize);
        Before before = ViewCursor.decode(feed, cursor);
        return store.inStore(tx -> {
            advocate(tx, advocateId);
            return read.read(tx, before, labels);
        });
    }

    private ViewLabels labels(Locale locale) {
        return ViewLabels.of(Objects.requireNonNull(locale, "locale"), defaultLocale, zone);
    }

    private static void checkPageSize(int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw ValidationException.of("pageSize", "out_of_range", "must be 1 to " + MAX_PAGE_SIZE);
        }
    }

    private static Advocate advocate(StoreTransaction tx, AdvocateId advocateId) {
        return tx.advocates().get(advocateId).orElseThrow(() -> new NotFoundException("advocate",
                advocateId.value()));
    }

    private List<ProgramCard> cards(StoreTransaction tx, Advocate advocate, Map<ProgramId, Program> programs,
            Locale locale) {
        List<ReferralCode> codes = tx.codes().ofAdvocate(advocate.id());
        List<ProgramCard> cards = new ArrayList<>();
        for (Enrolment e : tx.advocates().enrolments(advocate.id())) {
            Optional<Program> found = program(tx, e.programId(), programs);
            if (found.isEmpty()) {
                continue;
            }
            Program p = found.get();
            List<ShareCode> shared = new ArrayList<>();
            for (ReferralCode c : codes) {
                if (c.isActive() && c.programId().equals(p.id())) {
                    shared.add(new ShareCode(c.code(), Optional.ofNullable(links).map(l -> l.link(c.code()))));
                }
            }
            cards.add(new ProgramCard(p.id(), p.name(), p.kind(), advocate.optedOut(), shared,
                    progress(tx, advocate.id(), p.id(), locale)));
        }
        return cards;
    }

    private List<Progress> progress(StoreTransaction tx, AdvocateId advocateId, ProgramId programId, Locale locale) {
        List<Progress> all = new ArrayList<>();
        for (ProgressSource source : sources) {
            try {
                all.addAll(source.progress(tx, advocateId, programId, locale));
            } catch (RuntimeException e) {
                LOG.warn("progress source {} failed for advocate {} in program {}; left out of the view",
                        source.getClass().getName(), advocateId, programId, e);
            }
        }
        return all;
    }

    private static Optional<Program> program(StoreTransaction tx, ProgramId id, Map<ProgramId, Program> programs) {
        Program p = programs.get(id);
        if (p == null) {
            p = tx.programs().get(id).orElse(null);
            if (p != null) {
                programs.put(id, p);
            }
        }
        return Optional.ofNullable(p);
    }

    private Page<ReferralLine> referralPage(StoreTransaction tx, AdvocateId advocateId, Before before, int size,
            ViewLabels labels, Map<ProgramId, Program> programs) {
        List<Referral> rows = tx.referrals().ofAdvocate(advocateId, before, size + 1);
        List<Referral> shown = rows.size() > size ? rows.subList(0, size) : rows;
        List<ReferralId> moved = new ArrayList<>();
        for (Referral r : shown) {
            if (!r.advocateId().equals(advocateId)) {
                throw new IllegalStateException("the store returned referral " + r.id() + " of another advocate");
            }
            if (r.timelineLength() > 0) {
                moved.add(r.id());
            }
        }
        Map<ReferralId, TimelineEntry> lastMoves = moved.isEmpty() ? Map.of() : tx.timelines().latest(moved);
        List<ReferralLine> lines = new ArrayList<>(shown.size());
        for (Referral r : shown) {
            Optional<Program> program = program(tx, r.programId(), programs);
            ReferralState state = state(r, program);
            lines.add(new ReferralLine(r.id(), r.programId(), r.prospect().company(), state, label(r, state, labels),
                    reason(r, lastMoves), r.submittedAt(), r.updatedAt()));
        }
        Optional<String> next = rows.size() > size ? Optional.of(ViewCursor.encode(ViewCursor.Feed.REFERRALS,
                new Before(last(shown).submittedAt(), last(shown).id().value()))) : Optional.empty();
        return new Page<>(lines, next);
    }

    private static ReferralState state(Referral r, Optional<Program> program) {
        if (r.review() == ReviewStatus.FLAGGED) {
            return ReferralState.UNDER_REVIEW;
        }
        if (r.review() == ReviewStatus.DENIED) {
            return ReferralState.NOT_QUALIFIED;
        }
        Optional<Outcome> outcome = r.outcome();
        if (outcome.isPresent()) {
            return outcome.get() == Outcome.WON ? ReferralState.WON : ReferralState.NOT_QUALIFIED;
        }
        Stage initial = program.map(p -> p.pipeline().initial()).orElse(Stage.SUBMITTED);
        return r.stage().equals(initial) ? ReferralState.SUBMITTED : ReferralState.IN_PROGRESS;
    }

    private static String label(Referral r, ReferralState state, ViewLabels labels) {
        if (state == ReferralState.UNDER_REVIEW) {
            return labels.state(state);
        }
        if (r.review() == ReviewStatus.DENIED && r.outcome().isEmpty()) {
            return labels.stage(Stage.REJECTED);
        }
        return labels.stage(r.stage());
    }

    /**
     * Why the referral stands where it does, safe to show the advocate: the latest eligibility finding while it is
     * reviewed or once it was refused, else the reason recorded with its last move (from {@code lastMoves}), if any,
     * unless a CRM sync made that move: a CRM's reason (a loss reason, a sales note) is written for the sales team, not
     * for advocates, so the view shows the stage label alone there (messages map loss reasons to advocate-safe wording).
     */
    private static Optional<Reason> reason(Referral r, Map<ReferralId, TimelineEntry> lastMoves) {
        boolean refused = r.review() == ReviewStatus.DENIED || r.review() == ReviewStatus.FLAGGED;
        if (refused && !r.findings().isEmpty()) {
            return Optional.of(last(r.findings()));
        }
        TimelineEntry move = lastMoves.get(r.id());
        if (move != null && !move.reason().isBlank() && move.cause().kind() != TransitionCause.Kind.CRM_SYNC) {
            return Optional.of(Reason.of("stage_" + move.to().name(), move.reason()));
        }
        if (r.outcome().isPresent() && !r.findings().isEmpty()) {
            return Optional.of(last(r.findings()));
        }
        return Optional.empty();
    }

    private Page<RewardLine> rewardPage(StoreTransaction tx, AdvocateId advocateId, Before before, int size,
            ViewLabels labels, Instant now) {
        List<Reward> shown = new ArrayList<>(size);
        Before at = before;
        Reward lastTaken = null;
        boolean more = false;
        for (int read = 0; read < REWARD_READS; read++) {
            List<Reward> rows = tx.rewards().ofAdvocate(advocateId, at, size + 1);
            int taken = 0;
            while (taken < rows.size() && shown.size() < size) {
                Reward r = rows.get(taken++);
                if (!r.advocateId().equals(advocateId)) {
                    throw new IllegalStateException("the store returned reward " + r.id() + " of another advocate");
                }
                lastTaken = r;
                if (r.beneficiary() == Beneficiary.ADVOCATE) {
                    shown.add(r);
                }
            }
            if (taken < rows.size()) {
                more = true;
                break;
            }
            if (rows.size() <= size) {
                more = false;
                break;
            }
            // every row read was taken, and more may follow: read on (or, out of reads, let the next page look)
            at = new Before(lastTaken.createdAt(), lastTaken.id().value());
            more = true;
        }
        Set<ReferralId> flagged = flaggedReferrals(tx, advocateId, shown);
        List<RewardLine> lines = new ArrayList<>(shown.size());
        for (Reward r : shown) {
            Optional<ReferralId> referral = r.source().kind() == RewardSource.Kind.REFERRAL
                    ? Optional.of(ReferralId.of(r.source().id())) : Optional.empty();
            lines.add(new RewardLine(r.id(), r.programId(), referral, labels.incentive(r.incentive()), r.status(),
                    labels.rewardStatus(r.status()), pending(r, referral.map(flagged::contains).orElse(false),
                            labels, now), r.createdAt()));
        }
        Optional<String> next = more && lastTaken != null ? Optional.of(ViewCursor.encode(ViewCursor.Feed.REWARDS,
                new Before(lastTaken.createdAt(), lastTaken.id().value()))) : Optional.empty();
        return new Page<>(lines, next);
    }

    /**
     * The referrals of {@code rewards} held for review: read only when a reward of the page is still to reach the
     * advocate, with one query for all of the advocate's flagged referrals.
     */
    private static Set<ReferralId> flaggedReferrals(StoreTransaction tx, AdvocateId advocateId, List<Reward> rewards) {
        boolean needed = rewards.stream().anyMatch(r -> r.source().kind() == RewardSource.Kind.REFERRAL
                && (r.status() == RewardStatus.PENDING || r.status() == RewardStatus.APPROVED
                        || r.status() == RewardStatus.FAILED));
        if (!needed) {
            return Set.of();
        }
        Set<ReferralId> flagged = new HashSet<>();
        for (Referral r : tx.referrals().find(ReferralQuery.builder().advocate(advocateId)
                .review(ReviewStatus.FLAGGED).limit(FLAGGED_READ).build())) {
            flagged.add(r.id());
        }
        return flagged;
    }

    /**
     * Why {@code r} has not reached the advocate: its referral's review, its holding period, or a reason code of its
     * explanation ({@link PendingReason#WAITING_FOR_DEAL_CODE}, {@link PendingReason#BUDGET_REACHED_CODE}); an
     * approved (or failed) reward is being issued.
     */
    private static Optional<PendingReason> pending(Reward r, boolean referralFlagged, ViewLabels labels, Instant now) {
        boolean open = r.status() == RewardStatus.PENDING || r.status() == RewardStatus.APPROVED
                || r.status() == RewardStatus.FAILED;
        if (!open) {
            return Optional.empty();
        }
        if (referralFlagged || awaitingReview(r)) {
            return Optional.of(reason(PendingReason.Kind.UNDER_REVIEW, null, labels));
        }
        if (r.status() != RewardStatus.PENDING) {
            return Optional.of(reason(PendingReason.Kind.FULFILMENT_IN_PROGRESS, null, labels));
        }
        if (r.holdUntil().isAfter(now)) {
            return Optional.of(reason(PendingReason.Kind.HOLDING_PERIOD, r.holdUntil(), labels));
        }
        for (int i = r.explanation().size() - 1; i >= 0; i--) {
            String code = r.explanation().get(i).code();
            if (code.equals(PendingReason.WAITING_FOR_DEAL_CODE)) {
                return Optional.of(reason(PendingReason.Kind.WAITING_FOR_DEAL, null, labels));
            }
            if (code.equals(PendingReason.BUDGET_REACHED_CODE)) {
                return Optional.of(reason(PendingReason.Kind.BUDGET_REACHED, null, labels));
            }
        }
        return Optional.empty();
    }

    /** The review hold the rules engine writes ({@code review_pending}), not released since ({@code review_cleared}). */
    private static boolean awaitingReview(Reward r) {
        boolean held = false;
        for (Reason x : r.explanation()) {
            if (x.code().equals("review_pending")) {
                held = true;
            } else if (x.code().equals("review_cleared")) {
                held = false;
            }
        }
        return held;
    }

    private static PendingReason reason(PendingReason.Kind kind, Instant until, ViewLabels labels) {
        return new PendingReason(kind, Optional.ofNullable(until), labels.pending(kind, until));
    }

    private Page<PointsLine> pointsPage(StoreTransaction tx, AdvocateId advocateId, Before before, int size,
            ViewLabels labels) {
        List<LedgerEntry> rows = tx.ledger().entries(advocateId, before, size + 1);
        List<LedgerEntry> shown = rows.size() > size ? rows.subList(0, size) : rows;
        List<PointsLine> lines = new ArrayList<>(shown.size());
        for (LedgerEntry e : shown) {
            if (!e.advocateId().equals(advocateId)) {
                throw new IllegalStateException("the store returned ledger entry " + e.id() + " of another advocate");
            }
            lines.add(new PointsLine(e.id(), e.points(), e.reason().isBlank() ? labels.ledger(e.kind()) : e.reason(),
                    e.at()));
        }
        Optional<String> next = rows.size() > size ? Optional.of(ViewCursor.encode(ViewCursor.Feed.POINTS,
                new Before(last(shown).at(), last(shown).id().value()))) : Optional.empty();
        return new Page<>(lines, next);
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    /** Configures {@link AdvocateViews}. Not thread-safe. */
    public static final class Builder {
        private ReferralLinks links;
        private Locale locale = Locale.ENGLISH;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder() {
        }

        /** Share links for the advocate's codes; without them a {@link ShareCode} has no link. */
        public Builder links(ReferralLinks links) {
            this.links = Objects.requireNonNull(links, "links");
            return this;
        }

        /**
         * The language of the labels when the caller's language has no bundle (English and German ship); English by
         * default.
         */
        public Builder locale(Locale locale) {
            this.locale = Objects.requireNonNull(locale, "locale");
            return this;
        }

        /** The time zone of dates in texts, such as the end of a holding period; UTC by default. */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * The extension: install it with {@link ReferralEngine.Builder#install}, then get the service with
         * {@link ReferralEngine#extension}. Later changes to this builder do not affect it.
         */
        public Extension<AdvocateViews> build() {
            ReferralLinks l = links;
            Locale loc = locale;
            ZoneId z = zone;
            return installation -> new AdvocateViews(installation, l, loc, z);
        }
    }
}
