package io.referrals.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.AdvocateViews;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.ReferralLinks;
import io.referrals.core.TransitionRequest;
import io.referrals.core.error.ValidationException;
import io.referrals.core.extension.Extension;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.view.AdvocateView;
import io.referrals.core.view.Page;
import io.referrals.core.view.PendingReason;
import io.referrals.core.view.PointsLine;
import io.referrals.core.view.ReferralLine;
import io.referrals.core.view.ReferralState;
import io.referrals.core.view.RewardLine;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The advocate's view ({@link AdvocateViews}) end to end on the store under test: an engine with the view installed,
 * real captures and stage moves, rewards and ledger entries written through the SPI, and every page read back through
 * the store's newest-first keyset reads. Part of {@link ReferralStoreContract}.
 */
public abstract class AdvocateViewContract extends EngineContract {

    AdvocateViewContract() {
    }

    @Nested
    @DisplayName("The advocate's view")
    class AdvocateViewChecks {
        private final Extension<AdvocateViews> extension = AdvocateViews.builder()
                .links(ReferralLinks.to(URI.create("https://example.com/refer"))).build();
        private ReferralEngine engine;
        private AdvocateViews views;
        private Program program;
        private Advocate jane;
        private Advocate other;
        private int prospects;

        @BeforeEach
        void seed() {
            engine = Fixtures.engine(store, clock).install(extension).build();
            views = engine.extension(extension);
            program = engine.defineProgram(Program.builder(ProgramId.of("view-prog"), "Customer referrals",
                    ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build());
            jane = engine.registerAdvocate(AdvocateRegistration.of("view-jane", "Jane", "jane@acme.example",
                    AdvocateKind.CUSTOMER));
            other = engine.registerAdvocate(AdvocateRegistration.of("view-other", "Olga", "olga@globex.example",
                    AdvocateKind.CUSTOMER));
            engine.enrol(jane.id(), program.id());
            engine.enrol(other.id(), program.id());
        }

        @Test
        @DisplayName("shows the advocate's program, active codes and share links")
        void programsAndCodes() {
            engine.issueVanityCode(jane.id(), program.id(), "JANE-VIEW");
            engine.issueVanityCode(other.id(), program.id(), "OLGA-VIEW");

            AdvocateView v = views.view(jane.id(), Locale.ENGLISH, 10);

            assertThat(v.displayName()).isEqualTo("Jane");
            assertThat(v.programs()).singleElement().satisfies(card -> {
                assertThat(card.programId()).isEqualTo(program.id());
                assertThat(card.name()).isEqualTo("Customer referrals");
                assertThat(card.codes()).singleElement().satisfies(c -> {
                    assertThat(c.code()).isEqualTo("JANE-VIEW");
                    assertThat(c.link()).contains(URI.create("https://example.com/refer?ref=JANE-VIEW"));
                });
            });
        }

        @Test
        @DisplayName("labels each referral's stage for the advocate, in English and German, with its reason")
        void labelsAndReasons() {
            Referral submitted = capture(jane);
            clock.advance(Duration.ofMinutes(1));
            Referral qualified = capture(jane);
            engine.transition(TransitionRequest.of(qualified.id(), Stage.QUALIFIED, TransitionCause.rep("rep-1")));
            clock.advance(Duration.ofMinutes(1));
            Referral lost = capture(jane);
            clock.advance(Duration.ofMinutes(1));
            engine.transition(new TransitionRequest(lost.id(), Stage.LOST, TransitionCause.rep("rep-1"),
                    "The project was postponed.", ""));
            clock.advance(Duration.ofMinutes(1));
            Referral flagged = capture(jane);
            write(t -> t.referrals().update(flagged.toBuilder().review(ReviewStatus.FLAGGED)
                    .findings(List.of(Reason.of("duplicate_prospect", "Someone referred this company first.")))
                    .version(flagged.version() + 1).build()));

            List<ReferralLine> en = views.view(jane.id(), Locale.ENGLISH, 10).referrals().items();
            assertThat(en).extracting(ReferralLine::id).containsExactly(flagged.id(), lost.id(), qualified.id(),
                    submitted.id());
            assertThat(en).extracting(ReferralLine::state).containsExactly(ReferralState.UNDER_REVIEW,
                    ReferralState.NOT_QUALIFIED, ReferralState.IN_PROGRESS, ReferralState.SUBMITTED);
            assertThat(en).extracting(ReferralLine::label).containsExactly("Being reviewed", "Did not go ahead",
                    "Good fit confirmed", "Received");
            assertThat(en.get(0).reason()).map(Reason::text).contains("Someone referred this company first.");
            assertThat(en.get(1).reason()).map(Reason::text).contains("The project was postponed.");
            assertThat(en.get(1).lastMovedAt()).isEqualTo(lost.submittedAt().plus(Duration.ofMinutes(1)));
            assertThat(en.get(3).reason()).isEmpty();

            List<ReferralLine> de = views.view(jane.id(), Locale.GERMAN, 10).referrals().items();
            assertThat(de).extracting(ReferralLine::label).containsExactly("Wird geprüft", "Kam nicht zustande",
                    "Passt zu uns", "Eingegangen");
        }

        @Test
        @DisplayName("says why each reward is pending")
        void pendingReasons() {
            Referral r = capture(jane);
            Instant now = clock.instant();
            Reward held = reward(jane, r, RewardStatus.PENDING, now.plus(Duration.ofDays(30)), List.of());
            Reward deal = reward(jane, r, RewardStatus.PENDING, now, List.of(Reason.of(
                    PendingReason.WAITING_FOR_DEAL_CODE, "Paid when the deal closes.")));
            Reward budget = reward(jane, r, RewardStatus.PENDING, now, List.of(Reason.of(
                    PendingReason.BUDGET_REACHED_CODE, "The budget is used up.")));
            Reward approved = reward(jane, r, RewardStatus.APPROVED, now, List.of());
            Reward paid = reward(jane, r, RewardStatus.FULFILLED, now, List.of());

            List<RewardLine> lines = views.view(jane.id(), Locale.ENGLISH, 10).rewards().items();

            assertThat(pending(lines, held)).contains(PendingReason.Kind.HOLDING_PERIOD);
            assertThat(line(lines, held).pending().flatMap(PendingReason::until)).contains(held.holdUntil());
            assertThat(pending(lines, deal)).contains(PendingReason.Kind.WAITING_FOR_DEAL);
            assertThat(pending(lines, budget)).contains(PendingReason.Kind.BUDGET_REACHED);
            assertThat(pending(lines, approved)).contains(PendingReason.Kind.FULFILMENT_IN_PROGRESS);
            assertThat(pending(lines, paid)).isEmpty();
            assertThat(line(lines, paid).statusLabel()).isEqualTo("Received");
            assertThat(line(lines, paid).description()).isEqualTo("100 points");
            assertThat(line(lines, paid).referralId()).contains(r.id());

            write(t -> t.referrals().update(r.toBuilder().review(ReviewStatus.FLAGGED)
                    .findings(List.of(Reason.of("velocity_advocate", "Many referrals at once.")))
                    .version(r.version() + 1).build()));
            List<RewardLine> reviewed = views.rewards(jane.id(), "", 10, Locale.GERMAN).items();
            assertThat(pending(reviewed, held)).contains(PendingReason.Kind.UNDER_REVIEW);
            assertThat(line(reviewed, held).pending().map(PendingReason::text))
                    .contains("Wartet, bis Ihre Empfehlung geprüft ist.");
            assertThat(pending(reviewed, paid)).isEmpty();
        }

        @Test
        @DisplayName("pages list every referral, reward and points entry exactly once, newest first, whatever the "
                + "ties in time")
        void pagingExactlyOnce() {
            List<ReferralId> referrals = new ArrayList<>();
            List<RewardId> rewards = new ArrayList<>();
            List<LedgerEntryId> entries = new ArrayList<>();
            for (int i = 0; i < 17; i++) {
                Referral r = capture(jane);
                referrals.add(r.id());
                rewards.add(reward(jane, r, RewardStatus.FULFILLED, clock.instant(), List.of()).id());
                LedgerEntry e = new LedgerEntry(LedgerEntryId.of("view-le-" + i), jane.id(), LedgerEntry.Kind.EARNED,
                        100, "", "view-key-" + i, clock.instant(), "Points for a referral.");
                write(t -> t.ledger().append(e));
                entries.add(e.id());
                capture(other);
                if (i % 4 == 3) {
                    clock.advance(Duration.ofSeconds(1));   // the others share their time: the id orders them
                }
            }

            AdvocateView first = views.view(jane.id(), Locale.ENGLISH, 5);
            assertThat(first.pointsBalance()).isEqualTo(1700);
            assertThat(first.referrals().items()).hasSize(5);
            assertThat(first.referrals().next()).isPresent();

            List<ReferralLine> seenReferrals = all(c -> views.referrals(jane.id(), c, 5, Locale.ENGLISH));
            List<RewardLine> seenRewards = all(c -> views.rewards(jane.id(), c, 3, Locale.ENGLISH));
            List<PointsLine> seenPoints = all(c -> views.points(jane.id(), c, 4, Locale.ENGLISH));
            assertThat(seenReferrals).extracting(ReferralLine::id).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(referrals);
            assertThat(seenRewards).extracting(RewardLine::id).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(rewards);
            assertThat(seenPoints).extracting(PointsLine::id).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(entries);
            assertThat(seenReferrals).extracting(ReferralLine::submittedAt)
                    .isSortedAccordingTo((a, b) -> b.compareTo(a));
            assertThat(seenPoints).extracting(PointsLine::description).containsOnly("Points for a referral.");
        }

        @Test
        @DisplayName("shows no prospect's name, e-mail or phone, and nothing of another advocate")
        void privacy() {
            for (int i = 0; i < 3; i++) {
                Referral mine = capture(jane);
                reward(jane, mine, RewardStatus.PENDING, clock.instant().plus(Duration.ofDays(1)), List.of());
                Referral theirs = capture(other);
                reward(other, theirs, RewardStatus.FULFILLED, clock.instant(), List.of());
                clock.advance(Duration.ofSeconds(1));
            }
            engine.issueVanityCode(other.id(), program.id(), "OLGA-PRIVATE");

            StringBuilder shown = new StringBuilder(views.view(jane.id(), Locale.ENGLISH, 2).toString());
            all(c -> views.referrals(jane.id(), c, 1, Locale.ENGLISH)).forEach(shown::append);
            all(c -> views.rewards(jane.id(), c, 1, Locale.ENGLISH)).forEach(shown::append);

            assertThat(shown.toString()).contains("View Company").doesNotContain("Prospect Person", "prospect-",
                    "@view-company", "+49 30", "OLGA-PRIVATE", other.id().value(), "Olga");
            List<ReferralLine> lines = all(c -> views.referrals(jane.id(), c, 2, Locale.ENGLISH));
            assertThat(lines).hasSize(3);
            List<ReferralId> janes = lines.stream().map(ReferralLine::id).toList();
            tx(t -> janes.stream().map(id -> t.referrals().get(id).orElseThrow().advocateId()).toList())
                    .forEach(a -> assertThat(a).isEqualTo(jane.id()));
        }

        @Test
        @DisplayName("refuses a cursor that is not one of the list's")
        void badCursor() {
            for (int i = 0; i < 3; i++) {
                capture(jane);
            }
            String cursor = views.referrals(jane.id(), "", 1, Locale.ENGLISH).next().orElseThrow();
            assertThatThrownBy(() -> views.rewards(jane.id(), cursor, 1, Locale.ENGLISH))
                    .isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> views.points(jane.id(), "garbage", 1, Locale.ENGLISH))
                    .isInstanceOf(ValidationException.class);
        }

        private Referral capture(Advocate a) {
            int n = ++prospects;
            CaptureResult result = engine.capture(CaptureRequest.builder().advocate(a.id()).program(program.id())
                    .prospect(Prospect.builder().fullName("Prospect Person " + n).email("prospect-" + n
                            + "@view-company" + n + ".example").phone("+49 30 1234 " + n).company("View Company "
                            + n).build())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
            assertThat(result).isInstanceOf(CaptureResult.Accepted.class);
            return ((CaptureResult.Accepted) result).referral();
        }

        private Reward reward(Advocate a, Referral r, RewardStatus status, Instant holdUntil, List<Reason> why) {
            Reward reward = Reward.builder(RewardId.random(), r.programId(), a.id())
                    .source(RewardSource.referral(r.id())).rule("won", 1).milestone("view:" + RewardId.random().value())
                    .incentive(new Incentive.Points(100)).status(status).createdAt(clock.instant())
                    .holdUntil(holdUntil).explanation(why).build();
            write(t -> t.rewards().insert(reward));
            return reward;
        }
    }

    private static RewardLine line(List<RewardLine> lines, Reward r) {
        return lines.stream().filter(l -> l.id().equals(r.id())).findFirst().orElseThrow();
    }

    private static Optional<PendingReason.Kind> pending(List<RewardLine> lines, Reward r) {
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
