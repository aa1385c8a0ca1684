/**
 * Privacy: keyed match keys that let the engine recognise a person or company again without storing a reversible
 * value ({@link io.referrals.core.privacy.MatchKeys}), and the documents returned by the engine's export and erasure
 * operations ({@link io.referrals.core.privacy.ProspectExport}, {@link io.referrals.core.privacy.AdvocateExport},
 * {@link io.referrals.core.privacy.ErasureReport}).
 *
 * <p>Consent: a referral captured with {@link io.referrals.core.model.ConsentBasis#NONE} is recorded, but the engine
 * never emits a <em>contact-leading</em> notification for it. The contact-leading notifications are exactly:
 * {@link io.referrals.core.event.ReferralSubmitted}, {@link io.referrals.core.event.ReferralReviewed} with decision
 * {@link io.referrals.core.model.ReviewStatus#APPROVED}, and the
 * {@link io.referrals.core.hook.ReferralHook#afterCapture} hook call. Everything else (flagged and rejected events,
 * stage changes reported by the host's CRM, reviews that deny) says what happened, not that someone may reach out.
 */
package io.referrals.core.privacy;
