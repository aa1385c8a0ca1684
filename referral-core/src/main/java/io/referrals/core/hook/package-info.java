/**
 * Extension points that run inside the engine's transactions: {@link io.referrals.core.hook.ReferralHook}s react to
 * captures and stage changes (the rules module pays rewards this way), and a
 * {@link io.referrals.core.hook.UnitOfWork} lets an extension write and emit events in the same transaction as the
 * change it reacts to.
 */
package io.referrals.core.hook;
