package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.ReferralEngine;

/**
 * Changes the engine's builder before the starter builds it: eligibility policies per program, links, an event
 * executor, more extensions. Beans of this type run in bean order. The starter's settings (store, outbox, secret,
 * clock, listener, rewards) are made before, and a customizer should not undo them.
 */
@FunctionalInterface
public interface ReferralEngineCustomizer {

    void customize(ReferralEngine.Builder builder);
}
