/**
 * Program insights measured on PostgreSQL ({@link io.referrals.benchmarks.insights.ProgramSummaryHarness}): the store's
 * SQL aggregation, checked equal to loading the rows and aggregating in Java, and the same questions answered by
 * DuckDB over the rows exported to it ({@link io.referrals.benchmarks.insights.DuckDbProgramStats}). Figures, commands
 * and the load of the machine during each run are in {@code benchmarks/README.md}.
 */
package io.referrals.benchmarks.insights;
