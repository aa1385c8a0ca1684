/** Storage contract test kit: reusable tests every storage implementation must pass. */
package io.referrals.storage.tck;
