package io.referrals.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An advocate's membership of a program. An advocate is enrolled in a program at most once.
 *
 * @param advocateId the advocate
 * @param programId the program
 * @param enrolledAt when
 */
public record Enrolment(AdvocateId advocateId, ProgramId programId, Instant enrolledAt) {
    public Enrolment {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(enrolledAt, "enrolledAt");
    }
}
