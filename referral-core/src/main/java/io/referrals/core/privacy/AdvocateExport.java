package io.referrals.core.privacy;

import io.referrals.core.json.JsonWriter;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.Stage;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the library holds about one advocate: the advocate record, enrolments, codes, the referrals they made
 * (without the referred people's personal data beyond the company name, which is others' data), rewards and ledger.
 * Immutable.
 *
 * @param generatedAt when the export was made
 * @param advocate the advocate as stored
 * @param enrolments programs enrolled in
 * @param codes referral codes issued
 * @param referrals referrals made, by id
 * @param rewards rewards earned
 * @param ledger the points ledger
 */
public record AdvocateExport(Instant generatedAt, Advocate advocate, List<Enrolment> enrolments,
        List<ReferralCode> codes, List<Entry> referrals, List<Reward> rewards, List<LedgerEntry> ledger) {
    public AdvocateExport {
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(advocate, "advocate");
        enrolments = List.copyOf(enrolments);
        codes = List.copyOf(codes);
        referrals = List.copyOf(referrals);
        rewards = List.copyOf(rewards);
        ledger = List.copyOf(ledger);
    }

    /**
     * A referral the advocate made.
     *
     * @param referralId the referral
     * @param programId its program
     * @param prospectCompany the referred company's name
     * @param stage where it stands
     * @param review its review status
     * @param submittedAt when it was captured
     */
    public record Entry(ReferralId referralId, ProgramId programId, String prospectCompany, Stage stage,
            ReviewStatus review, Instant submittedAt) {
        public Entry {
            Objects.requireNonNull(referralId, "referralId");
        }
    }

    /** The export as a JSON document (UTF-8 text, RFC 8259). */
    public String toJson() {
        return JsonWriter.of(this);
    }
}
