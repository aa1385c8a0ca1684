package io.referrals.core;

import io.referrals.core.eligibility.Signals;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import java.util.Objects;
import java.util.Optional;

/**
 * What a host passes to {@link ReferralEngine#capture}: who refers (an advocate id, or a referral code), into which
 * program, whom, through which channel, and on what consent basis. Immutable; build with {@link #builder()}. The
 * engine validates the content and names every bad field at once.
 */
public final class CaptureRequest {
    private final AdvocateId advocateId;
    private final String code;
    private final ProgramId programId;
    private final Prospect prospect;
    private final Channel channel;
    private final String salesRep;
    private final ConsentBasis consent;
    private final String note;
    private final String idempotencyKey;
    private final Signals signals;
    private final Signals advocateSignals;

    private CaptureRequest(Builder b) {
        this.advocateId = b.advocateId;
        this.code = b.code;
        this.programId = b.programId;
        this.prospect = b.prospect;
        this.channel = b.channel;
        this.salesRep = b.salesRep == null ? "" : b.salesRep;
        this.consent = b.consent;
        this.note = b.note == null ? "" : b.note;
        this.idempotencyKey = b.idempotencyKey == null ? "" : b.idempotencyKey;
        this.signals = b.signals == null ? Signals.NONE : b.signals;
        this.advocateSignals = b.advocateSignals == null ? Signals.NONE : b.advocateSignals;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The advocate, when named directly. */
    public Optional<AdvocateId> advocateId() {
        return Optional.ofNullable(advocateId);
    }

    /** The referral code the prospect came with, when the advocate is named by code. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    /** The program; may be left out when a code names it. */
    public Optional<ProgramId> programId() {
        return Optional.ofNullable(programId);
    }

    public Optional<Prospect> prospect() {
        return Optional.ofNullable(prospect);
    }

    public Optional<Channel> channel() {
        return Optional.ofNullable(channel);
    }

    /** The rep who entered the referral on the advocate's behalf, or empty. */
    public String salesRep() {
        return salesRep;
    }

    public Optional<ConsentBasis> consent() {
        return Optional.ofNullable(consent);
    }

    /** The advocate's note on why the prospect is a fit, or empty. */
    public String note() {
        return note;
    }

    /** The caller's idempotency key, or empty for none. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** Signals of whoever submitted the capture (the prospect, for a form behind a referral link); none by default. */
    public Signals signals() {
        return signals;
    }

    /** Signals of the advocate, as the host last saw them; none by default. */
    public Signals advocateSignals() {
        return advocateSignals;
    }

    /** Builds a {@link CaptureRequest}; any field may be left unset, the engine reports what is missing. */
    public static final class Builder {
        private AdvocateId advocateId;
        private String code;
        private ProgramId programId;
        private Prospect prospect;
        private Channel channel;
        private String salesRep;
        private ConsentBasis consent;
        private String note;
        private String idempotencyKey;
        private Signals signals;
        private Signals advocateSignals;

        private Builder() {
        }

        public Builder advocate(AdvocateId v) {
            advocateId = Objects.requireNonNull(v, "advocateId");
            return this;
        }

        public Builder code(String v) {
            code = Objects.requireNonNull(v, "code");
            return this;
        }

        public Builder program(ProgramId v) {
            programId = Objects.requireNonNull(v, "programId");
            return this;
        }

        public Builder prospect(Prospect v) {
            prospect = Objects.requireNonNull(v, "prospect");
            return this;
        }

        public Builder channel(Channel v) {
            channel = Objects.requireNonNull(v, "channel");
            return this;
        }

        /** The rep entering the referral; required with {@link Channel#SALES_REP}. */
        public Builder salesRep(String v) {
            salesRep = Objects.requireNonNull(v, "salesRep");
            return this;
        }

        public Builder consent(ConsentBasis v) {
            consent = Objects.requireNonNull(v, "consent");
            return this;
        }

        public Builder note(String v) {
            note = Objects.requireNonNull(v, "note");
            return this;
        }

        /**
         * An idempotency key: capturing again with the same key and the same payload returns the first result; with a
         * different payload it is refused.
         */
        public Builder idempotencyKey(String v) {
            idempotencyKey = Objects.requireNonNull(v, "idempotencyKey");
            return this;
        }

        /**
         * Signals of the submitter, used only as signals: shared with the advocate's, they flag the referral for review
         * by default. Not part of the idempotency fingerprint.
         */
        public Builder signals(Signals v) {
            signals = Objects.requireNonNull(v, "signals");
            return this;
        }

        /** Signals of the advocate (IP, user agent, device id from the advocate's session). */
        public Builder advocateSignals(Signals v) {
            advocateSignals = Objects.requireNonNull(v, "advocateSignals");
            return this;
        }

        public CaptureRequest build() {
            return new CaptureRequest(this);
        }
    }
}
