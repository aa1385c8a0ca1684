/**
 * Benchmarks of the JDBC store ({@code io.referrals.storage.jdbc.JdbcReferralStore}) through the engine, each beside a
 * hand-written JDBC or raw Caffeine baseline run in the same JMH run. See benchmarks/README.md.
 */
package io.referrals.benchmarks.jdbc;
