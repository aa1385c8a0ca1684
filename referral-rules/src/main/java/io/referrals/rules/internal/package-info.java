/**
 * The evaluation internals of the rules module: compiled rules and conditions, the facts of an event, the writes
 * behind rewards, limits and their counter keys, and the parts the {@link io.referrals.rules.Rewards} service
 * delegates to. Not an API: anything here may change at any time, in any release. Hosts use
 * {@link io.referrals.rules.RewardsEngine} and {@link io.referrals.rules.Rewards}.
 */
package io.referrals.rules.internal;
