package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.extension.Extension;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.view.AdvocateView;
import io.referrals.core.view.Page;
import io.referrals.core.view.PendingReason;
import io.referrals.core.view.PointsLine;
import io.referrals.core.view.Progress;
import io.referrals.core.view.ReferralLine;
import io.referrals.core.view.ReferralState;
import io.referrals.core.view.RewardLine;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The advocate's view")
class AdvocateViewsTest {
    private final Extension<AdvocateViews> extension = AdvocateViews.builder()
            .links(ReferralLinks.to(URI.create("https://example.com/refer"))).build();
    private final AtomicInteger progressCalls = new AtomicInteger();
    private final TestWorld w = new TestWorld(b -> b.install(extension).install(installation -> {
        installation.progress((tx, advocate, program, locale) -> {
            progressCalls.incrementAndGet();
            return List.of(new Progress(Progress.Kind.TIER, "Gold", 1, 3, "1 of 3 for gold"));
        });
        installation.progress((tx, advocate, program, locale) -> {
            throw new IllegalStateException("a broken source");
        });
        return "progress";
    }));
    private final AdvocateViews views = w.engine.extension(extension);
    private final Program program = w.activeProgram();
    private final Advocate jane = w.enrolledAdvocate(program);

    @Test
    @DisplayName("shows the advocate's programs with their active codes, share links and progress")
    void programsCodesAndProgress() {
        w.engine.issueVanityCode(jane.id(), program.id(), "JANE-ACME");
        String revoked = w.engine.issueCode(jane.id(), program.id()).code();
        w.engine.revokeCode(revoked);

        AdvocateView v = views.view(jane.id(), Locale.ENGLISH, 10);

        assertThat(v.displayName()).isEqualTo("Jane Doe");
        assertThat(v.programs()).singleElement().satisfies(card -> {
            assertThat(card.programId()).isEqualTo(program.id());
            assertThat(card.name()).isEqualTo("Customer Referrals");
            assertThat(card.optedOut()).isFalse();
            assertThat(card.codes()).singleElement().satisfies(c -> {
                assertThat(c.code()).isEqualTo("JANE-ACME");
                assertThat(c.link()).contains(URI.create("https://example.com/refer?ref=JANE-ACME"));
            });
            assertThat(card.progress()).extracting(Progress::text).containsExactly("1 of 3 for gold");
        });
        assertThat(progressCalls).hasValue(1);
    }

    @Test
    @DisplayName("progress sources are registered while an extension installs, never later")
    void progressSourcesOnlyDuringInstall() {
        java.util.concurrent.atomic.AtomicReference<io.referrals.core.extension.Installation> kept =
                new java.util.concurrent.atomic.AtomicReference<>();
        ReferralEngine.builder().install(installation -> {
            kept.set(installation);
            return "kept";
        }).build();

        assertThatThrownBy(() -> kept.get().progress((tx, a, p, l) -> List.of()))
                .isInstanceOf(IllegalStateException.class);
        assertThat(kept.get().progressSources()).isEmpty();
    }

    @Test
    @DisplayName("writes each referral's status for the advocate, with when it last moved and why")
    void referralLabels() {
        Referral fresh = w.captured(jane, program);
        w.clock.advance(Duration.ofHours(1));
        Referral met = w.captured(jane, program);
        w.clock.advance(Duration.ofHours(1));
        w.engine.transition(TransitionRequest.of(met.id(), Stage.MEETING_HELD, TransitionCause.rep("rep-1")));
        Referral won = w.captured(jane, program);
        w.engine.transition(TransitionRequest.of(won.id(), Stage.WON, TransitionCause.rep("rep-1")));
        w.clock.advance(Duration.ofHours(1));
        Referral lost = w.captured(jane, program);
        w.clock.advance(Duration.ofMinutes(5));
        w.engine.transition(new TransitionRequest(lost.id(), Stage.LOST, TransitionCause.rep("rep-1"),
                "They chose to wait a year.", ""));

        List<ReferralLine> lines = views.view(jane.id(), Locale.ENGLISH, 10).referrals().items();

        assertThat(lines).extracting(ReferralLine::id).containsExactly(lost.id(), won.id(), met.id(), fresh.id());
        assertThat(lines).extracting(ReferralLine::state).containsExactly(ReferralState.NOT_QUALIFIED,
                ReferralState.WON, ReferralState.IN_PROGRESS, ReferralState.SUBMITTED);
        assertThat(lines).extracting(ReferralLine::label).containsExactly("Did not go ahead", "Became a customer",
                "Meeting held", "Received");
        assertThat(lines.get(0).reason()).map(Reason::text).contains("They chose to wait a year.");
        assertThat(lines.get(0).lastMovedAt()).isEqualTo(w.clock.instant());
        assertThat(lines.get(3).reason()).isEmpty();
        assertThat(lines).allSatisfy(l -> assertThat(l.company()).isEqualTo("Initech"));
    }

    @Test
    @DisplayName("never shows the reason a CRM gave for a move: it is written for the sales team, not the advocate")
    void crmReasonsStayInternal() {
        Referral lost = w.captured(jane, program);
        w.engine.transition(new TransitionRequest(lost.id(), Stage.LOST, TransitionCause.crm("salesforce"),
                "Champion Bob Smith left; budget cut", "006Dn000004ABC"));

        ReferralLine line = views.view(jane.id(), Locale.ENGLISH, 10).referrals().items().get(0);

        assertThat(line.state()).isEqualTo(ReferralState.NOT_QUALIFIED);
        assertThat(line.label()).isEqualTo("Did not go ahead");
        assertThat(line.reason()).isEmpty();
    }

    @Test
    @DisplayName("labels in German when asked, and in the default language for a language without labels")
    void germanLabels() {
        Referral won = w.captured(jane, program);
        w.engine.transition(TransitionRequest.of(won.id(), Stage.WON, TransitionCause.rep("rep-1")));
        insertReward(jane, won, RewardStatus.PENDING, w.clock.instant().plus(Duration.ofDays(30)), List.of(),
                new Incentive.Cash(Money.of("100", "EUR"), true));

        AdvocateView de = views.view(jane.id(), Locale.GERMANY, 10);
        assertThat(de.referrals().items()).extracting(ReferralLine::label).containsExactly("Ist Kunde geworden");
        RewardLine reward = de.rewards().items().get(0);
        assertThat(reward.statusLabel()).isEqualTo("Ausstehend");
        assertThat(reward.description().replace('\u00a0', ' ')).isEqualTo("100 € Guthaben");
        assertThat(reward.pending()).map(PendingReason::text).contains("Zurückgehalten bis 2. April 2025.");

        AdvocateView fr = views.view(jane.id(), Locale.FRENCH, 10);
        assertThat(fr.referrals().items()).extracting(ReferralLine::label).containsExactly("Became a customer");
        assertThat(fr.rewards().items().get(0).description()).isEqualTo("€100 account credit");
        assertThat(fr.rewards().items().get(0).pending()).map(PendingReason::text)
                .contains("On hold until April 2, 2025.");
    }

    @Test
    @DisplayName("reads a custom stage without a label as its name in words")
    void customStage() {
        Program custom = w.engine.defineProgram(Program.builder(ProgramId.of("partners"), "Partners",
                ProgramKind.PARTNER).status(ProgramStatus.ACTIVE).pipeline(StagePipeline.builder()
                        .stage("registered").stage("needs_analysis").terminal("closed_won", Outcome.WON)
                        .transition("registered", "needs_analysis", "closed_won")
                        .transition("needs_analysis", "closed_won").build()).build());
        w.engine.enrol(jane.id(), custom.id());
        Referral r = w.captured(jane, custom);
        w.engine.transition(TransitionRequest.of(r.id(), Stage.of("needs_analysis"), TransitionCause.rep("rep-1")));

        ReferralLine line = views.view(jane.id(), Locale.ENGLISH, 10).referrals().items().get(0);
        assertThat(line.label()).isEqualTo("Needs analysis");
        assertThat(line.state()).isEqualTo(ReferralState.IN_PROGRESS);
    }

    @Test
    @DisplayName("says why each reward is pending")
    void pendingReasons() {
        Referral clear = w.captured(jane, program);
        var now = w.clock.instant();
        Reward held = insertReward(jane, clear, RewardStatus.PENDING, now.plus(Duration.ofDays(14)), List.of(),
                new Incentive.Points(500));
        Reward deal = insertReward(jane, clear, RewardStatus.PENDING, now, List.of(Reason.of(
                PendingReason.WAITING_FOR_DEAL_CODE, "Paid when the deal closes.")), new Incentive.Points(10));
        Reward budget = insertReward(jane, clear, RewardStatus.PENDING, now, List.of(Reason.of(
                PendingReason.WAITING_FOR_DEAL_CODE, "Paid when the deal closes."), Reason.of(
                PendingReason.BUDGET_REACHED_CODE, "Budget used up.")), new Incentive.Points(20));
        Reward approved = insertReward(jane, clear, RewardStatus.APPROVED, now, List.of(),
                new Incentive.GiftCard(Money.of("50", "USD"), "Acme"));
        Reward paid = insertReward(jane, clear, RewardStatus.FULFILLED, now, List.of(), new Incentive.Points(30));
        Reward waiting = insertReward(jane, clear, RewardStatus.PENDING, now, List.of(), new Incentive.Points(40));
        Reward reviewed = insertReward(jane, clear, RewardStatus.PENDING, now, List.of(Reason.of("review_pending",
                "Held until your referral has been reviewed.")), new Incentive.Points(50));
        Reward released = insertReward(jane, clear, RewardStatus.PENDING, now.plus(Duration.ofDays(1)), List.of(
                Reason.of("review_pending", "Held."), Reason.of("review_cleared", "Passed.")),
                new Incentive.Points(60));

        List<RewardLine> lines = views.view(jane.id(), Locale.ENGLISH, 20).rewards().items();

        assertThat(kind(lines, held)).contains(PendingReason.Kind.HOLDING_PERIOD);
        assertThat(line(lines, held).pending().flatMap(PendingReason::until)).contains(held.holdUntil());
        assertThat(kind(lines, deal)).contains(PendingReason.Kind.WAITING_FOR_DEAL);
        assertThat(kind(lines, budget)).contains(PendingReason.Kind.BUDGET_REACHED);
        assertThat(kind(lines, approved)).contains(PendingReason.Kind.FULFILMENT_IN_PROGRESS);
        assertThat(line(lines, approved).description()).isEqualTo("$50 Acme gift card");
        assertThat(kind(lines, paid)).isEmpty();
        assertThat(line(lines, paid).statusLabel()).isEqualTo("Received");
        assertThat(kind(lines, waiting)).isEmpty();
        assertThat(kind(lines, reviewed)).contains(PendingReason.Kind.UNDER_REVIEW);
        assertThat(kind(lines, released)).contains(PendingReason.Kind.HOLDING_PERIOD);
        assertThat(line(lines, held).referralId()).contains(clear.id());
        assertThat(line(lines, held).description()).isEqualTo("500 points");
    }

    @Test
    @DisplayName("shows the rewards of a referral held for review as waiting for the review")
    void flaggedReferral() {
        Referral r = w.captured(jane, program);
        w.store.inTransaction(tx -> tx.referrals().update(r.toBuilder().review(
                io.referrals.core.model.ReviewStatus.FLAGGED).findings(List.of(Reason.of("duplicate_prospect",
                        "Someone else referred this company first."))).version(r.version() + 1).build()));
        Reward reward = insertReward(jane, r, RewardStatus.PENDING, w.clock.instant().plus(Duration.ofDays(3)),
                List.of(), new Incentive.Points(100));

        AdvocateView v = views.view(jane.id(), Locale.ENGLISH, 10);

        assertThat(v.referrals().items().get(0).state()).isEqualTo(ReferralState.UNDER_REVIEW);
        assertThat(v.referrals().items().get(0).label()).isEqualTo("Being reviewed");
        assertThat(v.referrals().items().get(0).reason()).map(Reason::code).contains("duplicate_prospect");
        assertThat(kind(v.rewards().items(), reward)).contains(PendingReason.Kind.UNDER_REVIEW);
    }

    @Test
    @DisplayName("never lists the referred party's own rewards")
    void referredPartyRewardsHidden() {
        Referral r = w.captured(jane, program);
        Reward mine = insertReward(jane, r, RewardStatus.FULFILLED, w.clock.instant(), List.of(),
                new Incentive.Points(100));
        w.store.inTransaction(tx -> {
            tx.rewards().insert(Reward.builder(RewardId.random(), program.id(), jane.id())
                    .beneficiary(Beneficiary.REFERRED_PARTY).source(RewardSource.referral(r.id())).rule("friend", 1)
                    .milestone("stage:submitted").incentive(new Incentive.Perk("trial", "A free trial"))
                    .status(RewardStatus.APPROVED).createdAt(w.clock.instant().plusSeconds(1)).build());
            return null;
        });

        assertThat(all(c -> views.rewards(jane.id(), c, 1, Locale.ENGLISH))).extracting(RewardLine::id)
                .containsExactly(mine.id());
    }

    @Nested
    @DisplayName("pages")
    class Paging {

        @Test
        @DisplayName("list every referral, reward and points entry exactly once, newest first")
        void exactlyOnce() {
            List<ReferralId> referrals = new ArrayList<>();
            List<RewardId> rewards = new ArrayList<>();
            List<LedgerEntryId> entries = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                Referral r = w.captured(jane, program);
                referrals.add(0, r.id());
                rewards.add(0, insertReward(jane, r, RewardStatus.FULFILLED, w.clock.instant(), List.of(),
                        new Incentive.Points(10)).id());
                entries.add(0, credit(jane, 10).id());
                if (i % 3 != 0) {
                    w.clock.advance(Duration.ofSeconds(1));   // some rows share a time: the id orders them
                }
            }
            Advocate other = w.advocate("other", "Other Advocate");
            w.engine.enrol(other.id(), program.id());
            Referral theirs = w.captured(other, program);
            insertReward(other, theirs, RewardStatus.FULFILLED, w.clock.instant(), List.of(),
                    new Incentive.Points(10));
            credit(other, 10);

            AdvocateView first = views.view(jane.id(), Locale.ENGLISH, 5);
            assertThat(first.referrals().items()).hasSize(5);
            assertThat(first.referrals().next()).isPresent();
            assertThat(first.pointsBalance()).isEqualTo(230);

            List<ReferralId> seenReferrals = all(c -> views.referrals(jane.id(), c, 5, Locale.ENGLISH)).stream()
                    .map(ReferralLine::id).toList();
            List<RewardId> seenRewards = all(c -> views.rewards(jane.id(), c, 4, Locale.ENGLISH)).stream()
                    .map(RewardLine::id).toList();
            List<LedgerEntryId> seenEntries = all(c -> views.points(jane.id(), c, 7, Locale.ENGLISH)).stream()
                    .map(PointsLine::id).toList();
            assertThat(seenReferrals).hasSameElementsAs(referrals).doesNotHaveDuplicates().hasSize(23);
            assertThat(seenRewards).hasSameElementsAs(rewards).doesNotHaveDuplicates().hasSize(23);
            assertThat(seenEntries).hasSameElementsAs(entries).doesNotHaveDuplicates().hasSize(23);
        }

        @Test
        @DisplayName("end with no next cursor when the last page is full")
        void lastFullPage() {
            for (int i = 0; i < 4; i++) {
                w.captured(jane, program);
                w.clock.advance(Duration.ofSeconds(1));
            }
            Page<ReferralLine> first = views.referrals(jane.id(), "", 2, Locale.ENGLISH);
            Page<ReferralLine> second = views.referrals(jane.id(), first.next().orElseThrow(), 2, Locale.ENGLISH);
            assertThat(second.items()).hasSize(2);
            assertThat(second.next()).isEmpty();
        }

        @Test
        @DisplayName("refuse a malformed cursor, a cursor of another list and a page size out of range")
        void badCursors() {
            for (int i = 0; i < 3; i++) {
                w.captured(jane, program);
            }
            String referralCursor = views.referrals(jane.id(), "", 1, Locale.ENGLISH).next().orElseThrow();

            for (String bad : List.of("not a cursor", "%%%", "eA", "x".repeat(1000), referralCursor + "A")) {
                assertThatThrownBy(() -> views.referrals(jane.id(), bad, 5, Locale.ENGLISH))
                        .isInstanceOf(ValidationException.class).satisfies(e -> assertThat(
                                ((ValidationException) e).errors()).extracting(f -> f.field()).containsExactly(
                                        "cursor"));
            }
            assertThatThrownBy(() -> views.rewards(jane.id(), referralCursor, 5, Locale.ENGLISH))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> views.points(jane.id(), referralCursor, 5, Locale.ENGLISH))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> views.view(jane.id(), Locale.ENGLISH, 0))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> views.referrals(jane.id(), "", 101, Locale.ENGLISH))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> views.view(AdvocateId.random(), Locale.ENGLISH, 5))
                    .isInstanceOf(NotFoundException.class);
            assertThatThrownBy(() -> views.referrals(AdvocateId.random(), referralCursor, 5, Locale.ENGLISH))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    @DisplayName("reads in one transaction, with as many store calls for a long history as for a short one")
    void boundedReads() {
        CountingStore counting = new CountingStore(w.store);
        Extension<AdvocateViews> ext = AdvocateViews.builder().build();
        ReferralEngine engine = ReferralEngine.builder().store(counting.proxy()).clock(w.clock).install(ext).build();
        AdvocateViews counted = engine.extension(ext);
        addHistory(3);
        counting.reset();
        counted.view(jane.id(), Locale.ENGLISH, 5);
        int transactionsShort = counting.transactions;
        int callsShort = counting.calls;

        addHistory(60);
        counting.reset();
        AdvocateView v = counted.view(jane.id(), Locale.ENGLISH, 5);
        assertThat(v.referrals().items()).hasSize(5);
        assertThat(counting.transactions).isEqualTo(transactionsShort).isEqualTo(1);
        assertThat(counting.calls).isEqualTo(callsShort).isBetween(8, 12);

        counting.reset();
        counted.referrals(jane.id(), v.referrals().next().orElseThrow(), 5, Locale.ENGLISH);
        assertThat(counting.transactions).isEqualTo(1);
        assertThat(counting.calls).isBetween(3, 4);
    }

    /** {@code n} won referrals of Jane, each with a fulfilled reward and a points entry. */
    private void addHistory(int n) {
        for (int i = 0; i < n; i++) {
            Referral r = w.captured(jane, program);
            w.engine.transition(new TransitionRequest(r.id(), Stage.WON, TransitionCause.rep("rep-1"), "Signed.", ""));
            insertReward(jane, r, RewardStatus.FULFILLED, w.clock.instant(), List.of(), new Incentive.Points(10));
            credit(jane, 10);
            w.clock.advance(Duration.ofSeconds(1));
        }
    }

    /** A store that counts its transactions and the calls made on the areas of its transactions. */
    private static final class CountingStore {
        private final io.referrals.core.storage.ReferralStore delegate;
        int transactions;
        int calls;

        CountingStore(io.referrals.core.storage.ReferralStore delegate) {
            this.delegate = delegate;
        }

        void reset() {
            transactions = 0;
            calls = 0;
        }

        io.referrals.core.storage.ReferralStore proxy() {
            return proxy(io.referrals.core.storage.ReferralStore.class, delegate, (m, args) -> {
                if (m.getName().equals("inTransaction")) {
                    transactions++;
                    @SuppressWarnings("unchecked")
                    Function<io.referrals.core.storage.StoreTransaction, Object> work =
                            (Function<io.referrals.core.storage.StoreTransaction, Object>) args[0];
                    return delegate.inTransaction(tx -> work.apply(proxy(
                            io.referrals.core.storage.StoreTransaction.class, tx, (area, none) -> {
                                Object real = invoke(area, tx, none);
                                return proxy(area.getReturnType(), real, (call, callArgs) -> {
                                    calls++;
                                    return invoke(call, real, callArgs);
                                });
                            })));
                }
                return invoke(m, delegate, args);
            });
        }

        private interface Handler {
            Object handle(java.lang.reflect.Method m, Object[] args);
        }

        private static <T> T proxy(Class<T> type, Object target, Handler handler) {
            if (!type.isInterface()) {
                return type.cast(target);
            }
            return type.cast(java.lang.reflect.Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (p, m, args) -> m.getDeclaringClass() == Object.class ? invoke(m, target, args)
                            : handler.handle(m, args)));
        }

        private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) {
            try {
                return m.invoke(target, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    @DisplayName("shows no personal data of prospects and nothing of other advocates")
    void privacy() {
        w.captured(jane, program);
        Advocate other = w.advocate("other", "Other Advocate");
        w.engine.enrol(other.id(), program.id());
        Referral theirs = w.captured(other, program);
        w.engine.issueVanityCode(other.id(), program.id(), "OTHER-CODE");

        String shown = views.view(jane.id(), Locale.ENGLISH, 100).toString();

        assertThat(shown).doesNotContain("Peter", "Gibbons", "peter.gibbons@initech.com", "555", "Director",
                "user group", theirs.id().value(), other.id().value(), "OTHER-CODE");
        assertThat(shown).contains("Initech");
    }

    private Reward insertReward(Advocate a, Referral r, RewardStatus status, java.time.Instant holdUntil,
            List<Reason> explanation, Incentive incentive) {
        Reward reward = Reward.builder(RewardId.random(), r.programId(), a.id()).source(RewardSource.referral(r.id()))
                .rule("won", 1).milestone("stage:" + RewardId.random().value()).incentive(incentive).status(status)
                .createdAt(w.clock.instant()).holdUntil(holdUntil).explanation(explanation).build();
        w.store.inTransaction(tx -> {
            tx.rewards().insert(reward);
            return null;
        });
        return reward;
    }

    private LedgerEntry credit(Advocate a, long points) {
        LedgerEntry e = new LedgerEntry(LedgerEntryId.random(), a.id(), LedgerEntry.Kind.EARNED, points, "",
                "test:" + LedgerEntryId.random().value(), w.clock.instant(), "");
        w.store.inTransaction(tx -> tx.ledger().append(e));
        return e;
    }

    private static RewardLine line(List<RewardLine> lines, Reward r) {
        return lines.stream().filter(l -> l.id().equals(r.id())).findFirst().orElseThrow();
    }

    private static Optional<PendingReason.Kind> kind(List<RewardLine> lines, Reward r) {
        return line(lines, r).pending().map(PendingReason::kind);
    }

    /** Every item of a list, following the cursors from the first page. */
    private static <T> List<T> all(Function<String, Page<T>> page) {
        List<T> all = new ArrayList<>();
        String cursor = "";
        for (int guard = 0; guard < 1000; guard++) {
            Page<T> p = page.apply(cursor);
            all.addAll(p.items());
            if (p.next().isEmpty()) {
                return all;
            }
            cursor = p.next().get();
        }
        throw new AssertionError("the pages never end");
    }
}
