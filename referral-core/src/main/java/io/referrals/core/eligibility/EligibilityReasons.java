package io.referrals.core.eligibility;

import io.referrals.core.model.Reason;
import java.util.List;

/**
 * The reason codes of the eligibility checks, and the advocate-safe reasons carrying them. Texts never contain the
 * prospect's personal data.
 */
public final class EligibilityReasons {
    /** The prospect is the advocate (same normalised email). */
    public static final String SELF_REFERRAL = "self_referral";
    /** The prospect works at the advocate's own company (same registrable domain, free mail never counts). */
    public static final String SAME_COMPANY = "same_company";
    /** The prospect is one of the host's own employees (a host company domain). */
    public static final String HOST_EMPLOYEE = "host_employee";
    /** The advocate is an employee of the host (kind {@code EMPLOYEE} or a host company domain). */
    public static final String EMPLOYEE_ADVOCATE = "employee_advocate";
    /** Someone already referred this prospect within the protection window and keeps ownership. */
    public static final String DUPLICATE_PROSPECT = "duplicate_prospect";
    /** An earlier referral lost ownership of its prospect to a later one (set on the earlier referral). */
    public static final String OWNERSHIP_TRANSFERRED = "ownership_transferred";
    /** The host's lookup says the prospect is already a lead. */
    public static final String EXISTING_LEAD = "existing_lead";
    /** The host's lookup says the prospect is already a customer. */
    public static final String EXISTING_CUSTOMER = "existing_customer";
    /** The prospect referred the advocate before (A refers B after B referred A). */
    public static final String CIRCULAR_REFERRAL = "circular_referral";
    /** The advocate exceeded a velocity limit. */
    public static final String VELOCITY_ADVOCATE = "velocity_advocate";
    /** The referral code exceeded a velocity limit. */
    public static final String VELOCITY_CODE = "velocity_code";
    /** The prospect's email is at a disposable-email domain. */
    public static final String DISPOSABLE_EMAIL = "disposable_email";
    /** The prospect's email is on the host's blocklist. */
    public static final String BLOCKED_EMAIL = "blocked_email";
    /** The prospect's email or company domain is on the host's blocklist. */
    public static final String BLOCKED_DOMAIN = "blocked_domain";
    /** The advocate is on the host's blocklist. */
    public static final String BLOCKED_ADVOCATE = "blocked_advocate";
    /** The advocate and the prospect came from the same IP address. */
    public static final String SHARED_IP = "shared_ip";
    /** The advocate and the prospect used the same device. */
    public static final String SHARED_DEVICE = "shared_device";
    /** The advocate and the prospect used the same user agent. */
    public static final String SHARED_USER_AGENT = "shared_user_agent";

    /** Every code above, in the order the checks run. */
    public static final List<String> ALL = List.of(BLOCKED_ADVOCATE, EMPLOYEE_ADVOCATE, SELF_REFERRAL, SAME_COMPANY,
            HOST_EMPLOYEE, BLOCKED_EMAIL, BLOCKED_DOMAIN, DISPOSABLE_EMAIL, EXISTING_CUSTOMER, EXISTING_LEAD,
            DUPLICATE_PROSPECT, OWNERSHIP_TRANSFERRED, CIRCULAR_REFERRAL, VELOCITY_ADVOCATE, VELOCITY_CODE, SHARED_IP,
            SHARED_DEVICE, SHARED_USER_AGENT);

    private EligibilityReasons() {
    }

    /**
     * The advocate-safe reason for {@code code}.
     *
     * @throws IllegalArgumentException if the code is not one of {@link #ALL}
     */
    public static Reason reason(String code) {
        return Reason.of(code, switch (code) {
            case SELF_REFERRAL -> "You cannot refer yourself.";
            case SAME_COMPANY -> "Referrals of colleagues at your own company are not eligible in this program.";
            case HOST_EMPLOYEE -> "Our own employees cannot be referred.";
            case EMPLOYEE_ADVOCATE -> "Employees cannot take part in this program.";
            case DUPLICATE_PROSPECT -> "This contact was already referred.";
            case OWNERSHIP_TRANSFERRED -> "Another referral of this contact takes precedence; we are reviewing it.";
            case EXISTING_LEAD -> "We are already in touch with this contact.";
            case EXISTING_CUSTOMER -> "This contact is already a customer.";
            case CIRCULAR_REFERRAL -> "This contact referred you before; we are reviewing the referral.";
            case VELOCITY_ADVOCATE -> "You have made many referrals in a short time; please try again later.";
            case VELOCITY_CODE -> "This referral code was used many times in a short time.";
            case DISPOSABLE_EMAIL -> "Please refer a contact with a permanent email address.";
            case BLOCKED_EMAIL, BLOCKED_DOMAIN -> "This contact cannot be referred.";
            case BLOCKED_ADVOCATE -> "Your referrals cannot be accepted at the moment.";
            case SHARED_IP, SHARED_DEVICE, SHARED_USER_AGENT -> "We are reviewing this referral.";
            default -> throw new IllegalArgumentException("unknown eligibility reason code: " + code);
        });
    }
}
