/**
 * The one way to plug a feature into the engine: an {@link io.referrals.core.extension.Extension} is installed on the
 * engine's builder, registers its hooks and returns the service the host calls, which runs its work through the
 * engine's {@link io.referrals.core.extension.TransactionRunner}.
 */
package io.referrals.core.extension;
