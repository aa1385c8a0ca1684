package io.referrals.core.eligibility;

import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;

/**
 * The host's check whether a prospect is already a lead or a customer (a CRM or billing lookup). Called during capture
 * inside the engine's transaction: it must be fast, must not call back into the engine, and must be thread-safe. If it
 * throws, the capture fails with that exception and nothing is written.
 */
@FunctionalInterface
public interface ProspectLookup {

    /** Never looks anything up: every prospect is new. */
    ProspectLookup NONE = (program, prospect) -> Relationship.NONE;

    /**
     * What the prospect already is to the host.
     *
     * @param program the program the referral is captured in
     * @param prospect the prospect as captured (trimmed, domain lower-cased)
     * @return never {@code null}
     */
    Relationship relationshipOf(ProgramId program, Prospect prospect);
}
