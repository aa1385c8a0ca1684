package io.referrals.examples.boot;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionResult;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.TransitionCause;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The host's service: each method is one Spring transaction that the referral store joins, so the referral, its events
 * and the host's own lead row commit together or not at all.
 */
@Service
public class ReferralDesk {
    private final ReferralEngine engine;
    private final JdbcTemplate jdbc;

    public ReferralDesk(ReferralEngine engine, JdbcTemplate jdbc) {
        this.engine = engine;
        this.jdbc = jdbc;
    }

    /**
     * Captures a referral by code and records the lead for the CRM.
     *
     * @param failAfterCapture simulates the host failing after the capture (its CRM push, say): everything rolls back
     */
    @Transactional
    public CaptureResult capture(ReferralForm form, boolean failAfterCapture) {
        CaptureResult result = engine.capture(CaptureRequest.builder().code(form.code())
                .prospect(Prospect.builder().fullName(form.name()).email(form.email()).company(form.company()).build())
                .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
        result.recorded().ifPresent(r -> jdbc.update("INSERT INTO lead (referral_id, company) VALUES (?, ?)",
                r.id().value(), form.company()));
        if (failAfterCapture) {
            throw new CrmUnavailableException("the CRM did not take the lead");
        }
        return result;
    }

    /** Applies a CRM stage (Salesforce, HubSpot or the program's own names) sent by the CRM's webhook. */
    @Transactional
    public TransitionResult applyCrmStage(CrmStageChange change) {
        return engine.applyCrmStage(ReferralId.of(change.referralId()), change.stage(),
                TransitionCause.crm(change.crm()), change.opportunityId() == null ? "" : change.opportunityId());
    }

    /** How many leads the host recorded for a referral. */
    public long leads(ReferralId id) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM lead WHERE referral_id = ?", Long.class, id.value());
        return n == null ? 0 : n;
    }

    /** The host's CRM could not be reached. */
    public static final class CrmUnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CrmUnavailableException(String message) {
            super(message);
        }
    }

    /** A referral form: the advocate's code and the prospect. */
    public record ReferralForm(String code, String name, String email, String company) {
    }

    /** A CRM webhook's stage change. */
    public record CrmStageChange(String referralId, String stage, String crm, String opportunityId) {
    }
}
