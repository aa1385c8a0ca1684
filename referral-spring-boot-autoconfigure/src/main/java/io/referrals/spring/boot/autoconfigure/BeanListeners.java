package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The engine's one listener: delivers each event to every {@link ReferralListener} bean, in bean order, resolved at
 * delivery time (not when the engine is built), so a listener may depend on the engine or the rewards service without
 * a bean cycle. A listener that throws does not stop the others; if any threw, this throws afterwards so that the
 * outbox delivers the event again later (to every listener: listeners de-duplicate by event id).
 */
final class BeanListeners implements ReferralListener {
    private final ObjectProvider<ReferralListener> listeners;
    private final ObjectProvider<ListenerFailures> failures;

    BeanListeners(ObjectProvider<ReferralListener> listeners, ObjectProvider<ListenerFailures> failures) {
        this.listeners = listeners;
        this.failures = failures;
    }

    @Override
    public void onEvent(ReferralEvent event) {
        List<String> failed = new ArrayList<>();
        RuntimeException first = null;
        for (ReferralListener l : listeners.orderedStream().toList()) {
            try {
                l.onEvent(event);
                event.dispatchTo(l);
            } catch (RuntimeException e) {
                failed.add(l.getClass().getName());
                failures.ifAvailable(f -> f.failed(l, event, e));
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw new ListenerFailedException("listeners " + failed + " failed on event " + event.metadata().id()
                    + "; it is delivered again after the outbox's backoff", first);
        }
    }

    /** One or more listener beans failed on an event. */
    static final class ListenerFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ListenerFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
