/** Program insights measured on PostgreSQL: SQL aggregation against loading the rows and aggregating in Java. */
package io.referrals.benchmarks.insights;
