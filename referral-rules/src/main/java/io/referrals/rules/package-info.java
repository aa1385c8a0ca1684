/** Reward rules: declarative rule definitions and their evaluation against referral events. */
package io.referrals.rules;
