/** JMH benchmarks for the referral tracking library. */
package io.referrals.benchmarks;
