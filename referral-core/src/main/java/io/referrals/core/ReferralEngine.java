package io.referrals.core;

import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.EligibilitySettings;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.IdempotencyConflictException;
import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralFlagged;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralRejected;
import io.referrals.core.event.ReferralReviewed;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.StageChanged;
import io.referrals.core.extension.Extension;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.internal.CodeGenerator;
import io.referrals.core.internal.EligibilityScreen;
import io.referrals.core.internal.EventPublisher;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.privacy.AdvocateExport;
import io.referrals.core.privacy.ErasureReport;
import io.referrals.core.privacy.MatchKeys;
import io.referrals.core.privacy.ProspectExport;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxSignal;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import io.referrals.core.view.ProgressSource;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The referral engine: programs, advocates, codes, capture and stage changes, over a pluggable
 * {@link ReferralStore}. Built once with {@link #builder()} and shared: an engine is immutable and thread-safe, and
 * several engines (in one process or many) may share one store.
 *
 * <p>Every operation runs in one store transaction. Its events are stored in that transaction and reach
 * {@link ReferralListener}s after the commit: synchronously by default, through the builder's executor if one was
 * given, or through an outbox dispatcher when the engine was built {@link Builder#outbox() for the outbox}. Within
 * one engine, the events of each stream (a referral's, an advocate's, a program's: see {@link EventStreams}) reach
 * listeners in sequence order, whichever operation or extension emits them, including units of work that emit on
 * several streams (see {@link TransactionRunner}). The outbox dispatcher keeps every stream in order, across engines.
 * Operations that change a referral retry a few times when a concurrent change wins the race, and otherwise throw
 * a retryable {@link ConflictException}.
 */
public final class ReferralEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ReferralEngine.class);

    private final EngineTransactions transactions;
    private final EventPublisher publisher;
    private final Map<Extension<?>, Object> services;
    private final ReferralLinks links;
    private final EligibilityScreen screen;
    private final CodeFlow codes;
    private final CaptureFlow captures;
    private final ImportFlow imports;
    private final StageFlow stages;
    private final ReviewFlow reviews;
    private final PrivacyFlow privacy;
    private final AdvocateFlow advocates;
    private final OperationObserver observer;

    private ReferralEngine(Builder b) {
        BuildChecks.delivery(b.store, b.outbox);
        MatchKeys keys = BuildChecks.matchKeys(b.store, b.matchKeys);
        this.publisher = new EventPublisher(b.listeners, b.executor);
        this.transactions = new EngineTransactions(b.store, b.clock, publisher, b.outbox, b.signal);
        List<ReferralHook> installed = new ArrayList<>();
        List<ProgressSource> progress = new CopyOnWriteArrayList<>();
        Map<Extension<?>, Object> bound = new IdentityHashMap<>();
        for (Extension<?> extension : b.extensions) {
            ExtensionSetup setup = new ExtensionSetup(installed, progress, transactions);
            Object service = extension.install(setup);
            setup.close();
            bound.put(extension, Objects.requireNonNull(service, () -> "extension " + extension.getClass().getName()
                    + " returned no service"));
        }
        List<ReferralHook> hooks = List.copyOf(installed);
        transactions.hooks(hooks);
        this.services = Collections.unmodifiableMap(bound);
        this.links = b.links;
        this.observer = b.observer;
        this.screen = new EligibilityScreen(b.eligibility, keys);
        this.codes = new CodeFlow(transactions, new CodeGenerator(b.random), b.links);
        this.captures = new CaptureFlow(transactions, screen, Map.copyOf(b.policies), b.defaultPolicy, hooks);
        this.imports = new ImportFlow(transactions, screen);
        this.stages = new StageFlow(transactions, hooks);
        this.reviews = new ReviewFlow(transactions, hooks);
        this.privacy = new PrivacyFlow(transactions, screen);
        this.advocates = new AdvocateFlow(transactions);
        LOG.debug("referral engine built: store {}, {} listeners, {} hooks, outbox {}",
                b.store.getClass().getName(), b.listeners.size(), hooks.size(), b.outbox);
    }

    /** A builder with the in-memory store, the system UTC clock and no listeners. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store this engine uses. */
    public ReferralStore store() {
        return transactions.store();
    }

    /** The clock this engine reads time from. */
    public Clock clock() {
        return transactions.clock();
    }

    /**
     * The signal this engine gives after each unit of work that stored events in the outbox; empty unless built
     * {@linkplain Builder#outbox() for the outbox}. {@code OutboxDispatcher.builder(engine)} subscribes to it.
     */
    public Optional<OutboxSignal> outboxSignal() {
        return Optional.ofNullable(transactions.signal());
    }

    /**
     * The service of {@code extension} on this engine: what its {@link Extension#install} returned when this engine
     * was built.
     *
     * @throws IllegalArgumentException if {@code extension} was not installed on this engine's builder
     */
    public <S> S extension(Extension<S> extension) {
        Objects.requireNonNull(extension, "extension");
        Object service = services.get(extension);
        if (service == null) {
            throw new IllegalArgumentException("extension " + extension.getClass().getName() + " is not installed "
                    + "on this engine: install it with ReferralEngine.builder().install(extension) before build()");
        }
        @SuppressWarnings("unchecked") // install(extension) stored what extension.install returned
        S typed = (S) service;
        return typed;
    }

    /**
     * Runs work in this engine's transactions, with event emission, delivery after commit and per-stream order: how
     * extensions and hosts make their own changes with the engine's guarantees.
     */
    public TransactionRunner transactions() {
        return transactions;
    }

    // ---- units of work --------------------------------------------------------------------------------------------

    // ---- programs -------------------------------------------------------------------------------------------------

    /**
     * Stores a new program.
     *
     * @throws ConflictException if a program with the same id exists
     */
    public Program defineProgram(Program program) {
        Objects.requireNonNull(program, "program");
        if (program.version() != 1) {
            throw new IllegalArgumentException("a new program has version 1");
        }
        return observer.observe("define_program", () -> transactions.inTransaction(w -> {
            w.store().programs().insert(program);
            return program;
        }));
    }

    /**
     * Changes a program's status (draft, active, paused, ended).
     *
     * @throws NotFoundException if there is no such program
     */
    public Program changeProgramStatus(ProgramId id, ProgramStatus status) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        return observer.observe("change_program_status", () -> EngineTransactions.retrying(
                () -> transactions.inTransaction(w -> {
                    Program p = Require.program(w, id);
                    if (p.status() == status) {
                        return p;
                    }
                    Program next = p.withStatus(status).nextVersion();
                    if (!w.store().programs().update(next)) {
                        throw Require.concurrentUpdate("program", id.value());
                    }
                    return next;
                })));
    }

    public Optional<Program> program(ProgramId id) {
        Objects.requireNonNull(id, "id");
        return transactions.inStore(tx -> tx.programs().get(id));
    }

    /** All programs, ordered by id. */
    public List<Program> programs() {
        return transactions.inStore(tx -> tx.programs().all());
    }

    // ---- advocates ------------------------------------------------------------------------------------------------

    /**
     * Registers an advocate.
     *
     * @throws ValidationException naming every bad field
     * @throws ConflictException if the external id is taken
     */
    public Advocate registerAdvocate(AdvocateRegistration registration) {
        return observer.observe("register_advocate", () -> advocates.registerAdvocate(registration));
    }

    public Optional<Advocate> advocate(AdvocateId id) {
        Objects.requireNonNull(id, "id");
        return transactions.inStore(tx -> tx.advocates().get(id));
    }

    public Optional<Advocate> advocateByExternalId(String externalId) {
        Objects.requireNonNull(externalId, "externalId");
        return transactions.inStore(tx -> tx.advocates().byExternalId(externalId));
    }

    /**
     * Enrols an advocate in a program. Enrolling twice returns the first enrolment.
     *
     * @throws NotFoundException if the advocate or program does not exist
     */
    public Enrolment enrol(AdvocateId advocateId, ProgramId programId) {
        return observer.observe("enrol", () -> advocates.enrol(advocateId, programId));
    }

    /** The programs an advocate is enrolled in. */
    public List<Enrolment> enrolments(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return transactions.inStore(tx -> tx.advocates().enrolments(advocateId));
    }

    /**
     * Opts an advocate out: their later referrals are refused. Opting out twice changes nothing.
     *
     * @throws NotFoundException if the advocate does not exist
     */
    public Advocate optOut(AdvocateId advocateId) {
        return observer.observe("opt_out", () -> advocates.optOut(advocateId));
    }

    // ---- codes ----------------------------------------------------------------------------------------------------

    /**
     * Issues a generated code (69 bits of entropy, no ambiguous characters) to an enrolled advocate.
     *
     * @throws NotFoundException if the advocate or program does not exist
     * @throws ValidationException if the advocate is not enrolled in the program
     */
    public ReferralCode issueCode(AdvocateId advocateId, ProgramId programId) {
        return observer.observe("issue_code", () -> codes.issueCode(advocateId, programId));
    }

    /**
     * Issues a host-chosen code such as {@code JANE-ACME}: 4-32 letters and digits, optionally grouped by hyphens.
     *
     * @throws ValidationException if the code is malformed or the advocate is not enrolled
     * @throws ConflictException if the code (compared without case and hyphens) is taken
     */
    public ReferralCode issueVanityCode(AdvocateId advocateId, ProgramId programId, String code) {
        return observer.observe("issue_code", () -> codes.issueVanityCode(advocateId, programId, code));
    }

    /**
     * Revokes a code; referrals using it are refused from now on. Revoking twice changes nothing.
     *
     * @throws NotFoundException if there is no such code
     */
    public ReferralCode revokeCode(String code) {
        return observer.observe("revoke_code", () -> codes.revokeCode(code));
    }

    /** Looks a code up without regard to case, hyphens or spaces. */
    public Optional<ReferralCode> findCode(String code) {
        Objects.requireNonNull(code, "code");
        String key = ReferralCode.normalize(code);
        return transactions.inStore(tx -> tx.codes().get(key));
    }

    /** An advocate's codes. */
    public List<ReferralCode> codes(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return transactions.inStore(tx -> tx.codes().ofAdvocate(advocateId));
    }

    /** The referral link for a code, when the engine was given a link builder. */
    public Optional<URI> link(ReferralCode code) {
        return links == null ? Optional.empty() : Optional.of(links.link(code.code()));
    }

    // ---- capture --------------------------------------------------------------------------------------------------

    /**
     * Captures a referral.
     *
     * <p>The request is validated first; every bad field is named in one {@link ValidationException} and nothing is
     * written. Business refusals (program not active or outside its schedule, advocate opted out or not enrolled, code
     * unknown, revoked or of another program) are returned as {@link CaptureResult.Refused} and recorded only as a
     * {@link ReferralRefused} event on the advocate's stream when the advocate is known. With an idempotency key, a
     * repeat with the same payload returns what the first capture returned ({@code replayed}), even when both run at
     * once and whatever became of the referral since: an accepted referral denied in review later still replays as
     * accepted, a rejected one replays as rejected with the same reasons (see {@link CaptureResult}). A refusal records
     * nothing under the key, so its repeat is decided afresh.
     *
     * <p>Eligibility: before the referral is stored, the checks of {@link io.referrals.core.eligibility} run in the
     * same transaction and the program's {@link EligibilityPolicy} decides on each finding. A rejected referral is
     * still recorded, with review status {@link ReviewStatus#DENIED}, in the pipeline's rejected stage when the
     * initial stage leads to one (with a timeline entry), and {@link ReferralRejected} is emitted: the result is
     * {@link CaptureResult.Rejected}. A flagged referral is recorded {@link ReviewStatus#FLAGGED} and
     * {@link ReferralFlagged} is emitted instead of {@link ReferralSubmitted}; it waits in the {@link #reviewQueue}.
     * An unknown code is counted against the submitter's source (see {@link #failedCodeLookups}).
     *
     * <p>Consent: with {@link io.referrals.core.model.ConsentBasis#NONE} the referral is recorded, but neither
     * {@link ReferralSubmitted} nor the {@link ReferralHook#afterCapture} hooks happen (see
     * {@link io.referrals.core.privacy} for the contact-leading notifications).
     *
     * @throws ValidationException naming every bad field
     * @throws IdempotencyConflictException if the key was used with a different payload
     * @throws NotFoundException if the named advocate or program does not exist
     */
    public CaptureResult capture(CaptureRequest request) {
        return observer.observe("capture", () -> captures.capture(request));
    }

    // ---- import ---------------------------------------------------------------------------------------------------

    /**
     * Imports historical referrals in one transaction: all of them or, when any row is bad, none. Rows keep their
     * submission time and stage history; the advocate need not be enrolled. An import is history, not news: it emits
     * no events and runs no hooks, so it neither notifies advocates nor pays rewards.
     *
     * @return the stored referrals, in row order
     * @throws ValidationException naming every bad field of every row ({@code rows[3].prospect.email}), including
     *     stages the program lacks, moves its pipeline does not allow (a declared reopening of a lost referral is
     *     allowed, recorded as {@link TimelineEntry.Kind#REOPENED}), and moves out of time order
     * @throws ConflictException if an import key was used before (no row is written)
     */
    public List<Referral> importReferrals(List<ImportedReferral> rows) {
        return observer.observe("import", () -> imports.importReferrals(rows));
    }

    // ---- stages ---------------------------------------------------------------------------------------------------

    /**
     * Moves a referral to another stage, appending to its timeline. Moving to the stage it is already in changes
     * nothing and returns {@link TransitionResult.Unchanged}. A lost referral moved to an open stage is reopened
     * where its pipeline declares that reopening: the entry is {@link TimelineEntry.Kind#REOPENED} and
     * {@link io.referrals.core.event.ReferralReopened} follows {@link StageChanged}.
     *
     * @throws NotFoundException if the referral does not exist
     * @throws IllegalTransitionException if the pipeline does not allow the move (from a terminal stage, say); for
     *     a lost referral with no such reopening declared, {@link io.referrals.core.error.ReopenNotAllowedException}
     * @throws ConflictException (retryable) if concurrent changes kept winning the race
     */
    public TransitionResult transition(TransitionRequest request) {
        return observer.observe("transition", () -> stages.transition(request));
    }

    /**
     * Applies a CRM stage name (Salesforce, HubSpot or the program's own mapping) to a referral. An unmapped name is
     * reported as {@link TransitionResult.UnmappedCrmStage} and nothing is written. Reopens a lost referral as
     * {@link #transition} does.
     *
     * @throws NotFoundException if the referral does not exist
     * @throws IllegalTransitionException if the mapped stage cannot be reached from the current one
     */
    public TransitionResult applyCrmStage(ReferralId referralId, String crmStage, TransitionCause cause,
            String externalRef) {
        return observer.observe("apply_crm_stage", () -> stages.applyCrmStage(referralId, crmStage, cause, externalRef));
    }

    /**
     * Records the value of the referral's deal (from the CRM opportunity), used by percentage rewards and reports.
     *
     * @throws NotFoundException if the referral does not exist
     * @throws IllegalArgumentException if the value is negative
     */
    public Referral recordDealValue(ReferralId referralId, Money value) {
        return observer.observe("record_deal_value", () -> stages.recordDealValue(referralId, value));
    }

    public Optional<Referral> referral(ReferralId id) {
        Objects.requireNonNull(id, "id");
        return transactions.inStore(tx -> tx.referrals().get(id));
    }

    /** A referral's stage timeline, oldest first. */
    public List<TimelineEntry> timeline(ReferralId id) {
        Objects.requireNonNull(id, "id");
        return transactions.inStore(tx -> tx.timelines().of(id));
    }

    /** A page of referrals. */
    public List<Referral> referrals(ReferralQuery query) {
        Objects.requireNonNull(query, "query");
        return transactions.inStore(tx -> tx.referrals().find(query));
    }

    /** The stored events of a stream ({@link EventStreams}), with their delivery state. */
    public List<OutboxEntry> events(String stream) {
        Objects.requireNonNull(stream, "stream");
        return transactions.inStore(tx -> tx.events().ofStream(stream));
    }

    /**
     * Delivers an already committed event to this engine's listeners; used by outbox dispatchers. A failing listener
     * is logged and contained and the others still run.
     *
     * @return true when every listener took the event, false when at least one threw (an outbox dispatcher then
     *     delivers the event again later, to every listener: listeners de-duplicate by event id)
     */
    public boolean deliver(ReferralEvent event) {
        return publisher.deliver(Objects.requireNonNull(event, "event"));
    }

    // ---- review queue ---------------------------------------------------------------------------------------------

    /** Up to {@code limit} referrals of a program held for review ({@link ReviewStatus#FLAGGED}), ordered by id. */
    public List<Referral> reviewQueue(ProgramId programId, int limit) {
        Objects.requireNonNull(programId, "programId");
        return referrals(ReferralQuery.builder().program(programId).review(ReviewStatus.FLAGGED).limit(limit).build());
    }

    /**
     * Approves a flagged referral: its review status becomes {@link ReviewStatus#APPROVED}, so its pending rewards may
     * proceed ({@link ReferralHook#afterReview} runs). Emits {@link ReferralReviewed}, unless the referral was captured
     * without a consent basis (approval is contact-leading). Approving an approved referral changes nothing.
     *
     * @param reviewer who decided (the host's user id), or empty
     * @param note the reviewer's note, or empty
     * @throws NotFoundException if the referral does not exist
     * @throws ConflictException (not retryable) if the referral is not flagged
     * @throws ValidationException if the reviewer or note is malformed
     */
    public Referral approveReferral(ReferralId referralId, String reviewer, String note) {
        return observer.observe("approve_referral", () -> reviews.review(referralId, ReviewStatus.APPROVED, reviewer, note));
    }

    /**
     * Denies a flagged referral: its review status becomes {@link ReviewStatus#DENIED} and it never earns rewards; if
     * the pipeline has a rejected stage reachable from its stage, it moves there ({@link StageChanged}, timeline
     * entry). Emits {@link ReferralReviewed}. Denying a denied referral changes nothing.
     *
     * @throws NotFoundException if the referral does not exist
     * @throws ConflictException (not retryable) if the referral is not flagged
     * @throws ValidationException if the reviewer or note is malformed
     */
    public Referral denyReferral(ReferralId referralId, String reviewer, String note) {
        return observer.observe("deny_referral", () -> reviews.review(referralId, ReviewStatus.DENIED, reviewer, note));
    }

    /**
     * The number of failed code lookups (unknown codes) from a source in the current clock hour. The source is the
     * IP address of {@code source}, else its device id; without either, all anonymous failures count together. The
     * count is kept in the store under a keyed hash of the source, so it holds across engine instances.
     */
    public long failedCodeLookups(Signals source) {
        Objects.requireNonNull(source, "source");
        CounterKey key = screen.failedLookupKey(transactions.clock().instant(), source);
        return transactions.inStore(tx -> tx.counters().value(key));
    }

    // ---- privacy --------------------------------------------------------------------------------------------------

    /**
     * Erases a prospect: every referral of the person with this email (matched after normalisation) loses the
     * prospect's personal data (name, email, company, domain, title, department, phone, attributes; the seniority level
     * is kept), the advocate's note, its capture fingerprint and its match keys, so the person is not matched again;
     * every stored event of those referrals (delivered, or pending in the outbox) is rewritten without the company
     * name. Counts, stages, timelines, rewards and the ledger do not change. Erasing twice changes nothing more.
     *
     * <p>Not covered: the host's own idempotency keys and timeline texts (reason, external reference), which the
     * library stores as given; hosts should not put personal data there.
     *
     * @throws ValidationException if {@code email} is not an email address (field {@code email})
     */
    public ErasureReport eraseProspect(String email) {
        return observer.observe("erase_prospect", () -> privacy.eraseProspect(email));
    }

    /**
     * Erases an advocate: the advocate record is pseudonymised (display name {@code erased}, external id
     * {@code erased-<id>}, email, company, domain, segments and attributes removed) and opted out, their active codes
     * are revoked, and every stored event of the advocate's stream and of their referrals' streams (delivered, or
     * pending in the outbox) is rewritten without their personal data. Referrals, rewards, the ledger and every count
     * stay. Erasing twice changes nothing more. Referrals in which the advocate is the <em>prospect</em> are erased
     * with {@link #eraseProspect}.
     *
     * @throws NotFoundException if the advocate does not exist
     */
    public ErasureReport eraseAdvocate(AdvocateId advocateId) {
        return observer.observe("erase_advocate", () -> privacy.eraseAdvocate(advocateId));
    }

    /**
     * Everything the library holds about the prospect with this email (matched after normalisation): each referral
     * with the data captured, consent basis, status, findings and stage history. Empty when nothing is held (also
     * after erasure).
     *
     * @throws ValidationException if {@code email} is not an email address (field {@code email})
     */
    public ProspectExport exportProspect(String email) {
        return privacy.exportProspect(email);
    }

    /**
     * Everything the library holds about an advocate: the record, enrolments, codes, referrals made (ids, stage,
     * review, company name), rewards and ledger.
     *
     * @throws NotFoundException if the advocate does not exist
     */
    public AdvocateExport exportAdvocate(AdvocateId advocateId) {
        return privacy.exportAdvocate(advocateId);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** Configures a {@link ReferralEngine}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private ReferralStore store = new InMemoryReferralStore();
        private Clock clock = Clock.systemUTC();
        private final List<ReferralListener> listeners = new ArrayList<>();
        private final List<Extension<?>> extensions = new ArrayList<>();
        private Executor executor;
        private RandomGenerator random = new SecureRandom();
        private ReferralLinks links;
        private boolean outbox;
        private OutboxSignal signal;
        private OperationObserver observer = OperationObserver.NONE;
        private EligibilitySettings eligibility = EligibilitySettings.NONE;
        private final Map<ProgramId, EligibilityPolicy> policies = new HashMap<>();
        private EligibilityPolicy defaultPolicy = EligibilityPolicy.defaults();
        private MatchKeys matchKeys;

        private Builder() {
        }

        /** Host-wide inputs of the eligibility checks; the default is {@link EligibilitySettings#NONE}. */
        public Builder eligibility(EligibilitySettings settings) {
            this.eligibility = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The eligibility policy of one program, replacing the default policy for it. */
        public Builder eligibilityPolicy(ProgramId programId, EligibilityPolicy policy) {
            policies.put(Objects.requireNonNull(programId, "programId"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** The policy of programs without their own; the default is {@link EligibilityPolicy#defaults()}. */
        public Builder defaultEligibilityPolicy(EligibilityPolicy policy) {
            this.defaultPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The secret of the keyed hashes (HMAC-SHA256) under which prospects are matched for duplicates and
         * self-referrals ({@link MatchKeys}). Keep it secret, stable across restarts and the same for every engine on
         * one store. Required for a {@linkplain ReferralStore#isPersistent() persistent} store ({@link #build()}
         * refuses to build without it); with the in-memory store, the engine otherwise uses a random secret of its
         * own, which is all that store needs since its data ends with it.
         *
         * @throws IllegalArgumentException if the secret is shorter than 16 bytes
         */
        public Builder matchKeySecret(byte[] secret) {
            this.matchKeys = MatchKeys.withSecret(secret);
            return this;
        }

        /** The store; the default is a new {@link InMemoryReferralStore}. */
        public Builder store(ReferralStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The clock every timestamp is read from; the default is the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds a listener; listeners are called in the order added. */
        public Builder listener(ReferralListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Installs an extension (rewards, moments of delight, insights, a host's own hooks): {@link #build()} calls
         * its {@link Extension#install}, which registers its hooks, and the built engine hands out its service through
         * {@link ReferralEngine#extension}. Extensions install, and their hooks run, in the order added.
         *
         * @throws IllegalArgumentException if this extension was already added
         */
        public Builder install(Extension<?> extension) {
            Objects.requireNonNull(extension, "extension");
            for (Extension<?> e : extensions) {
                if (e == extension) {
                    throw new IllegalArgumentException("extension " + extension.getClass().getName()
                            + " is installed already");
                }
            }
            extensions.add(extension);
            return this;
        }

        /**
         * Delivers events on this executor instead of the caller's thread, still in order per referral. The engine
         * does not own the executor and never shuts it down.
         */
        public Builder eventExecutor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The randomness behind generated codes; the default is a {@link SecureRandom}. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Wraps every operation that changes data (see {@link OperationObserver} for the names), for timers and
         * tracing spans; the default only runs it.
         */
        public Builder observer(OperationObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** Builds referral links for issued codes. */
        public Builder links(ReferralLinks links) {
            this.links = Objects.requireNonNull(links, "links");
            return this;
        }

        /**
         * Stores events as pending in the store's outbox instead of delivering them after commit; an outbox
         * dispatcher then delivers them at least once, in order per stream, surviving crashes. Required for a store
         * that {@linkplain ReferralStore#joinsHostTransactions() joins host transactions}: the dispatcher sees an
         * event only once the host has committed the work that emitted it. A dispatcher built from this engine is
         * woken as soon as a unit of work has stored events ({@link OutboxSignal#immediate()}: right for a store that
         * owns its transactions); polling is the backup.
         */
        public Builder outbox() {
            return outbox(OutboxSignal.immediate());
        }

        /**
         * As {@link #outbox()}, waking dispatchers through {@code signal}: for a store that joins the host's
         * transaction, a {@link OutboxSignal#deferred deferred} signal that waits for the host's commit.
         */
        public Builder outbox(OutboxSignal signal) {
            this.signal = Objects.requireNonNull(signal, "signal");
            this.outbox = true;
            return this;
        }

        /**
         * Builds the engine, installing the extensions in the order added.
         *
         * @throws IllegalStateException if the store is {@linkplain ReferralStore#isPersistent() persistent} and no
         *     {@linkplain #matchKeySecret match-key secret} was set, or if the store
         *     {@linkplain ReferralStore#joinsHostTransactions() joins host transactions} and the engine was not built
         *     {@linkplain #outbox() for the outbox}; the message says how to configure it
         */
        public ReferralEngine build() {
            return new ReferralEngine(this);
        }
    }
}
