package io.referrals.core.moments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.MomentsOfDelight;
import io.referrals.core.ReferralEngine;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.extension.Extension;
import io.referrals.core.insights.Rate;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.insights.TestClock;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.ReferralId;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Moments of delight")
class MomentsOfDelightTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final ProgramId PROGRAM = ProgramId.of("customers");
    static final ProgramId PARTNERS = ProgramId.of("partners");

    TestClock clock;
    ReferralEngine engine;
    MomentsOfDelight moments;
    Advocate ann;
    Advocate bob;
    Advocate cat;
    int ids;

    @BeforeEach
    void setUp() {
        clock = new TestClock(T0);
        InMemoryReferralStore store = new InMemoryReferralStore();
        Extension<MomentsOfDelight> extension = MomentsOfDelight.builder()
                .policy(PARTNERS, AskPolicy.DEFAULT.withCooldown(Duration.ofDays(10))).build();
        engine = ReferralEngine.builder().store(store).clock(clock).install(extension).build();
        moments = engine.extension(extension);
        engine.defineProgram(Program.builder(PROGRAM, "Customers", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
        engine.defineProgram(Program.builder(PARTNERS, "Partners", ProgramKind.PARTNER)
                .status(ProgramStatus.ACTIVE).build());
        ann = advocate("ann");
        bob = advocate("bob");
        cat = advocate("cat");
    }

    private Advocate advocate(String name) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of("crm-" + name, name, "", AdvocateKind.CUSTOMER));
        engine.enrol(a.id(), PROGRAM);
        engine.enrol(a.id(), PARTNERS);
        return a;
    }

    private Moment happened(Advocate who, MomentKind kind, int daysAgo) {
        return moments.recordMoment(Moment.of(MomentId.of("m" + ++ids), who.id(), kind,
                clock.instant().minus(Duration.ofDays(daysAgo)), "a note"));
    }

    private Ask asked(Advocate who, ProgramId program) {
        AskResult r = moments.recordAsk(program, who.id(), "rep-1");
        assertThat(r).isInstanceOf(AskResult.Recorded.class);
        return ((AskResult.Recorded) r).ask();
    }

    private String refusal(Advocate who, ProgramId program) {
        AskResult r = moments.recordAsk(program, who.id(), "rep-1");
        assertThat(r).isInstanceOf(AskResult.Refused.class);
        return ((AskResult.Refused) r).reason().code();
    }

    private List<Advocate> whoToAsk(ProgramId program) {
        List<Advocate> out = new ArrayList<>();
        for (AskCandidate c : moments.whoToAsk(program, 10)) {
            out.add(engine.advocate(c.advocateId()).orElseThrow());
        }
        return out;
    }

    @Nested
    @DisplayName("who to ask")
    class WhoToAsk {
        @Test
        void ranksEnrolledAdvocatesByTheirMoments() {
            happened(ann, MomentKind.CONTRACT_SIGNED, 20);
            happened(bob, MomentKind.PUBLIC_PRAISE, 1);
            happened(cat, MomentKind.GO_LIVE, 3);
            assertThat(whoToAsk(PROGRAM)).containsExactly(bob, cat, ann);
        }

        @Test
        void leavesOutOptedOutAndUnenrolledAdvocates() {
            Advocate dan = engine.registerAdvocate(AdvocateRegistration.of("crm-dan", "dan", "",
                    AdvocateKind.CUSTOMER));
            happened(dan, MomentKind.PUBLIC_PRAISE, 0);
            happened(ann, MomentKind.PUBLIC_PRAISE, 0);
            happened(bob, MomentKind.RENEWAL, 0);
            engine.optOut(ann.id());
            assertThat(whoToAsk(PROGRAM)).containsExactly(bob);
        }

        @Test
        void leavesOutAdvocatesWithAPendingAskOrAskedWithinTheCooldown() {
            happened(ann, MomentKind.PUBLIC_PRAISE, 0);
            happened(bob, MomentKind.RENEWAL, 0);
            happened(cat, MomentKind.GO_LIVE, 0);
            Ask toAnn = asked(ann, PROGRAM);
            Ask toBob = asked(bob, PROGRAM);
            moments.recordOutcome(toBob.id(), AskStatus.DECLINED);
            assertThat(whoToAsk(PROGRAM)).containsExactly(cat);

            clock.advance(Duration.ofDays(91)); // past the 90-day cooldown, moments past the lookback
            happened(ann, MomentKind.RESULT_ACHIEVED, 0);
            happened(bob, MomentKind.RESULT_ACHIEVED, 0);
            assertThat(whoToAsk(PROGRAM)).containsExactly(bob); // ann's ask is still pending

            moments.recordOutcome(toAnn.id(), AskStatus.NO_RESPONSE);
            assertThat(whoToAsk(PROGRAM)).containsExactlyInAnyOrder(ann, bob); // equal scores: random ids decide
        }

        @Test
        void eachProgramHasItsOwnAsksAndCooldown() {
            happened(ann, MomentKind.PUBLIC_PRAISE, 0);
            Ask ask = asked(ann, PROGRAM);
            assertThat(whoToAsk(PARTNERS)).containsExactly(ann);
            Ask partnerAsk = asked(ann, PARTNERS);
            moments.recordOutcome(partnerAsk.id(), AskStatus.DECLINED);
            clock.advance(Duration.ofDays(11)); // the partner program's cooldown is 10 days
            assertThat(whoToAsk(PARTNERS)).containsExactly(ann);
            assertThat(refusal(ann, PROGRAM)).isEqualTo("ask_pending");
            moments.recordOutcome(ask.id(), AskStatus.DECLINED);
            assertThat(refusal(ann, PROGRAM)).isEqualTo("ask_cooldown");
        }

        @Test
        void anUnknownProgramIsNotFound() {
            assertThatThrownBy(() -> moments.whoToAsk(ProgramId.of("nope"), 5))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Nested
    @DisplayName("recording moments")
    class RecordingMoments {
        @Test
        void replayingTheSameMomentReturnsTheStoredOne() {
            Moment m = Moment.nps(MomentId.of("survey-42"), ann.id(), 10, T0, "");
            assertThat(moments.recordMoment(m)).isEqualTo(m);
            assertThat(moments.recordMoment(m)).isEqualTo(m);
            assertThat(moments.moments(ann.id())).containsExactly(m);
        }

        @Test
        void reusingAMomentIdForOtherContentIsAConflict() {
            moments.recordMoment(Moment.nps(MomentId.of("survey-42"), ann.id(), 10, T0, ""));
            assertThatThrownBy(() -> moments.recordMoment(Moment.nps(MomentId.of("survey-42"), ann.id(), 3, T0, "")))
                    .isInstanceOf(ConflictException.class);
        }

        @Test
        void refusesFutureMomentsAndUnknownAdvocates() {
            assertThatThrownBy(() -> moments.recordMoment(Moment.of(MomentId.of("m"), ann.id(), MomentKind.GO_LIVE,
                    T0.plusSeconds(60), ""))).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> moments.recordMoment(Moment.of(MomentId.of("m"),
                    io.referrals.core.model.AdvocateId.of("ghost"), MomentKind.GO_LIVE, T0, "")))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Nested
    @DisplayName("asks and their outcomes")
    class Asks {
        @Test
        void refusesOptedOutAndUnenrolledAdvocates() {
            engine.optOut(ann.id());
            assertThat(refusal(ann, PROGRAM)).isEqualTo("advocate_opted_out");
            Advocate dan = engine.registerAdvocate(AdvocateRegistration.of("crm-dan", "dan", "",
                    AdvocateKind.CUSTOMER));
            assertThat(refusal(dan, PROGRAM)).isEqualTo("advocate_not_enrolled");
        }

        @Test
        void notesTheTriggeringMomentOfThisAdvocateOnly() {
            Moment m = happened(ann, MomentKind.RENEWAL, 0);
            AskResult r = moments.recordAsk(PROGRAM, ann.id(), "", m.id());
            assertThat(((AskResult.Recorded) r).ask().trigger()).contains(m.id());
            assertThatThrownBy(() -> moments.recordAsk(PROGRAM, bob.id(), "", m.id()))
                    .isInstanceOf(ValidationException.class);
        }

        @Test
        void anOutcomeIsRecordedOnce() {
            Ask ask = asked(ann, PROGRAM);
            clock.advance(Duration.ofDays(2));
            Ask declined = moments.recordOutcome(ask.id(), AskStatus.DECLINED);
            assertThat(declined.status()).isEqualTo(AskStatus.DECLINED);
            assertThat(declined.resolvedAt()).contains(T0.plus(Duration.ofDays(2)));
            assertThatThrownBy(() -> moments.recordOutcome(ask.id(), AskStatus.NO_RESPONSE))
                    .isInstanceOf(ConflictException.class);
            assertThatThrownBy(() -> moments.recordOutcome(ask.id(), AskStatus.PENDING))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> moments.recordOutcome(AskId.of("nope"), AskStatus.DECLINED))
                    .isInstanceOf(NotFoundException.class);
        }

        @Test
        void aReferralCapturedWhileAnAskIsPendingResolvesItAsReferred() {
            Ask ask = asked(ann, PROGRAM);
            clock.advance(Duration.ofDays(3));
            CaptureResult c = engine.capture(CaptureRequest.builder().advocate(ann.id()).program(PROGRAM)
                    .prospect(Prospect.builder().fullName("P One").email("p1@one.example").company("One").build())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build());
            ReferralId referral = c.acceptedReferral().id();
            Ask now = engine.transactions().inTransaction(w -> w.store().asks().get(ask.id()).orElseThrow());
            assertThat(now.status()).isEqualTo(AskStatus.REFERRED);
            assertThat(now.referralId()).contains(referral);
            assertThat(refusal(ann, PROGRAM)).isEqualTo("ask_cooldown");
        }

        @Test
        void askStatsMeasureTheConversionOfAsksMadeInAPeriod() {
            Ask a = asked(ann, PROGRAM);
            Ask b = asked(bob, PROGRAM);
            asked(cat, PROGRAM);
            // a referral in another program does not resolve the ask; the host links it by hand
            CaptureResult c = engine.capture(CaptureRequest.builder().advocate(ann.id()).program(PARTNERS)
                    .prospect(Prospect.builder().fullName("P").email("p@two.example").company("Two").build())
                    .channel(Channel.DIRECT_EMAIL).consent(ConsentBasis.PROSPECT_CONSENT).build());
            moments.recordReferral(a.id(), c.acceptedReferral().id());
            moments.recordOutcome(b.id(), AskStatus.DECLINED);
            AskStats stats = moments.askStats(PROGRAM, ReportPeriod.of(T0, T0.plus(Duration.ofDays(1))));
            assertThat(stats.asked()).isEqualTo(3);
            assertThat(stats.counts()).containsEntry(AskStatus.REFERRED, 1L).containsEntry(AskStatus.DECLINED, 1L)
                    .containsEntry(AskStatus.PENDING, 1L).containsEntry(AskStatus.NO_RESPONSE, 0L);
            assertThat(stats.conversion()).isEqualTo(Rate.of(1, 3));
            assertThat(stats.conversionOfResolved()).isEqualTo(Rate.of(1, 2));
            assertThat(moments.askStats(PROGRAM, ReportPeriod.of(T0.plusSeconds(1), T0.plus(Duration.ofDays(1))))
                    .asked()).isZero();
        }

        @Test
        void unansweredAsksAreClosedAfterTheResponseWindowAndTheAdvocateReturnsAfterTheCooldown() {
            happened(ann, MomentKind.PUBLIC_PRAISE, 0);
            Ask ask = asked(ann, PROGRAM);
            clock.advance(Duration.ofDays(29));
            assertThat(moments.closeUnanswered(PROGRAM)).isZero();
            clock.advance(Duration.ofDays(2)); // past the 30-day response window
            assertThat(moments.closeUnanswered(PROGRAM)).isEqualTo(1);
            Ask closed = engine.transactions().inTransaction(w -> w.store().asks().get(ask.id()).orElseThrow());
            assertThat(closed.status()).isEqualTo(AskStatus.NO_RESPONSE);
            assertThat(refusal(ann, PROGRAM)).isEqualTo("ask_cooldown");
            clock.advance(Duration.ofDays(60)); // 91 days after the ask
            happened(ann, MomentKind.RENEWAL, 0);
            assertThat(whoToAsk(PROGRAM)).containsExactly(ann);
            asked(ann, PROGRAM);
        }

        @Test
        void aReferralMustExistToResolveAnAsk() {
            Ask ask = asked(ann, PROGRAM);
            assertThatThrownBy(() -> moments.recordReferral(ask.id(), ReferralId.of("nope")))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Nested
    @DisplayName("under concurrency")
    class Concurrency {
        ExecutorService pool = Executors.newFixedThreadPool(16);

        @AfterEach
        void stop() throws InterruptedException {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void manyAsksOfOneAdvocateAtOnceRecordExactlyOne() throws Exception {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<AskResult>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return moments.recordAsk(PROGRAM, ann.id(), "rep");
                }));
            }
            start.countDown();
            int recorded = 0;
            for (Future<AskResult> f : results) {
                if (f.get(10, TimeUnit.SECONDS) instanceof AskResult.Recorded) {
                    recorded++;
                }
            }
            assertThat(recorded).isEqualTo(1);
            assertThat(moments.askStats(PROGRAM, ReportPeriod.ALL_TIME).asked()).isEqualTo(1);
        }
    }
}
