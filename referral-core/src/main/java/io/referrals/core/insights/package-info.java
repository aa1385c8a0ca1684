/**
 * Program insights as immutable values: the {@link io.referrals.core.insights.InsightsQuery query} a store answers
 * with aggregates ({@link io.referrals.core.insights.ProgramStats}), the KPI
 * {@link io.referrals.core.insights.ProgramReport report} computed from them, its CSV and JSON
 * {@link io.referrals.core.insights.InsightsExport export}, the {@link io.referrals.core.insights.RoiCalculator ROI
 * calculator}, and the values of a backtest ({@link io.referrals.core.insights.CandidateRules}). Nothing here reads a
 * store: {@link io.referrals.core.ProgramInsights} does. Every type is immutable and thread-safe.
 */
package io.referrals.core.insights;
