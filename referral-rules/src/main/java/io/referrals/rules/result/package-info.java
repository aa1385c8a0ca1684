/**
 * What the rules decide and what the {@link io.referrals.rules.Rewards} operations report: a rule's
 * {@link io.referrals.rules.result.RuleDecision} for an event, the {@link io.referrals.rules.result.RuleOutcome} of a
 * rule for a milestone (the answer to "why did I, or didn't I, get a reward?"), and the results of the scheduled run,
 * of a redemption and of a contest. Immutable values.
 */
package io.referrals.rules.result;
