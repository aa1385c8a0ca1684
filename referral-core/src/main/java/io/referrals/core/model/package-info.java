/**
 * The referral domain as immutable values: programs and their stage pipelines, advocates, referral codes, referrals
 * and their timelines, rewards and ledger entries. Every type here is an immutable, thread-safe record or enum
 * validated on construction; optional text is the empty string, never {@code null}.
 */
package io.referrals.core.model;
