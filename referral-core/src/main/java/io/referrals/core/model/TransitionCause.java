package io.referrals.core.model;

import java.util.Objects;

/**
 * What moved a referral: a sales rep, a CRM sync, a rule or the host itself, and who exactly.
 *
 * @param kind the kind of cause
 * @param actor the rep's id, the CRM's name, the rule's id or the host's component; may be empty
 */
public record TransitionCause(Kind kind, String actor) {
    /** Kinds of cause. */
    public enum Kind {
        REP, CRM_SYNC, RULE, HOST
    }

    public TransitionCause {
        Objects.requireNonNull(kind, "kind");
        actor = Checks.text(actor);
    }

    public static TransitionCause rep(String repId) {
        return new TransitionCause(Kind.REP, repId);
    }

    public static TransitionCause crm(String crmName) {
        return new TransitionCause(Kind.CRM_SYNC, crmName);
    }

    public static TransitionCause rule(String ruleId) {
        return new TransitionCause(Kind.RULE, ruleId);
    }

    public static TransitionCause host(String component) {
        return new TransitionCause(Kind.HOST, component);
    }
}
