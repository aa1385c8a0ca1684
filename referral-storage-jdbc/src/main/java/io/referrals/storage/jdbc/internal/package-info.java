/**
 * Implementation of the JDBC store: SQL per dialect, the migrator, the JSON codec and error translation. Not an API:
 * anything here may change at any time, without notice.
 */
package io.referrals.storage.jdbc.internal;
