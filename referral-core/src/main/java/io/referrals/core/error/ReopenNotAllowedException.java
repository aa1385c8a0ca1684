package io.referrals.core.error;

/**
 * A lost referral was asked to move back to an open stage, and its program's pipeline declares no such reopening
 * (see {@link io.referrals.core.model.StagePipeline.Builder#reopen}). Nothing was written. Declaring the reopening
 * in the program's pipeline, or capturing a new referral, are the ways forward.
 */
public final class ReopenNotAllowedException extends IllegalTransitionException {
    private static final long serialVersionUID = 1L;

    /**
     * @param referralId the referral
     * @param from its lost stage
     * @param to the open stage requested
     */
    public ReopenNotAllowedException(String referralId, String from, String to) {
        super(referralId, from, to, "referral " + referralId + " was lost (stage '" + from
                + "') and cannot be reopened to stage '" + to + "': its program's pipeline declares no such reopening");
    }
}
