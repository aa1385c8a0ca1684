/**
 * Eligibility and fraud controls run on every capture, inside its transaction, before the referral is stored. Each
 * check that objects yields a {@link io.referrals.core.model.Reason} whose code is one of
 * {@link io.referrals.core.eligibility.EligibilityReasons}; the program's
 * {@link io.referrals.core.eligibility.EligibilityPolicy} decides per code whether to reject, flag for review or allow.
 * Host-wide inputs (the host's own domains, blocklists, extra disposable domains, a lead/customer lookup) are given
 * once as {@link io.referrals.core.eligibility.EligibilitySettings}.
 */
package io.referrals.core.eligibility;
