package io.referrals.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A referral program: its audience, lifecycle status, schedule, stage pipeline and CRM stage mapping.
 *
 * @param id the program's id
 * @param name a display name, safe to show advocates
 * @param kind the audience
 * @param status the lifecycle status
 * @param schedule when the program accepts referrals, even if active
 * @param pipeline the stages its referrals move through
 * @param crmMapping how CRM stage names map onto {@code pipeline}
 * @param version optimistic version, starting at 1 and raised by one on every stored change
 */
public record Program(ProgramId id, String name, ProgramKind kind, ProgramStatus status, Schedule schedule,
        StagePipeline pipeline, CrmStageMapping crmMapping, long version) {

    public Program {
        Objects.requireNonNull(id, "id");
        Checks.required(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(crmMapping, "crmMapping");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
        for (Stage s : crmMapping.entries().values()) {
            if (!pipeline.contains(s)) {
                throw new IllegalArgumentException("the CRM mapping names stage '" + s + "' that the pipeline lacks");
            }
        }
    }

    /**
     * A builder for a new program: draft, always scheduled, the B2B default pipeline, the
     * {@link CrmStageMapping#standard() standard} CRM mapping.
     */
    public static Builder builder(ProgramId id, String name, ProgramKind kind) {
        return new Builder(id, name, kind);
    }

    /**
     * Why the program does not accept a referral at {@code now}, or empty when it does. The reason is a
     * {@link Reason} code safe to show the advocate.
     */
    public Optional<Reason> refusalAt(Instant now) {
        if (status != ProgramStatus.ACTIVE) {
            return Optional.of(Reason.of("program_" + status.name().toLowerCase(java.util.Locale.ROOT),
                    "The program '" + name + "' is not accepting referrals right now."));
        }
        if (now.isBefore(schedule.startsAt())) {
            return Optional.of(Reason.of("program_not_started",
                    "The program '" + name + "' has not started yet."));
        }
        if (!now.isBefore(schedule.endsAt())) {
            return Optional.of(Reason.of("program_ended", "The program '" + name + "' has ended."));
        }
        return Optional.empty();
    }

    public Program withStatus(ProgramStatus newStatus) {
        return new Program(id, name, kind, newStatus, schedule, pipeline, crmMapping, version);
    }

    /** A copy with the next version, as stored after an update. */
    public Program nextVersion() {
        return new Program(id, name, kind, status, schedule, pipeline, crmMapping, version + 1);
    }

    /** Builds a {@link Program}. Not thread-safe. */
    public static final class Builder {
        private final ProgramId id;
        private final String name;
        private final ProgramKind kind;
        private ProgramStatus status = ProgramStatus.DRAFT;
        private Schedule schedule = Schedule.ALWAYS;
        private StagePipeline pipeline;
        private CrmStageMapping crmMapping;

        private Builder(ProgramId id, String name, ProgramKind kind) {
            this.id = Objects.requireNonNull(id, "id");
            this.name = Checks.required(name, "name");
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder status(ProgramStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        public Builder schedule(Schedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** The pipeline; without a CRM mapping of its own, a non-default pipeline gets the empty mapping. */
        public Builder pipeline(StagePipeline pipeline) {
            this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
            return this;
        }

        public Builder crmMapping(CrmStageMapping crmMapping) {
            this.crmMapping = Objects.requireNonNull(crmMapping, "crmMapping");
            return this;
        }

        public Program build() {
            StagePipeline p = pipeline == null ? StagePipeline.b2bDefault() : pipeline;
            CrmStageMapping m = crmMapping != null ? crmMapping
                    : pipeline == null ? CrmStageMapping.standard() : CrmStageMapping.none();
            return new Program(id, name, kind, status, schedule, p, m, 1);
        }
    }
}
