package io.referrals.core.eligibility;

import io.referrals.core.model.AdvocateKind;
import java.util.Objects;

/**
 * Decides who owns a prospect referred twice within the protection window: the earlier referral (the incumbent) or
 * the new one (the challenger). Must be thread-safe and side-effect free. A prospect referred again by the same
 * advocate is always a duplicate and is not put to the policy.
 *
 * <p>When the challenger wins, the new referral is recorded without a duplicate finding and the incumbent referral is
 * flagged with {@link EligibilityReasons#OWNERSHIP_TRANSFERRED}, so its rewards stay pending until the host reviews it.
 */
@FunctionalInterface
public interface OwnershipPolicy {

    /** Which claim owns the prospect. */
    enum Owner {
        INCUMBENT, CHALLENGER
    }

    /**
     * One referral's claim on a prospect.
     *
     * @param advocateKind who the referring advocate is to the host
     * @param salesRep the rep who entered it, or empty
     * @param sameProgram true when both claims are in the same program
     */
    record Claim(AdvocateKind advocateKind, String salesRep, boolean sameProgram) {
        public Claim {
            Objects.requireNonNull(advocateKind, "advocateKind");
            Objects.requireNonNull(salesRep, "salesRep");
        }
    }

    /** Decides between an earlier claim and a new one. */
    Owner owner(Claim incumbent, Claim challenger);

    /** The default: the first valid referral wins. */
    static OwnershipPolicy firstWins() {
        return (incumbent, challenger) -> Owner.INCUMBENT;
    }

    /** A partner's referral takes a prospect over from a non-partner's; otherwise the first wins. */
    static OwnershipPolicy partnerOverCustomer() {
        return (incumbent, challenger) -> challenger.advocateKind() == AdvocateKind.PARTNER
                && incumbent.advocateKind() != AdvocateKind.PARTNER ? Owner.CHALLENGER : Owner.INCUMBENT;
    }
}
