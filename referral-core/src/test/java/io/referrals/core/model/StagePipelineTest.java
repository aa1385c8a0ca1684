package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("StagePipeline")
class StagePipelineTest {

    private static List<String> codes(ValidationException e) {
        return e.errors().stream().map(FieldError::code).toList();
    }

    private static ValidationException refused(StagePipeline.Builder b) {
        ValidationException e = catchThrowableOfType(ValidationException.class, b::build);
        assertThat(e).as("the pipeline should be refused").isNotNull();
        return e;
    }

    @Nested
    @DisplayName("builder validation")
    class Validation {

        @Test
        @DisplayName("a stage that cannot be reached from the first is refused")
        void unreachable() {
            ValidationException e = refused(StagePipeline.builder()
                    .stage("new").stage("orphan").terminal("done", Outcome.WON)
                    .transition("new", "done").transition("orphan", "done"));

            assertThat(e.errors()).extracting(FieldError::field, FieldError::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("pipeline.stages.orphan", "unreachable"));
        }

        @Test
        @DisplayName("a pipeline without a terminal stage is refused")
        void noTerminal() {
            ValidationException e = refused(StagePipeline.builder()
                    .stage("a").stage("b").transition("a", "b").transition("b", "a"));

            assertThat(e.errors()).extracting(FieldError::field).contains("pipeline.terminal");
            assertThat(codes(e)).contains("required");
        }

        @Test
        @DisplayName("a transition naming an undeclared stage is refused")
        void unknownNames() {
            ValidationException e = refused(StagePipeline.builder()
                    .stage("new").terminal("done", Outcome.WON)
                    .transition("new", "done", "ghost").transition("phantom", "done"));

            assertThat(e.errors()).extracting(FieldError::field, FieldError::code).contains(
                    org.assertj.core.groups.Tuple.tuple("pipeline.transitions.new.ghost", "unknown_stage"),
                    org.assertj.core.groups.Tuple.tuple("pipeline.transitions.phantom", "unknown_stage"));
        }

        @Test
        @DisplayName("an open stage with no way out is refused")
        void deadEnd() {
            ValidationException e = refused(StagePipeline.builder()
                    .stage("new").stage("stuck").terminal("done", Outcome.WON)
                    .transition("new", "stuck", "done"));

            assertThat(e.errors()).extracting(FieldError::field, FieldError::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("pipeline.transitions.stuck", "dead_end"));
        }

        @Test
        @DisplayName("a terminal stage with a way out is refused")
        void terminalWithExit() {
            ValidationException e = refused(StagePipeline.builder()
                    .stage("new").terminal("done", Outcome.WON)
                    .transition("new", "done").transition("done", "new"));

            assertThat(e.errors()).extracting(FieldError::field, FieldError::code)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("pipeline.transitions.done",
                            "terminal_has_exit"));
        }

        @Test
        @DisplayName("malformed names, duplicates and self-transitions are refused")
        void malformedDuplicateSelf() {
            ValidationException e = refused(StagePipeline.builder()
                    .stage("new").stage("Bad Name").terminal("new", Outcome.WON).terminal("done", Outcome.LOST)
                    .transition("new", "new", "done").transition("Bad Name", "done"));

            assertThat(codes(e)).contains("duplicate", "malformed", "self_transition");
        }

        @Test
        @DisplayName("every problem is reported at once in one ValidationException")
        void allAtOnce() {
            ValidationException e = refused(StagePipeline.builder()
                    .stage("new").stage("stuck").stage("orphan")
                    .transition("new", "stuck", "ghost")
                    .transition("orphan", "new"));

            assertThat(codes(e)).contains("required", "unknown_stage", "dead_end", "unreachable");
            assertThat(e.errors()).extracting(FieldError::field).contains(
                    "pipeline.terminal", "pipeline.transitions.new.ghost", "pipeline.transitions.stuck",
                    "pipeline.stages.orphan");
        }

        @Test
        @DisplayName("an empty pipeline names both the missing initial and the missing terminal stage")
        void empty() {
            ValidationException e = refused(StagePipeline.builder());

            assertThat(e.errors()).extracting(FieldError::field)
                    .contains("pipeline.stages", "pipeline.terminal");
        }

        @Test
        @DisplayName("a well-formed custom pipeline is built with its stages in declared order")
        void customPipeline() {
            StagePipeline p = StagePipeline.builder()
                    .stage("applied").stage("interview").terminal("hired", Outcome.WON)
                    .terminal("declined", Outcome.REJECTED)
                    .transition("applied", "interview", "declined").transition("interview", "hired", "declined")
                    .transition("interview", "applied")
                    .build();

            assertThat(p.initial()).isEqualTo(Stage.of("applied"));
            assertThat(p.stages()).extracting(Stage::name)
                    .containsExactly("applied", "interview", "hired", "declined");
            assertThat(p.allows(Stage.of("interview"), Stage.of("applied"))).isTrue();
            assertThat(p.allows(Stage.of("applied"), Stage.of("hired"))).isFalse();
            assertThat(p.outcome(Stage.of("declined"))).contains(Outcome.REJECTED);
            assertThat(p.outcome(Stage.of("applied"))).isEmpty();
            assertThat(p.stage("hired")).contains(Stage.of("hired"));
            assertThat(p.stage("nope")).isEmpty();
        }
    }

    @Nested
    @DisplayName("the B2B default")
    class B2bDefault {
        private final StagePipeline p = StagePipeline.b2bDefault();
        private final List<Stage> open = List.of(Stage.SUBMITTED, Stage.CONTACTED, Stage.MEETING_HELD,
                Stage.QUALIFIED, Stage.OPPORTUNITY);
        private final List<Stage> terminal = List.of(Stage.WON, Stage.LOST, Stage.REJECTED);

        @Test
        @DisplayName("starts at submitted and lists the funnel in order")
        void funnel() {
            assertThat(p.initial()).isEqualTo(Stage.SUBMITTED);
            assertThat(p.stages()).containsExactly(Stage.SUBMITTED, Stage.CONTACTED, Stage.MEETING_HELD,
                    Stage.QUALIFIED, Stage.OPPORTUNITY, Stage.WON, Stage.LOST, Stage.REJECTED);
            assertThat(p.terminalStages()).containsOnlyKeys(Stage.WON, Stage.LOST, Stage.REJECTED);
            assertThat(p.outcome(Stage.WON)).contains(Outcome.WON);
            assertThat(p.outcome(Stage.LOST)).contains(Outcome.LOST);
            assertThat(p.outcome(Stage.REJECTED)).contains(Outcome.REJECTED);
        }

        @Test
        @DisplayName("allows every forward move between open stages, and no backward move")
        void forwardOnly() {
            for (int i = 0; i < open.size(); i++) {
                for (int j = 0; j < open.size(); j++) {
                    assertThat(p.allows(open.get(i), open.get(j)))
                            .as("%s -> %s", open.get(i), open.get(j)).isEqualTo(j > i);
                }
            }
        }

        @Test
        @DisplayName("reaches won, lost and rejected from every open stage")
        void terminalFromAnyOpenStage() {
            for (Stage from : open) {
                assertThat(p.next(from)).as("from %s", from).containsAll(terminal);
                assertThat(p.isTerminal(from)).isFalse();
            }
        }

        @Test
        @DisplayName("allows nothing out of a terminal stage")
        void nothingOutOfTerminal() {
            for (Stage t : terminal) {
                assertThat(p.isTerminal(t)).isTrue();
                assertThat(p.next(t)).as("from %s", t).isEmpty();
                for (Stage to : p.stages()) {
                    assertThat(p.allows(t, to)).isFalse();
                }
            }
        }

        @Test
        @DisplayName("knows nothing of an undeclared stage")
        void unknownStage() {
            assertThat(p.contains(Stage.of("demo"))).isFalse();
            assertThat(p.next(Stage.of("demo"))).isEqualTo(Set.of());
        }

        @Test
        @DisplayName("is a value: two defaults are equal")
        void value() {
            assertThat(StagePipeline.b2bDefault()).isEqualTo(p).hasSameHashCodeAs(p);
        }
    }

    @Nested
    @DisplayName("reopenings")
    class Reopenings {
        private final StagePipeline reopenable = StagePipeline.b2bDefault().toBuilder()
                .reopen("lost", "qualified", "opportunity").build();

        @Test
        @DisplayName("are opt-in: the B2B default reopens nothing")
        void optIn() {
            StagePipeline p = StagePipeline.b2bDefault();
            assertThat(p.reopenings()).isEmpty();
            assertThat(p.reopenTargets(Stage.LOST)).isEmpty();
            assertThat(p.reopens(Stage.LOST, Stage.QUALIFIED)).isFalse();
        }

        @Test
        @DisplayName("a declared reopening lets a lost stage move back to the open stages named, and nowhere else")
        void declared() {
            assertThat(reopenable.reopens(Stage.LOST, Stage.QUALIFIED)).isTrue();
            assertThat(reopenable.reopens(Stage.LOST, Stage.OPPORTUNITY)).isTrue();
            assertThat(reopenable.reopens(Stage.LOST, Stage.CONTACTED)).isFalse();
            assertThat(reopenable.reopens(Stage.WON, Stage.QUALIFIED)).isFalse();
            assertThat(reopenable.reopenTargets(Stage.LOST)).containsExactly(Stage.QUALIFIED, Stage.OPPORTUNITY);
            // a reopening is not an ordinary transition: a lost stage stays terminal
            assertThat(reopenable.isTerminal(Stage.LOST)).isTrue();
            assertThat(reopenable.next(Stage.LOST)).isEmpty();
            assertThat(reopenable.allows(Stage.LOST, Stage.QUALIFIED)).isFalse();
        }

        @Test
        @DisplayName("take part in equality, and toBuilder keeps everything of the pipeline")
        void value() {
            assertThat(reopenable).isNotEqualTo(StagePipeline.b2bDefault());
            assertThat(reopenable.toBuilder().build()).isEqualTo(reopenable).hasSameHashCodeAs(reopenable);
            assertThat(StagePipeline.b2bDefault().toBuilder().build()).isEqualTo(StagePipeline.b2bDefault());
            assertThat(reopenable.toString()).contains("reopens");
        }

        @Test
        @DisplayName("from a won, rejected, open or undeclared stage, or to a terminal, undeclared or no stage, "
                + "are refused")
        void badReopenings() {
            ValidationException e = refused(StagePipeline.b2bDefault().toBuilder()
                    .reopen("won", "qualified").reopen("rejected", "submitted").reopen("qualified", "contacted")
                    .reopen("ghost", "qualified").reopen("lost", "won", "nowhere").reopen("lost"));

            assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("pipeline.reopenings.won", "not_lost"),
                    org.assertj.core.groups.Tuple.tuple("pipeline.reopenings.rejected", "not_lost"),
                    org.assertj.core.groups.Tuple.tuple("pipeline.reopenings.qualified", "not_lost"),
                    org.assertj.core.groups.Tuple.tuple("pipeline.reopenings.ghost", "unknown_stage"),
                    org.assertj.core.groups.Tuple.tuple("pipeline.reopenings.lost.won", "not_open"),
                    org.assertj.core.groups.Tuple.tuple("pipeline.reopenings.lost.nowhere", "unknown_stage"));
            ValidationException none = refused(StagePipeline.builder().stage("new").terminal("lost", Outcome.LOST)
                    .transition("new", "lost").reopen("lost"));
            assertThat(none.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("pipeline.reopenings.lost", "required"));
        }
    }
}
