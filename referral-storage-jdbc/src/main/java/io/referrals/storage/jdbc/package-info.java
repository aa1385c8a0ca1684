/** JDBC storage implementation built on {@code java.sql} only. */
package io.referrals.storage.jdbc;
