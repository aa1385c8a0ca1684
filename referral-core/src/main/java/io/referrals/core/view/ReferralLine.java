package io.referrals.core.view;

import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.ReferralId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One of the advocate's referrals, as the advocate may see it: never the prospect's name, e-mail or phone.
 *
 * @param id the referral
 * @param programId its program
 * @param company the prospect's company as it was entered with the referral; empty when none was entered or it was
 *     erased
 * @param state where it stands, in the advocate's terms
 * @param label the status written for the advocate, in the view's language: the label of its stage (a custom stage
 *     without a label reads as its name in words), or of its state while it is reviewed or once it was refused
 * @param reason why it stands there, safe to show the advocate (an eligibility finding, or the reason recorded with
 *     its last move), or empty
 * @param submittedAt when it was submitted
 * @param lastMovedAt when it last changed
 */
public record ReferralLine(ReferralId id, ProgramId programId, String company, ReferralState state, String label,
        Optional<Reason> reason, Instant submittedAt, Instant lastMovedAt) {

    /** @throws NullPointerException if an argument is null */
    public ReferralLine {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(company, "company");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(lastMovedAt, "lastMovedAt");
    }
}
