package io.referrals.core.model;

/** Who an advocate is to the host. */
public enum AdvocateKind {
    CUSTOMER, PARTNER, EMPLOYEE, INFLUENCER, AMBASSADOR
}
