package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.ReopenNotAllowedException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.OutboxEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Reopening a lost referral")
class ReopeningTest {
    private final TestWorld w = new TestWorld();
    private final Program reopenable = w.engine.defineProgram(Program.builder(ProgramId.of("reopenable"),
            "Reopenable", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
            .pipeline(StagePipeline.b2bDefault().toBuilder().reopen("lost", "qualified", "opportunity").build())
            .crmMapping(CrmStageMapping.standard()).build());
    private final Program plain = w.activeProgram();

    private Referral lost(Program program) {
        Advocate a = w.enrolledAdvocate(program);
        Referral r = w.captured(a, program);
        move(r, Stage.QUALIFIED, TransitionCause.crm("salesforce"), "");
        w.clock.advance(Duration.ofDays(10));
        move(r, Stage.LOST, TransitionCause.crm("salesforce"), "Went with a competitor");
        return r;
    }

    private TransitionResult move(Referral r, Stage to, TransitionCause cause, String reason) {
        return w.engine.transition(new TransitionRequest(r.id(), to, cause, reason, "006A"));
    }

    @Test
    @DisplayName("where the pipeline declares it, a lost referral moves back to an open stage: open again, the "
            + "timeline says REOPENED with who and why, and StageChanged then ReferralReopened are emitted")
    void reopened() {
        Referral r = lost(reopenable);
        w.clock.advance(Duration.ofDays(90));
        w.listener.clear();

        TransitionResult result = move(r, Stage.QUALIFIED, TransitionCause.rep("rep-sam"),
                "They are back: the competitor could not deliver");

        assertThat(result).isInstanceOf(TransitionResult.Moved.class);
        Referral now = result.referral();
        assertThat(now.stage()).isEqualTo(Stage.QUALIFIED);
        assertThat(now.outcome()).isEmpty();
        assertThat(now.timelineLength()).isEqualTo(3);
        List<TimelineEntry> timeline = w.engine.timeline(r.id());
        assertThat(timeline).extracting(TimelineEntry::kind).containsExactly(TimelineEntry.Kind.MOVED,
                TimelineEntry.Kind.MOVED, TimelineEntry.Kind.REOPENED);
        TimelineEntry reopening = timeline.get(2);
        assertThat(reopening.isReopening()).isTrue();
        assertThat(reopening.from()).isEqualTo(Stage.LOST);
        assertThat(reopening.to()).isEqualTo(Stage.QUALIFIED);
        assertThat(reopening.cause()).isEqualTo(TransitionCause.rep("rep-sam"));
        assertThat(reopening.reason()).isEqualTo("They are back: the competitor could not deliver");
        assertThat(reopening.at()).isEqualTo(w.clock.instant());
        assertThat(((TransitionResult.Moved) result).entry()).isEqualTo(reopening);
        assertThat(w.listener.events()).hasSize(2);
        assertThat(w.listener.events().get(0)).isInstanceOfSatisfying(StageChanged.class,
                e -> assertThat(e.transition()).isEqualTo(reopening));
        assertThat(w.listener.events().get(1)).isInstanceOfSatisfying(ReferralReopened.class, e -> {
            assertThat(e.transition()).isEqualTo(reopening);
            assertThat(e.referral().stage()).isEqualTo(Stage.QUALIFIED);
            assertThat(e.referral().terminal()).isFalse();
        });
        // and it moves on as any open referral does
        assertThat(move(r, Stage.WON, TransitionCause.crm("salesforce"), "").referral().outcome())
                .contains(io.referrals.core.model.Outcome.WON);
    }

    @Test
    @DisplayName("without a declared reopening, moving a lost referral back is refused with "
            + "ReopenNotAllowedException and nothing is written")
    void notDeclared() {
        Referral r = lost(plain);
        List<TimelineEntry> before = w.engine.timeline(r.id());
        List<OutboxEntry> eventsBefore = w.stream(r.id());

        ReopenNotAllowedException e = catchThrowableOfType(ReopenNotAllowedException.class,
                () -> move(r, Stage.QUALIFIED, TransitionCause.rep("rep-sam"), ""));

        assertThat(e).isInstanceOf(IllegalTransitionException.class);
        assertThat(e.referralId()).isEqualTo(r.id().value());
        assertThat(e.from()).isEqualTo("lost");
        assertThat(e.to()).isEqualTo("qualified");
        assertThat(e.getMessage()).contains(r.id().value(), "'lost'", "'qualified'", "no such reopening");
        assertThat(w.engine.timeline(r.id())).isEqualTo(before);
        assertThat(w.stream(r.id())).isEqualTo(eventsBefore);
        assertThat(w.engine.referral(r.id()).orElseThrow().stage()).isEqualTo(Stage.LOST);
    }

    @Test
    @DisplayName("a reopening to an open stage the pipeline did not name is refused too")
    void undeclaredTarget() {
        Referral r = lost(reopenable);

        assertThat(catchThrowableOfType(ReopenNotAllowedException.class,
                () -> move(r, Stage.CONTACTED, TransitionCause.rep("rep-sam"), ""))).isNotNull();
        assertThat(w.engine.referral(r.id()).orElseThrow().stage()).isEqualTo(Stage.LOST);
    }

    @Test
    @DisplayName("won and rejected referrals are never reopened: a plain IllegalTransitionException")
    void wonIsFinal() {
        Advocate a = w.enrolledAdvocate(reopenable);
        Referral won = w.captured(a, reopenable);
        move(won, Stage.WON, TransitionCause.crm("salesforce"), "");

        IllegalTransitionException e = catchThrowableOfType(IllegalTransitionException.class,
                () -> move(won, Stage.QUALIFIED, TransitionCause.rep("rep-sam"), ""));

        assertThat(e).isNotNull().isNotInstanceOf(ReopenNotAllowedException.class);
    }

    @Test
    @DisplayName("a replayed reopening is Unchanged; lost again and reopened again, each reopening is its own entry")
    void reopenedTwice() {
        Referral r = lost(reopenable);
        move(r, Stage.QUALIFIED, TransitionCause.rep("rep-sam"), "Back in talks");
        assertThat(move(r, Stage.QUALIFIED, TransitionCause.rep("rep-sam"), "Back in talks"))
                .isInstanceOf(TransitionResult.Unchanged.class);
        move(r, Stage.LOST, TransitionCause.crm("salesforce"), "");
        TransitionResult again = w.engine.applyCrmStage(r.id(), "Proposal/Price Quote",
                TransitionCause.crm("salesforce"), "006A");

        assertThat(again.referral().stage()).isEqualTo(Stage.OPPORTUNITY);
        assertThat(w.engine.timeline(r.id())).extracting(TimelineEntry::sequence, TimelineEntry::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, TimelineEntry.Kind.MOVED),
                        org.assertj.core.groups.Tuple.tuple(2, TimelineEntry.Kind.MOVED),
                        org.assertj.core.groups.Tuple.tuple(3, TimelineEntry.Kind.REOPENED),
                        org.assertj.core.groups.Tuple.tuple(4, TimelineEntry.Kind.MOVED),
                        org.assertj.core.groups.Tuple.tuple(5, TimelineEntry.Kind.REOPENED));
        assertThat(w.listener.events(ReferralReopened.class)).hasSize(2);
    }

    @Test
    @DisplayName("an import keeps a declared reopening as REOPENED and refuses an undeclared one")
    void imported() {
        Advocate a = w.enrolledAdvocate(reopenable);
        Instant t = Instant.parse("2024-05-01T00:00:00Z");
        ImportedReferral.Builder row = ImportedReferral.builder().advocate(a.id()).program(reopenable.id())
                .prospect(Prospect.builder().fullName("P").email("p@hooli.example").company("Hooli").build())
                .consent(ConsentBasis.PROSPECT_CONSENT).submittedAt(t)
                .move(Stage.LOST, t.plus(Duration.ofDays(1)), TransitionCause.crm("sf"), "")
                .move(Stage.QUALIFIED, t.plus(Duration.ofDays(2)), TransitionCause.crm("sf"), "");

        Referral r = w.engine.importReferrals(List.of(row.build())).get(0);

        assertThat(w.engine.timeline(r.id())).extracting(TimelineEntry::kind)
                .containsExactly(TimelineEntry.Kind.MOVED, TimelineEntry.Kind.REOPENED);
        assertThat(r.outcome()).isEmpty();
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> w.engine.importReferrals(
                List.of(row.program(plain.id()).build())));
        assertThat(e.errors()).extracting(FieldError::code).containsExactly("illegal_transition");
    }
}
