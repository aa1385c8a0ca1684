/**
 * Delivery of events from a store's transactional outbox: {@link io.referrals.core.outbox.OutboxDispatcher} claims
 * committed events, hands them to the listeners, and records delivery, retries with backoff, or parks an event that
 * keeps failing. Works with any {@link io.referrals.core.storage.ReferralStore}.
 */
package io.referrals.core.outbox;
