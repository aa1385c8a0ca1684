package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;

/**
 * Hears each failure of a {@link ReferralListener} bean on an event (the starter counts them in a meter). Beans of this
 * type are called on the outbox dispatcher's thread; one that throws breaks the delivery of that event, so keep it simple.
 */
@FunctionalInterface
public interface ListenerFailures {

    /** {@code listener} threw {@code error} on {@code event}. */
    void failed(ReferralListener listener, ReferralEvent event, RuntimeException error);
}
