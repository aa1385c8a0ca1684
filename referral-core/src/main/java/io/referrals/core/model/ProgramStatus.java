package io.referrals.core.model;

/** A program's lifecycle. Only an {@link #ACTIVE} program inside its schedule accepts referrals. */
public enum ProgramStatus {
    DRAFT, ACTIVE, PAUSED, ENDED
}
