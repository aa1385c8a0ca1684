/**
 * Program insights measured on PostgreSQL: SQL aggregation against loading the rows and aggregating in Java
 * ({@link io.referrals.benchmarks.insights.ProgramSummaryHarness}).
 *
 * <p>Measured 2026-11-22 on the shared 2-core development machine, PostgreSQL 127.0.0.1, one program of 1,000,000
 * referrals (about 2.4 million timeline entries, 200,000 rewards, 20,000 advocates), loaded in 146 s through the
 * SPI's batched inserts. {@code ProgramInsights.report}: 12.4 s/op (SQL aggregation); loading the rows and
 * aggregating in Java: 41.1 s/op; mean of 3 after one warm-up each, both reports equal; ratio 3.3. At 200,000
 * referrals: 2.2 s/op against 10.4 s/op, ratio 4.7. The baseline is favoured: it reads timelines in one streaming
 * query, not one call per referral.
 */
package io.referrals.benchmarks.insights;
