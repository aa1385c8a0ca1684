/**
 * Outbox delivery latency on PostgreSQL: commit to listener at a steady rate, with the dispatcher in the producing JVM
 * (woken on commit, and polling only) and in a second JVM ({@link io.referrals.benchmarks.outbox.OutboxLatencyHarness}).
 */
package io.referrals.benchmarks.outbox;
