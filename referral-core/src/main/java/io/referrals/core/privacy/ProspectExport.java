package io.referrals.core.privacy;

import io.referrals.core.json.JsonWriter;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the library holds about one prospect (matched by normalised email): every referral of them, with the
 * data captured, the consent basis, where it stands and its stage history. Immutable.
 *
 * @param generatedAt when the export was made
 * @param referrals the referrals of the prospect, oldest first; empty when the library holds nothing
 */
public record ProspectExport(Instant generatedAt, List<Entry> referrals) {
    public ProspectExport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        referrals = List.copyOf(referrals);
    }

    /**
     * One referral of the prospect.
     *
     * @param referralId the referral
     * @param programId its program
     * @param advocateId who referred the prospect
     * @param prospect the data captured
     * @param channel how it came in
     * @param consent the basis on which the prospect may be contacted
     * @param note the advocate's note
     * @param stage where it stands
     * @param review its review status
     * @param findings eligibility findings
     * @param submittedAt when it was captured
     * @param timeline its stage history
     */
    public record Entry(ReferralId referralId, ProgramId programId, AdvocateId advocateId, Prospect prospect,
            Channel channel, ConsentBasis consent, String note, Stage stage, ReviewStatus review,
            List<Reason> findings, Instant submittedAt, List<TimelineEntry> timeline) {
        public Entry {
            Objects.requireNonNull(referralId, "referralId");
            Objects.requireNonNull(prospect, "prospect");
            findings = List.copyOf(findings);
            timeline = List.copyOf(timeline);
        }
    }

    /** The export as a JSON document (UTF-8 text, RFC 8259). */
    public String toJson() {
        return JsonWriter.of(this);
    }
}
