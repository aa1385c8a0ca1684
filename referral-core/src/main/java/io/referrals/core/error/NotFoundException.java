package io.referrals.core.error;

/** The named program, advocate, referral, code or reward does not exist. */
public final class NotFoundException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String id;

    public NotFoundException(String kind, String id) {
        super(kind + " not found: " + id);
        this.kind = kind;
        this.id = id;
    }

    /** What was looked up: {@code program}, {@code advocate}, {@code referral}, {@code code}, ... */
    public String kind() {
        return kind;
    }

    /** The id that was looked up. */
    public String id() {
        return id;
    }
}
