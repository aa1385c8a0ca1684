/**
 * Events the engine emits after a change is committed, and the {@link io.referrals.core.event.ReferralListener} SPI
 * through which a host receives them. Events are immutable records; each belongs to a stream (a referral or an
 * advocate) and carries a gapless sequence number within it.
 */
package io.referrals.core.event;
