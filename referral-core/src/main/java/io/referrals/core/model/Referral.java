package io.referrals.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A captured referral and where it stands. Immutable and thread-safe; changes produce a copy with the next
 * {@link #version()}, which stores write conditionally on the previous one.
 */
public final class Referral {
    private final ReferralId id;
    private final ProgramId programId;
    private final AdvocateId advocateId;
    private final String code;
    private final Prospect prospect;
    private final Channel channel;
    private final String salesRep;
    private final ConsentBasis consent;
    private final String note;
    private final Stage stage;
    private final Outcome outcome;
    private final Money dealValue;
    private final ReviewStatus review;
    private final Instant submittedAt;
    private final Instant updatedAt;
    private final String idempotencyKey;
    private final String fingerprint;
    private final int timelineLength;
    private final long version;
    private final List<Reason> findings;
    private final String prospectEmailKey;
    private final String prospectDomainKey;
    private final CaptureReceipt captured;

    private Referral(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.programId = Objects.requireNonNull(b.programId, "programId");
        this.advocateId = Objects.requireNonNull(b.advocateId, "advocateId");
        this.code = Checks.text(b.code);
        this.prospect = Objects.requireNonNull(b.prospect, "prospect");
        this.channel = Objects.requireNonNull(b.channel, "channel");
        this.salesRep = Checks.text(b.salesRep);
        this.consent = Objects.requireNonNull(b.consent, "consent");
        this.note = Checks.text(b.note);
        this.stage = Objects.requireNonNull(b.stage, "stage");
        this.outcome = b.outcome;
        this.dealValue = b.dealValue;
        this.review = Objects.requireNonNull(b.review, "review");
        this.submittedAt = Objects.requireNonNull(b.submittedAt, "submittedAt");
        this.updatedAt = Objects.requireNonNull(b.updatedAt, "updatedAt");
        this.idempotencyKey = Checks.text(b.idempotencyKey);
        this.fingerprint = Checks.text(b.fingerprint);
        this.timelineLength = (int) Checks.nonNegative(b.timelineLength, "timelineLength");
        if (b.version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
        this.version = b.version;
        this.findings = List.copyOf(Objects.requireNonNull(b.findings, "findings"));
        this.prospectEmailKey = Checks.text(b.prospectEmailKey);
        this.prospectDomainKey = Checks.text(b.prospectDomainKey);
        this.captured = b.captured;
    }

    /** A builder for a new referral, version 1, review clear, empty timeline. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this referral's values, for the next version or for a store rebuilding a row. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.programId = programId;
        b.advocateId = advocateId;
        b.code = code;
        b.prospect = prospect;
        b.channel = channel;
        b.salesRep = salesRep;
        b.consent = consent;
        b.note = note;
        b.stage = stage;
        b.outcome = outcome;
        b.dealValue = dealValue;
        b.review = review;
        b.submittedAt = submittedAt;
        b.updatedAt = updatedAt;
        b.idempotencyKey = idempotencyKey;
        b.fingerprint = fingerprint;
        b.timelineLength = timelineLength;
        b.version = version;
        b.findings = findings;
        b.prospectEmailKey = prospectEmailKey;
        b.prospectDomainKey = prospectDomainKey;
        b.captured = captured;
        return b;
    }

    public ReferralId id() {
        return id;
    }

    public ProgramId programId() {
        return programId;
    }

    public AdvocateId advocateId() {
        return advocateId;
    }

    /** The referral code the referral came in with, as typed, or empty. */
    public String code() {
        return code;
    }

    public Prospect prospect() {
        return prospect;
    }

    public Channel channel() {
        return channel;
    }

    /** The rep who entered the referral for the advocate ({@link Channel#SALES_REP}), or empty. */
    public String salesRep() {
        return salesRep;
    }

    public ConsentBasis consent() {
        return consent;
    }

    /** The advocate's note on why the prospect is a fit, or empty. */
    public String note() {
        return note;
    }

    /** The current stage. */
    public Stage stage() {
        return stage;
    }

    /** The outcome once the referral reached a terminal stage. */
    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /** The value of the deal, once the host or CRM reported one. */
    public Optional<Money> dealValue() {
        return Optional.ofNullable(dealValue);
    }

    public ReviewStatus review() {
        return review;
    }

    public Instant submittedAt() {
        return submittedAt;
    }

    /** When the referral last changed. */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** The caller's idempotency key, or empty. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** A digest of the capture payload, used to tell a replay from a conflicting reuse of an idempotency key. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The number of entries in the referral's timeline. */
    public int timelineLength() {
        return timelineLength;
    }

    public long version() {
        return version;
    }

    /**
     * What the eligibility checks objected to at capture (and later, for example when another referral took ownership
     * of the prospect), with texts safe to show the advocate; empty when nothing was found. Only findings the program
     * rejects or flags are kept.
     */
    public List<Reason> findings() {
        return findings;
    }

    /**
     * The keyed hash of the prospect's normalised email ({@link io.referrals.core.privacy.MatchKeys#emailKey}), used to
     * recognise the same person again; empty when unknown or erased.
     */
    public String prospectEmailKey() {
        return prospectEmailKey;
    }

    /**
     * The keyed hash of the prospect's registrable company domain
     * ({@link io.referrals.core.privacy.MatchKeys#domainKey}), empty for free mail, when unknown, or once erased.
     */
    public String prospectDomainKey() {
        return prospectDomainKey;
    }

    /**
     * What the capture that recorded this referral returned; empty for an imported referral, and for one stored before
     * receipts were kept (see {@link CaptureReceipt}).
     */
    public Optional<CaptureReceipt> captured() {
        return Optional.ofNullable(captured);
    }

    /**
     * This referral as the capture that recorded it returned it, version 1: the stage, outcome, review status, findings
     * and timeline length of its {@link #captured() receipt}, no deal value, last changed when submitted. Every other
     * value is the current one, so data erased since (the prospect, the note, the match keys) stays erased. Empty
     * without a receipt.
     */
    public Optional<Referral> asCaptured() {
        if (captured == null) {
            return Optional.empty();
        }
        return Optional.of(toBuilder().stage(captured.stage()).outcome(captured.closed() ? Outcome.REJECTED : null)
                .dealValue(null).review(captured.review()).findings(captured.findings())
                .timelineLength(captured.closed() ? 1 : 0).updatedAt(submittedAt).version(1).build());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Referral r && id.equals(r.id) && version == r.version && stage.equals(r.stage)
                && programId.equals(r.programId) && advocateId.equals(r.advocateId) && code.equals(r.code)
                && prospect.equals(r.prospect) && channel == r.channel && salesRep.equals(r.salesRep)
                && consent == r.consent && note.equals(r.note) && Objects.equals(outcome, r.outcome)
                && Objects.equals(dealValue, r.dealValue) && review == r.review
                && submittedAt.equals(r.submittedAt) && updatedAt.equals(r.updatedAt)
                && idempotencyKey.equals(r.idempotencyKey) && fingerprint.equals(r.fingerprint)
                && timelineLength == r.timelineLength && findings.equals(r.findings)
                && prospectEmailKey.equals(r.prospectEmailKey) && prospectDomainKey.equals(r.prospectDomainKey)
                && Objects.equals(captured, r.captured);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, version);
    }

    /** Ids and stage only: never the prospect's personal data. */
    @Override
    public String toString() {
        return "Referral[id=" + id + ", program=" + programId + ", advocate=" + advocateId + ", stage=" + stage
                + ", version=" + version + "]";
    }

    /** Builds a {@link Referral}. Not thread-safe. */
    public static final class Builder {
        private ReferralId id;
        private ProgramId programId;
        private AdvocateId advocateId;
        private String code = "";
        private Prospect prospect;
        private Channel channel;
        private String salesRep = "";
        private ConsentBasis consent;
        private String note = "";
        private Stage stage;
        private Outcome outcome;
        private Money dealValue;
        private ReviewStatus review = ReviewStatus.CLEAR;
        private Instant submittedAt;
        private Instant updatedAt;
        private String idempotencyKey = "";
        private String fingerprint = "";
        private int timelineLength;
        private long version = 1;
        private List<Reason> findings = List.of();
        private String prospectEmailKey = "";
        private String prospectDomainKey = "";
        private CaptureReceipt captured;

        private Builder() {
        }

        public Builder id(ReferralId v) {
            id = v;
            return this;
        }

        public Builder programId(ProgramId v) {
            programId = v;
            return this;
        }

        public Builder advocateId(AdvocateId v) {
            advocateId = v;
            return this;
        }

        public Builder code(String v) {
            code = v;
            return this;
        }

        public Builder prospect(Prospect v) {
            prospect = v;
            return this;
        }

        public Builder channel(Channel v) {
            channel = v;
            return this;
        }

        public Builder salesRep(String v) {
            salesRep = v;
            return this;
        }

        public Builder consent(ConsentBasis v) {
            consent = v;
            return this;
        }

        public Builder note(String v) {
            note = v;
            return this;
        }

        public Builder stage(Stage v) {
            stage = v;
            return this;
        }

        /** The outcome, or {@code null} while the referral is open. */
        public Builder outcome(Outcome v) {
            outcome = v;
            return this;
        }

        /** The deal value, or {@code null} when unknown. */
        public Builder dealValue(Money v) {
            dealValue = v;
            return this;
        }

        public Builder review(ReviewStatus v) {
            review = v;
            return this;
        }

        public Builder submittedAt(Instant v) {
            submittedAt = v;
            return this;
        }

        public Builder updatedAt(Instant v) {
            updatedAt = v;
            return this;
        }

        public Builder idempotencyKey(String v) {
            idempotencyKey = v;
            return this;
        }

        public Builder fingerprint(String v) {
            fingerprint = v;
            return this;
        }

        public Builder timelineLength(int v) {
            timelineLength = v;
            return this;
        }

        public Builder version(long v) {
            version = v;
            return this;
        }

        /** Eligibility findings; the default is none. */
        public Builder findings(List<Reason> v) {
            findings = v;
            return this;
        }

        public Builder prospectEmailKey(String v) {
            prospectEmailKey = v;
            return this;
        }

        public Builder prospectDomainKey(String v) {
            prospectDomainKey = v;
            return this;
        }

        /** What the capture that records the referral returns, or {@code null} (an import); the default is none. */
        public Builder captured(CaptureReceipt v) {
            captured = v;
            return this;
        }

        public Referral build() {
            return new Referral(this);
        }
    }
}
