package io.referrals.spring.boot.autoconfigure;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.referrals.core.OperationObserver;
import java.util.function.Supplier;

/**
 * Wraps each engine operation in a Micrometer {@link Observation} named {@value #NAME} with the low-cardinality key
 * {@code operation}: with Actuator, a timer of that name and, with a tracer, a span named {@code referrals <operation>}.
 */
final class ObservationOperationObserver implements OperationObserver {
    static final String NAME = "referrals.operation";

    private final ObservationRegistry registry;

    ObservationOperationObserver(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <T> T observe(String operation, Supplier<T> op) {
        if (registry.isNoop()) {
            return op.get();
        }
        return Observation.createNotStarted(NAME, registry).lowCardinalityKeyValue("operation", operation)
                .contextualName("referrals " + operation).observe(op);
    }
}
