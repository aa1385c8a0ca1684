/**
 * The advocate's view as immutable values: what one advocate may see of their programs, codes and share links, their
 * referrals with a status written for them, their rewards with why each is pending, their points and their progress
 * toward the next reward, tier or contest rank. Built by {@link io.referrals.core.AdvocateViews}; the
 * {@link io.referrals.core.view.ProgressSource} SPI lets an extension (such as the rules engine) add progress. No
 * value here carries a prospect's name, e-mail or phone: only the company as it was entered with the referral. Every
 * type is immutable and thread-safe.
 */
package io.referrals.core.view;
