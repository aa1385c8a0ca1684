/**
 * The reward rules a host writes: a {@link io.referrals.rules.definition.RuleSet} of
 * {@link io.referrals.rules.definition.Rule}s, each with a {@link io.referrals.rules.definition.Trigger}, a
 * {@link io.referrals.rules.definition.Condition}, what each side gets ({@link io.referrals.rules.definition.Give},
 * {@link io.referrals.rules.definition.Amount}) and its {@link io.referrals.rules.definition.Limit}s; and the
 * program's {@link io.referrals.rules.definition.Tiers}, {@link io.referrals.rules.definition.Contest}s and
 * redemption catalogue ({@link io.referrals.rules.definition.CatalogueItem}).
 *
 * <p>Every type here is an immutable value. Single values (an amount, a trigger, a condition) refuse a bad argument
 * at once with an {@link java.lang.IllegalArgumentException}; what is assembled from parts (a rule, a rule set, a
 * contest, a catalogue item, tiers, a per-advocate limit) is checked as a whole and refused with one
 * {@link io.referrals.core.error.ValidationException} naming every problem by its path, such as
 * {@code rules[2].when}. These types know nothing of how rules are evaluated or stored.
 */
package io.referrals.rules.definition;
