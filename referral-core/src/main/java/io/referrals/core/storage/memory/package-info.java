/** A thread-safe in-memory {@link io.referrals.core.storage.ReferralStore}, for tests and small hosts. */
package io.referrals.core.storage.memory;
