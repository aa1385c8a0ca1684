package io.referrals.core.error;

/**
 * A referral was asked to move between two stages that its program's pipeline does not connect. A lost referral
 * whose pipeline declares no such reopening is refused with the subtype {@link ReopenNotAllowedException}.
 */
public class IllegalTransitionException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final String referralId;
    private final String from;
    private final String to;

    public IllegalTransitionException(String referralId, String from, String to) {
        this(referralId, from, to, "referral " + referralId + " cannot move from stage '" + from + "' to stage '" + to
                + "'");
    }

    /** For subtypes with a message of their own. */
    protected IllegalTransitionException(String referralId, String from, String to, String message) {
        super(message);
        this.referralId = referralId;
        this.from = from;
        this.to = to;
    }

    public String referralId() {
        return referralId;
    }

    /** The referral's current stage. */
    public String from() {
        return from;
    }

    /** The requested stage. */
    public String to() {
        return to;
    }
}
