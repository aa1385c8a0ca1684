package io.referrals.core.eligibility;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program's eligibility rules: what to do for each {@link EligibilityReasons reason code}, the protection window for
 * duplicates, whether ownership is per person or per company, the ownership policy and velocity limits. Immutable and
 * thread-safe; build with {@link #builder()} or take {@link #defaults()}.
 *
 * <p>Default decisions: shared signals ({@code shared_ip}, {@code shared_device}, {@code shared_user_agent}),
 * {@code circular_referral} and {@code ownership_transferred} flag for review; {@code employee_advocate} is allowed
 * (a program that excludes employees sets it to {@link Decision#REJECT}); every other code rejects. Default window 90
 * days, person-level ownership, {@link OwnershipPolicy#firstWins()}, 50 referrals per hour per advocate and per code.
 */
public final class EligibilityPolicy {
    private static final EligibilityPolicy DEFAULTS = builder().build();

    private final Map<String, Decision> decisions;
    private final Duration protectionWindow;
    private final boolean accountLevel;
    private final OwnershipPolicy ownership;
    private final List<VelocityLimit> advocateLimits;
    private final List<VelocityLimit> codeLimits;

    private EligibilityPolicy(Builder b) {
        this.decisions = Map.copyOf(b.decisions);
        this.protectionWindow = b.protectionWindow;
        this.accountLevel = b.accountLevel;
        this.ownership = b.ownership;
        this.advocateLimits = List.copyOf(b.advocateLimits);
        this.codeLimits = List.copyOf(b.codeLimits);
    }

    /** The default policy described above. */
    public static EligibilityPolicy defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The decision for a reason code.
     *
     * @throws IllegalArgumentException for a code not in {@link EligibilityReasons#ALL}
     */
    public Decision decision(String code) {
        Decision d = decisions.get(Objects.requireNonNull(code, "code"));
        if (d == null) {
            throw new IllegalArgumentException("unknown eligibility reason code: " + code);
        }
        return d;
    }

    /** How long a referral keeps ownership of its prospect. */
    public Duration protectionWindow() {
        return protectionWindow;
    }

    /**
     * True when ownership is per company (the prospect's registrable company domain, free mail excluded) rather than
     * per person (normalised email).
     */
    public boolean accountLevel() {
        return accountLevel;
    }

    public OwnershipPolicy ownership() {
        return ownership;
    }

    /** Limits on referrals per advocate in the program. */
    public List<VelocityLimit> advocateLimits() {
        return advocateLimits;
    }

    /** Limits on referrals per referral code. */
    public List<VelocityLimit> codeLimits() {
        return codeLimits;
    }

    /** Builds an {@link EligibilityPolicy}, starting from the defaults. Not thread-safe. */
    public static final class Builder {
        private final Map<String, Decision> decisions = new HashMap<>();
        private Duration protectionWindow = Duration.ofDays(90);
        private boolean accountLevel;
        private OwnershipPolicy ownership = OwnershipPolicy.firstWins();
        private List<VelocityLimit> advocateLimits = List.of(VelocityLimit.perHour(50));
        private List<VelocityLimit> codeLimits = List.of(VelocityLimit.perHour(50));

        private Builder() {
            for (String code : EligibilityReasons.ALL) {
                decisions.put(code, Decision.REJECT);
            }
            for (String code : List.of(EligibilityReasons.SHARED_IP, EligibilityReasons.SHARED_DEVICE,
                    EligibilityReasons.SHARED_USER_AGENT, EligibilityReasons.CIRCULAR_REFERRAL,
                    EligibilityReasons.OWNERSHIP_TRANSFERRED)) {
                decisions.put(code, Decision.FLAG);
            }
            decisions.put(EligibilityReasons.EMPLOYEE_ADVOCATE, Decision.ALLOW);
        }

        /**
         * Sets the decision for one reason code.
         *
         * @throws IllegalArgumentException for a code not in {@link EligibilityReasons#ALL}
         */
        public Builder decide(String code, Decision decision) {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(decision, "decision");
            if (!decisions.containsKey(code)) {
                throw new IllegalArgumentException("unknown eligibility reason code: " + code);
            }
            decisions.put(code, decision);
            return this;
        }

        /** @throws IllegalArgumentException if the window is negative */
        public Builder protectionWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.isNegative()) {
                throw new IllegalArgumentException("the protection window cannot be negative");
            }
            protectionWindow = window;
            return this;
        }

        /** Ownership per company domain instead of per person. */
        public Builder accountLevel(boolean v) {
            accountLevel = v;
            return this;
        }

        public Builder ownership(OwnershipPolicy policy) {
            ownership = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Replaces the per-advocate limits; none disables the check. */
        public Builder advocateLimits(VelocityLimit... limits) {
            advocateLimits = List.of(limits);
            return this;
        }

        /** Replaces the per-code limits; none disables the check. */
        public Builder codeLimits(VelocityLimit... limits) {
            codeLimits = List.of(limits);
            return this;
        }

        public EligibilityPolicy build() {
            return new EligibilityPolicy(this);
        }
    }
}
