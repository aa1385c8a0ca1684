package io.referrals.rules.definition;

import io.referrals.core.model.Beneficiary;
import java.util.Objects;

/**
 * One side of a rule's incentive: what {@code beneficiary} gets. A dual-sided rule has one grant per side.
 *
 * @param beneficiary the advocate or the referred party
 * @param give what they get
 */
public record Grant(Beneficiary beneficiary, Give give) {
    public Grant {
        Objects.requireNonNull(beneficiary, "beneficiary");
        Objects.requireNonNull(give, "give");
    }
}
