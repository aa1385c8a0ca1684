package io.referrals.core;

import java.util.function.Supplier;

/**
 * Wraps every operation of a {@link ReferralEngine} that changes data, for example to time it and open a tracing span
 * (the Spring Boot starter adapts Micrometer's {@code Observation} to it). Register one with
 * {@link ReferralEngine.Builder#observer}. Must be thread-safe.
 *
 * <p>Operation names are stable, lower-case and low-cardinality: {@code capture}, {@code import}, {@code transition},
 * {@code apply_crm_stage}, {@code record_deal_value}, {@code approve_referral}, {@code deny_referral},
 * {@code define_program}, {@code change_program_status}, {@code register_advocate}, {@code enrol}, {@code opt_out},
 * {@code issue_code}, {@code revoke_code}, {@code erase_prospect}, {@code erase_advocate}.
 */
public interface OperationObserver {

    /** An observer that only runs the operation. */
    OperationObserver NONE = new OperationObserver() {
        @Override
        public <T> T observe(String operation, Supplier<T> op) {
            return op.get();
        }
    };

    /**
     * Runs {@code op}, the engine operation {@code operation}, exactly once on the calling thread, and returns what it
     * returned; an exception it throws must reach the caller unchanged. An observer that fails itself should log and
     * still run the operation.
     */
    <T> T observe(String operation, Supplier<T> op);
}
