package io.referrals.core.model;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A program's stage pipeline: its stages in funnel order, the first of which every referral starts in, the allowed
 * transitions, the terminal stages with their {@link Outcome}, and the reopenings it allows. Immutable and
 * thread-safe.
 *
 * <p>A pipeline is checked when it is built: every stage is reachable from the first, at least one stage is terminal,
 * terminal stages have no way out (other than a declared reopening), every other stage has one, and every name used
 * is declared. All problems are reported together in one {@link ValidationException}.
 *
 * <p><b>Reopening</b> is opt-in per pipeline. A lost deal often comes back months later; a pipeline that declares
 * {@linkplain Builder#reopen(String, String...) a reopening} from a lost stage ({@link Outcome#LOST}) to open stages
 * lets a lost referral move back to one of them. Such a move is recorded in the timeline as
 * {@link TimelineEntry.Kind#REOPENED}, and the referral is open again (no outcome). Won and rejected stages can never
 * be reopened, and a pipeline that declares no reopening keeps every lost referral lost: moving one is refused with
 * {@link io.referrals.core.error.ReopenNotAllowedException}.
 */
public final class StagePipeline {
    private final List<Stage> stages;
    private final Map<Stage, Set<Stage>> transitions;
    private final Map<Stage, Outcome> terminal;
    private final Map<Stage, Set<Stage>> reopenings;

    private StagePipeline(List<Stage> stages, Map<Stage, Set<Stage>> transitions, Map<Stage, Outcome> terminal,
            Map<Stage, Set<Stage>> reopenings) {
        this.stages = List.copyOf(stages);
        this.transitions = frozen(transitions);
        this.terminal = Collections.unmodifiableMap(new LinkedHashMap<>(terminal));
        this.reopenings = frozen(reopenings);
    }

    private static Map<Stage, Set<Stage>> frozen(Map<Stage, Set<Stage>> edges) {
        Map<Stage, Set<Stage>> copy = new LinkedHashMap<>();
        edges.forEach((k, v) -> copy.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
        return Collections.unmodifiableMap(copy);
    }

    /** A new builder. Stages are declared in funnel order; the first declared is where referrals start. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The B2B default: submitted, contacted, meeting_held, qualified, opportunity, won. A referral may move forward to
     * any later stage (CRMs skip stages), and lost and rejected are reachable from every open stage.
     */
    public static StagePipeline b2bDefault() {
        Builder b = builder();
        List<String> open = List.of("submitted", "contacted", "meeting_held", "qualified", "opportunity");
        open.forEach(b::stage);
        b.terminal("won", Outcome.WON).terminal("lost", Outcome.LOST).terminal("rejected", Outcome.REJECTED);
        for (int i = 0; i < open.size(); i++) {
            for (int j = i + 1; j < open.size(); j++) {
                b.transition(open.get(i), open.get(j));
            }
            b.transition(open.get(i), "won").transition(open.get(i), "lost").transition(open.get(i), "rejected");
        }
        return b.build();
    }

    /** The stage every new referral starts in. */
    public Stage initial() {
        return stages.get(0);
    }

    /** All stages in funnel order (open stages first as declared, then terminal ones as declared). */
    public List<Stage> stages() {
        return stages;
    }

    /** The stage with this name, if the pipeline has it. */
    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public boolean contains(Stage stage) {
        return transitions.containsKey(stage);
    }

    /**
     * The stages a referral in {@code from} may move to; empty for a terminal or unknown stage. Reopenings are not
     * included: see {@link #reopenTargets}.
     */
    public Set<Stage> next(Stage from) {
        return transitions.getOrDefault(from, Set.of());
    }

    /** True when the pipeline has the transition {@code from -> to}; a reopening is not a transition here. */
    public boolean allows(Stage from, Stage to) {
        return next(from).contains(to);
    }

    /**
     * True when a referral lost in {@code from} may be reopened to {@code to}: the pipeline declared that reopening.
     * Always false when {@code from} is not a lost stage.
     */
    public boolean reopens(Stage from, Stage to) {
        return reopenTargets(from).contains(to);
    }

    /** The open stages a referral lost in {@code from} may be reopened to; empty when none was declared. */
    public Set<Stage> reopenTargets(Stage from) {
        return reopenings.getOrDefault(from, Set.of());
    }

    /** The declared reopenings, keyed by lost stage; only lost stages with at least one reopening are present. */
    public Map<Stage, Set<Stage>> reopenings() {
        return reopenings;
    }

    public boolean isTerminal(Stage stage) {
        return terminal.containsKey(stage);
    }

    /** The outcome of a terminal stage; empty for an open stage. */
    public Optional<Outcome> outcome(Stage stage) {
        return Optional.ofNullable(terminal.get(stage));
    }

    /** Terminal stages and their outcomes. */
    public Map<Stage, Outcome> terminalStages() {
        return terminal;
    }

    /** Allowed transitions, keyed by source stage, every stage present. */
    public Map<Stage, Set<Stage>> transitions() {
        return transitions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StagePipeline p && stages.equals(p.stages) && transitions.equals(p.transitions)
                && terminal.equals(p.terminal) && reopenings.equals(p.reopenings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stages, transitions, terminal, reopenings);
    }

    @Override
    public String toString() {
        return "StagePipeline" + transitions + (reopenings.isEmpty() ? "" : " reopens " + reopenings);
    }

    /** A builder holding this pipeline's stages, transitions and reopenings, to declare more. */
    public Builder toBuilder() {
        Builder b = new Builder();
        for (Stage s : stages) {
            Outcome o = terminal.get(s);
            if (o == null) {
                b.stage(s.name());
            } else {
                b.terminal(s.name(), o);
            }
        }
        transitions.forEach((from, to) -> {
            if (!to.isEmpty()) {
                b.transition(from.name(), to.stream().map(Stage::name).toArray(String[]::new));
            }
        });
        reopenings.forEach((from, to) -> b.reopen(from.name(), to.stream().map(Stage::name).toArray(String[]::new)));
        return b;
    }

    /** Collects stages and transitions; {@link #build()} checks them. Not thread-safe. */
    public static final class Builder {
        private final Set<String> open = new LinkedHashSet<>();
        private final Map<String, Outcome> terminal = new LinkedHashMap<>();
        private final Map<String, Set<String>> edges = new LinkedHashMap<>();
        private final Map<String, Set<String>> reopen = new LinkedHashMap<>();

        private Builder() {
        }

        /** Declares an open stage. The first stage declared is the initial stage. */
        public Builder stage(String name) {
            open.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /** Declares a terminal stage with its outcome. */
        public Builder terminal(String name, Outcome outcome) {
            terminal.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(outcome, "outcome"));
            return this;
        }

        /** Allows moving from {@code from} to each of {@code to}. */
        public Builder transition(String from, String... to) {
            Objects.requireNonNull(from, "from");
            Set<String> targets = edges.computeIfAbsent(from, k -> new LinkedHashSet<>());
            for (String t : to) {
                targets.add(Objects.requireNonNull(t, "to"));
            }
            return this;
        }

        /**
         * Allows a referral lost in {@code lost} (a terminal stage with {@link Outcome#LOST}) to be reopened to each of
         * {@code to} (open stages), as when a lost deal comes back. Opt-in: without it a lost referral stays lost.
         * The move is recorded as {@link TimelineEntry.Kind#REOPENED}; whether rewards reversed at the loss are paid
         * again is for the reward rules to say.
         */
        public Builder reopen(String lost, String... to) {
            Objects.requireNonNull(lost, "lost");
            Set<String> targets = reopen.computeIfAbsent(lost, k -> new LinkedHashSet<>());
            for (String t : to) {
                targets.add(Objects.requireNonNull(t, "to"));
            }
            return this;
        }

        /**
         * Checks and builds the pipeline.
         *
         * @throws ValidationException naming every problem: malformed or unknown stage names, a stage declared twice,
         *     no terminal stage, stages that cannot be reached from the initial one, open stages with no way out,
         *     terminal stages with a way out, a reopening from a stage that is not lost or to a stage that is not
         *     open, a reopening to no stage
         */
        public StagePipeline build() {
            List<FieldError> errors = new ArrayList<>();
            Set<String> all = new LinkedHashSet<>(open);
            for (String t : terminal.keySet()) {
                if (!all.add(t)) {
                    errors.add(new FieldError("pipeline.stages." + safe(t), "duplicate",
                            "stage is declared both open and terminal"));
                }
            }
            for (String name : all) {
                if (!Stage.isWellFormed(name)) {
                    errors.add(new FieldError("pipeline.stages", "malformed",
                            "stage names must be lower-case snake case of 1-40 characters"));
                }
            }
            if (open.isEmpty()) {
                errors.add(new FieldError("pipeline.stages", "required", "the pipeline needs an initial open stage"));
            }
            if (terminal.isEmpty()) {
                errors.add(new FieldError("pipeline.terminal", "required", "the pipeline needs a terminal stage"));
            }
            edges.forEach((from, tos) -> {
                if (!all.contains(from)) {
                    errors.add(new FieldError("pipeline.transitions." + safe(from), "unknown_stage",
                            "transition from an undeclared stage"));
                } else if (terminal.containsKey(from)) {
                    errors.add(new FieldError("pipeline.transitions." + safe(from), "terminal_has_exit",
                            "a terminal stage cannot have outgoing transitions"));
                }
                for (String to : tos) {
                    if (!all.contains(to)) {
                        errors.add(new FieldError("pipeline.transitions." + safe(from) + "." + safe(to),
                                "unknown_stage", "transition to an undeclared stage"));
                    } else if (to.equals(from)) {
                        errors.add(new FieldError("pipeline.transitions." + safe(from), "self_transition",
                                "a stage cannot transition to itself"));
                    }
                }
            });
            reopen.forEach((from, tos) -> {
                if (!all.contains(from)) {
                    errors.add(new FieldError("pipeline.reopenings." + safe(from), "unknown_stage",
                            "reopening from an undeclared stage"));
                } else if (terminal.get(from) != Outcome.LOST) {
                    errors.add(new FieldError("pipeline.reopenings." + safe(from), "not_lost",
                            "only a lost stage can be reopened"));
                }
                if (tos.isEmpty()) {
                    errors.add(new FieldError("pipeline.reopenings." + safe(from), "required",
                            "a reopening needs at least one open stage to move to"));
                }
                for (String to : tos) {
                    if (!all.contains(to)) {
                        errors.add(new FieldError("pipeline.reopenings." + safe(from) + "." + safe(to),
                                "unknown_stage", "reopening to an undeclared stage"));
                    } else if (!open.contains(to)) {
                        errors.add(new FieldError("pipeline.reopenings." + safe(from) + "." + safe(to),
                                "not_open", "a reopened referral moves to an open stage"));
                    }
                }
            });
            for (String s : open) {
                if (edges.getOrDefault(s, Set.of()).isEmpty()) {
                    errors.add(new FieldError("pipeline.transitions." + safe(s), "dead_end",
                            "an open stage needs at least one outgoing transition"));
                }
            }
            if (!open.isEmpty()) {
                Set<String> reached = new LinkedHashSet<>();
                Deque<String> todo = new ArrayDeque<>();
                todo.add(open.iterator().next());
                while (!todo.isEmpty()) {
                    String s = todo.poll();
                    if (reached.add(s)) {
                        todo.addAll(edges.getOrDefault(s, Set.of()));
                    }
                }
                for (String s : all) {
                    if (!reached.contains(s)) {
                        errors.add(new FieldError("pipeline.stages." + safe(s), "unreachable",
                                "stage cannot be reached from the initial stage"));
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            List<Stage> stages = new ArrayList<>();
            all.forEach(n -> stages.add(Stage.of(n)));
            Map<Stage, Set<Stage>> transitions = new LinkedHashMap<>();
            for (String s : all) {
                Set<Stage> to = new LinkedHashSet<>();
                edges.getOrDefault(s, Set.of()).forEach(t -> to.add(Stage.of(t)));
                transitions.put(Stage.of(s), to);
            }
            Map<Stage, Outcome> term = new LinkedHashMap<>();
            terminal.forEach((k, v) -> term.put(Stage.of(k), v));
            Map<Stage, Set<Stage>> reopenings = new LinkedHashMap<>();
            reopen.forEach((from, tos) -> {
                Set<Stage> to = new LinkedHashSet<>();
                tos.forEach(t -> to.add(Stage.of(t)));
                reopenings.put(Stage.of(from), to);
            });
            return new StagePipeline(stages, transitions, term, reopenings);
        }

        private static String safe(String name) {
            return Stage.isWellFormed(name) ? name : "?";
        }
    }
}
