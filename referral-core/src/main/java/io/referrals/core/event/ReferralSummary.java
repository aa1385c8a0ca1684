package io.referrals.core.event;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import java.util.Objects;

/**
 * Enough about a referral to tell its advocate how it is doing ("Jane, your referral to Initech had a demo today"),
 * and no more of the prospect's personal data than the company name.
 *
 * @param referralId the referral
 * @param programId its program
 * @param programName the program's display name
 * @param advocate the advocate
 * @param prospectCompany the referred company's name
 * @param stage the referral's stage after the event
 * @param terminal true when {@code stage} is terminal
 * @param channel how it came in
 * @param consent the basis on which the prospect may be contacted
 */
public record ReferralSummary(ReferralId referralId, ProgramId programId, String programName,
        AdvocateSummary advocate, String prospectCompany, Stage stage, boolean terminal, Channel channel,
        ConsentBasis consent) {
    public ReferralSummary {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(programName, "programName");
        Objects.requireNonNull(advocate, "advocate");
        Objects.requireNonNull(prospectCompany, "prospectCompany");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(consent, "consent");
    }

    public static ReferralSummary of(Referral r, Program p, Advocate a) {
        return new ReferralSummary(r.id(), p.id(), p.name(), AdvocateSummary.of(a), r.prospect().company(),
                r.stage(), p.pipeline().isTerminal(r.stage()), r.channel(), r.consent());
    }
}
