package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.OutboxEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Stage transitions")
class TransitionsTest {
    private final TestWorld w = new TestWorld();
    private final Program program = w.activeProgram();
    private final Advocate jane = w.enrolledAdvocate(program);
    private final Referral referral = w.captured(jane, program);

    private TransitionResult move(Stage to) {
        return w.engine.transition(TransitionRequest.of(referral.id(), to, TransitionCause.rep("rep-7")));
    }

    @Test
    @DisplayName("each legal move is recorded in the timeline with from, to, time, cause, reason and reference")
    void timeline() {
        w.clock.advance(Duration.ofDays(1));
        TransitionResult contacted = w.engine.transition(new TransitionRequest(referral.id(), Stage.CONTACTED,
                TransitionCause.rep("rep-7"), "Called the prospect", ""));
        w.clock.advance(Duration.ofDays(6));
        w.engine.transition(new TransitionRequest(referral.id(), Stage.MEETING_HELD,
                TransitionCause.host("calendar-sync"), "Demo held", "evt-991"));
        w.clock.advance(Duration.ofDays(30));
        TransitionResult won = w.engine.transition(new TransitionRequest(referral.id(), Stage.WON,
                TransitionCause.crm("salesforce"), "", "006Dn000004XyZa"));

        assertThat(contacted).isInstanceOf(TransitionResult.Moved.class);
        List<TimelineEntry> t = w.engine.timeline(referral.id());
        assertThat(t).extracting(TimelineEntry::sequence).containsExactly(1, 2, 3);
        assertThat(t).extracting(TimelineEntry::from)
                .containsExactly(Stage.SUBMITTED, Stage.CONTACTED, Stage.MEETING_HELD);
        assertThat(t).extracting(TimelineEntry::to).containsExactly(Stage.CONTACTED, Stage.MEETING_HELD, Stage.WON);
        assertThat(t).extracting(TimelineEntry::at).containsExactly(TestWorld.T0.plus(Duration.ofDays(1)),
                TestWorld.T0.plus(Duration.ofDays(7)), TestWorld.T0.plus(Duration.ofDays(37)));
        assertThat(t).extracting(TimelineEntry::cause).containsExactly(TransitionCause.rep("rep-7"),
                TransitionCause.host("calendar-sync"), TransitionCause.crm("salesforce"));
        assertThat(t).extracting(TimelineEntry::reason).containsExactly("Called the prospect", "Demo held", "");
        assertThat(t).extracting(TimelineEntry::externalRef).containsExactly("", "evt-991", "006Dn000004XyZa");

        Referral after = won.referral();
        assertThat(after.stage()).isEqualTo(Stage.WON);
        assertThat(after.outcome()).contains(Outcome.WON);
        assertThat(after.timelineLength()).isEqualTo(3);
        assertThat(after.updatedAt()).isEqualTo(TestWorld.T0.plus(Duration.ofDays(37)));
        assertThat(((TransitionResult.Moved) won).entry()).isEqualTo(t.get(2));
        assertThat(w.engine.referral(referral.id())).contains(after);
        assertThat(w.listener.events(StageChanged.class)).extracting(StageChanged::transition).isEqualTo(t);
    }

    @ParameterizedTest(name = "{0} -> {1} is refused")
    @CsvSource({"contacted,submitted", "won,contacted", "won,lost", "lost,won", "rejected,submitted",
            "opportunity,qualified"})
    void illegal(String via, String to) {
        Stage viaStage = Stage.of(via);
        move(viaStage);
        List<TimelineEntry> before = w.engine.timeline(referral.id());

        IllegalTransitionException e = catchThrowableOfType(IllegalTransitionException.class,
                () -> move(Stage.of(to)));

        assertThat(e).isNotNull();
        assertThat(e.from()).isEqualTo(via);
        assertThat(e.to()).isEqualTo(to);
        assertThat(e.referralId()).isEqualTo(referral.id().value());
        assertThat(e.getMessage()).contains("'" + via + "'", "'" + to + "'");
        assertThat(w.engine.timeline(referral.id())).isEqualTo(before);
        assertThat(w.engine.referral(referral.id()).orElseThrow().stage()).isEqualTo(viaStage);
    }

    @Test
    @DisplayName("a stage the pipeline does not have is an illegal transition")
    void unknownStage() {
        assertThat(catchThrowableOfType(IllegalTransitionException.class, () -> move(Stage.of("demo_booked"))))
                .isNotNull();
        assertThat(w.engine.timeline(referral.id())).isEmpty();
    }

    @Test
    @DisplayName("moving to the current stage is Unchanged and writes nothing")
    void unchanged() {
        move(Stage.CONTACTED);
        Referral before = w.engine.referral(referral.id()).orElseThrow();
        List<OutboxEntry> eventsBefore = w.stream(referral.id());
        w.clock.advance(Duration.ofHours(2));

        TransitionResult r = move(Stage.CONTACTED);

        assertThat(r).isEqualTo(new TransitionResult.Unchanged(before));
        assertThat(w.engine.referral(referral.id())).contains(before);
        assertThat(w.engine.timeline(referral.id())).hasSize(1);
        assertThat(w.stream(referral.id())).isEqualTo(eventsBefore);
    }

    @Test
    @DisplayName("an unknown referral is not found, and bad reason or reference text is refused")
    void missingOrBadInput() {
        assertThat(catchThrowableOfType(NotFoundException.class, () -> w.engine.transition(
                TransitionRequest.of(ReferralId.of("ghost"), Stage.CONTACTED, TransitionCause.rep("r")))))
                .isNotNull();
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> w.engine.transition(
                new TransitionRequest(referral.id(), Stage.CONTACTED, TransitionCause.rep("r\u0000"),
                        "r".repeat(501), "ref\u202E")));
        assertThat(e.errors()).extracting(io.referrals.core.error.FieldError::field)
                .containsExactlyInAnyOrder("reason", "externalRef", "cause.actor");
        assertThat(w.engine.timeline(referral.id())).isEmpty();
    }

    @ParameterizedTest(name = "CRM stage ''{0}'' moves the referral to {1}")
    @CsvSource(delimiter = '|', value = {
            "Prospecting|contacted", "Working - Contacted|contacted", "appointmentscheduled|meeting_held",
            "Needs Analysis|qualified", "qualifiedtobuy|qualified", "Proposal/Price Quote|opportunity",
            "contractsent|opportunity", "Closed Won|won", "closedwon|won", "Closed Lost|lost",
            "Closed - Not Converted|lost", "CLOSED-WON|won"})
    void applyCrmStage(String crm, String stage) {
        TransitionResult r = w.engine.applyCrmStage(referral.id(), crm, TransitionCause.crm("crm-webhook"),
                "opp-1");

        assertThat(r).isInstanceOf(TransitionResult.Moved.class);
        TimelineEntry e = ((TransitionResult.Moved) r).entry();
        assertThat(e.to()).isEqualTo(Stage.of(stage));
        assertThat(e.cause()).isEqualTo(TransitionCause.crm("crm-webhook"));
        assertThat(e.externalRef()).isEqualTo("opp-1");
    }

    @Test
    @DisplayName("a replayed CRM webhook is harmless: the second delivery is Unchanged")
    void crmReplay() {
        w.engine.applyCrmStage(referral.id(), "Closed Won", TransitionCause.crm("sf"), "opp-1");

        TransitionResult again = w.engine.applyCrmStage(referral.id(), "closed won", TransitionCause.crm("sf"),
                "opp-1");

        assertThat(again).isInstanceOf(TransitionResult.Unchanged.class);
        assertThat(w.engine.timeline(referral.id())).hasSize(1);
    }

    @Test
    @DisplayName("an unmapped CRM stage is reported as UnmappedCrmStage and nothing is written")
    void unmapped() {
        List<OutboxEntry> before = w.stream(referral.id());

        TransitionResult r = w.engine.applyCrmStage(referral.id(), "Closed Wonderful", TransitionCause.crm("sf"),
                "opp-1");

        assertThat(r).isEqualTo(new TransitionResult.UnmappedCrmStage(referral, "Closed Wonderful"));
        assertThat(w.engine.timeline(referral.id())).isEmpty();
        assertThat(w.stream(referral.id())).isEqualTo(before);
        assertThat(w.engine.referral(referral.id())).contains(referral);
    }

    @Test
    @DisplayName("a CRM stage that maps onto an unreachable stage is an illegal transition")
    void crmIllegal() {
        move(Stage.LOST);

        IllegalTransitionException e = catchThrowableOfType(IllegalTransitionException.class,
                () -> w.engine.applyCrmStage(referral.id(), "Closed Won", TransitionCause.crm("sf"), ""));

        assertThat(e.from()).isEqualTo("lost");
        assertThat(e.to()).isEqualTo("won");
    }

    @Test
    @DisplayName("a program's own pipeline and CRM mapping drive its referrals")
    void customPipeline() {
        StagePipeline pipeline = StagePipeline.builder().stage("registered").stage("approved")
                .terminal("paid", Outcome.WON).terminal("declined", Outcome.REJECTED)
                .transition("registered", "approved", "declined").transition("approved", "paid", "declined")
                .build();
        Program deals = w.engine.defineProgram(Program.builder(ProgramId.of("deal-reg"), "Deal Registration",
                ProgramKind.PARTNER).status(ProgramStatus.ACTIVE).pipeline(pipeline)
                .crmMapping(io.referrals.core.model.CrmStageMapping.of(java.util.Map.of("Deal Approved", "approved")))
                .build());
        w.engine.enrol(jane.id(), deals.id());
        Referral r = w.captured(jane, deals);

        assertThat(r.stage()).isEqualTo(Stage.of("registered"));
        assertThat(w.engine.applyCrmStage(r.id(), "deal approved", TransitionCause.crm("sf"), ""))
                .isInstanceOf(TransitionResult.Moved.class);
        assertThat(w.engine.applyCrmStage(r.id(), "Closed Won", TransitionCause.crm("sf"), ""))
                .isInstanceOf(TransitionResult.UnmappedCrmStage.class);
        assertThat(catchThrowableOfType(IllegalTransitionException.class, () -> w.engine.transition(
                TransitionRequest.of(r.id(), Stage.WON, TransitionCause.host("h"))))).isNotNull();
        TransitionResult paid = w.engine.transition(TransitionRequest.of(r.id(), Stage.of("paid"),
                TransitionCause.host("h")));
        assertThat(paid.referral().outcome()).contains(Outcome.WON);
    }

    @Test
    @DisplayName("many threads moving one referral back and forth keep its timeline and event stream gapless")
    void concurrentTransitions() throws Exception {
        StagePipeline pingPong = StagePipeline.builder().stage("open").stage("working").terminal("done", Outcome.WON)
                .transition("open", "working", "done").transition("working", "open", "done").build();
        Program p = w.engine.defineProgram(Program.builder(ProgramId.of("ping"), "Ping", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).pipeline(pingPong).build());
        w.engine.enrol(jane.id(), p.id());
        Referral r = w.captured(jane, p);
        int threads = 12;
        int perThread = 40;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                Stage target = t % 2 == 0 ? Stage.of("working") : Stage.of("open");
                futures.add(pool.submit(() -> {
                    start.await();
                    int moved = 0;
                    for (int i = 0; i < perThread; i++) {
                        TransitionResult res = w.engine.transition(TransitionRequest.of(r.id(), target,
                                TransitionCause.rule("pinger")));
                        moved += res instanceof TransitionResult.Moved ? 1 : 0;
                    }
                    return moved;
                }));
            }
            start.countDown();
            int moved = 0;
            for (Future<Integer> f : futures) {
                moved += f.get(60, TimeUnit.SECONDS);
            }

            List<TimelineEntry> timeline = w.engine.timeline(r.id());
            assertThat(moved).isPositive();
            assertThat(timeline).hasSize(moved);
            for (int i = 0; i < timeline.size(); i++) {
                assertThat(timeline.get(i).sequence()).isEqualTo(i + 1);
                if (i > 0) {
                    assertThat(timeline.get(i).from()).isEqualTo(timeline.get(i - 1).to());
                }
                assertThat(timeline.get(i).from()).isNotEqualTo(timeline.get(i).to());
            }
            Referral after = w.engine.referral(r.id()).orElseThrow();
            assertThat(after.timelineLength()).isEqualTo(moved);
            assertThat(after.stage()).isEqualTo(timeline.get(timeline.size() - 1).to());
            assertThat(TestWorld.sequences(w.stream(r.id())))
                    .isEqualTo(LongStream.rangeClosed(1, moved + 1L).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a deal value is recorded on the referral without touching its timeline")
    void dealValue() {
        Referral r = w.engine.recordDealValue(referral.id(), Money.of("12000.00", "EUR"));

        assertThat(r.dealValue()).contains(Money.of("12000", "EUR"));
        assertThat(w.engine.recordDealValue(referral.id(), Money.of("12000", "EUR")).version())
                .isEqualTo(r.version());
        assertThat(w.engine.timeline(referral.id())).isEmpty();
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> w.engine.recordDealValue(referral.id(), Money.of("-1", "EUR")))).isNotNull();
    }
}
