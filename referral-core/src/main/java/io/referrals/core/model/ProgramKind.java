package io.referrals.core.model;

/** The audience a program is run for. */
public enum ProgramKind {
    CUSTOMER, PARTNER, EMPLOYEE, INFLUENCER, AMBASSADOR
}
