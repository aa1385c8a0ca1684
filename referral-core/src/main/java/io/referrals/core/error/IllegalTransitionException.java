package io.referrals.core.error;

/** A referral was asked to move between two stages that its program's pipeline does not connect. */
public final class IllegalTransitionException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final String referralId;
    private final String from;
    private final String to;

    public IllegalTransitionException(String referralId, String from, String to) {
        super("referral " + referralId + " cannot move from stage '" + from + "' to stage '" + to + "'");
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
