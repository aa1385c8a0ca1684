/**
 * Implementation details of the engine. Not an API: anything here may change in any release, and other modules must
 * not use it.
 */
package io.referrals.core.internal;
