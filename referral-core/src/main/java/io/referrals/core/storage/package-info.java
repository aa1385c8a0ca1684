/**
 * The storage SPI that store adapters implement: {@link io.referrals.core.storage.ReferralStore} runs units of work in
 * one transaction through a {@link io.referrals.core.storage.StoreTransaction}. Uniqueness, idempotency and
 * exactly-once rewards are the store's to enforce (unique keys and conditional writes), never the engine's memory.
 * The {@code referral-storage-tck} module checks every obligation stated here.
 */
package io.referrals.core.storage;
