/**
 * Reward rules for referral programs. A host builds a {@link io.referrals.rules.RewardsEngine} from rule sets (written
 * in Java with the types of {@link io.referrals.rules.definition}, or read from files with
 * {@link io.referrals.rules.file.RuleFiles}), installs it on the {@link io.referrals.core.ReferralEngine}, and calls
 * the {@link io.referrals.rules.Rewards} service it gets back for approval and fulfilment, clawback, points and the
 * catalogue, contests and explanations. {@link io.referrals.rules.RuleSetBacktest} judges a candidate rule set over
 * past referrals.
 *
 * <p>Packages: {@code definition} (the rules a host writes), {@code file} (rule files), {@code result} (what rules
 * decide and operations report), {@code spi} (the host's approver and fulfiller) and {@code internal} (evaluation
 * internals, not an API).
 */
package io.referrals.rules;
