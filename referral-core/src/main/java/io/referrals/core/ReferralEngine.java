package io.referrals.core;

import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.EligibilityReasons;
import io.referrals.core.eligibility.EligibilitySettings;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.IdempotencyConflictException;
import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.AdvocateEnrolled;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.CodeRevoked;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralFlagged;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralRejected;
import io.referrals.core.event.ReferralReviewed;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.event.StageChanged;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.internal.CodeGenerator;
import io.referrals.core.internal.EligibilityScreen;
import io.referrals.core.internal.EventPublisher;
import io.referrals.core.internal.EventScrubber;
import io.referrals.core.internal.Fingerprint;
import io.referrals.core.internal.InputChecks;
import io.referrals.core.internal.Work;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Channel;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.privacy.AdvocateExport;
import io.referrals.core.privacy.ErasureReport;
import io.referrals.core.privacy.MatchKeys;
import io.referrals.core.privacy.ProspectExport;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.UniqueKey;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
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
 * one engine, events of a referral reach listeners in sequence order, and so do an advocate's events from
 * operations that name the advocate (enrolment, codes, opt-out, captures by advocate id); refusals of captures by
 * code may interleave with them. The outbox dispatcher keeps every stream in order, across engines.
 * Operations that change a referral retry a few times when a concurrent change wins the race, and otherwise throw
 * a retryable {@link ConflictException}.
 */
public final class ReferralEngine {
    private static final Logger LOG = LoggerFactory.getLogger(ReferralEngine.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final int ORDER_STRIPES = 64;

    private final ReferralStore store;
    private final Clock clock;
    private final EventPublisher publisher;
    private final List<ReferralHook> hooks;
    private final CodeGenerator codes;
    private final ReferralLinks links;
    private final boolean outbox;
    private final ReentrantLock[] order = new ReentrantLock[ORDER_STRIPES];
    private final EligibilityScreen screen;
    private final Map<ProgramId, EligibilityPolicy> policies;
    private final EligibilityPolicy defaultPolicy;

    private ReferralEngine(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
        this.publisher = new EventPublisher(b.listeners, b.executor);
        this.hooks = List.copyOf(b.hooks);
        this.codes = new CodeGenerator(b.random);
        this.links = b.links;
        this.outbox = b.outbox;
        for (int i = 0; i < ORDER_STRIPES; i++) {
            order[i] = new ReentrantLock();
        }
        this.policies = Map.copyOf(b.policies);
        this.defaultPolicy = b.defaultPolicy;
        MatchKeys keys = b.matchKeys;
        if (keys == null) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            keys = MatchKeys.withSecret(secret);
            if (!(store instanceof InMemoryReferralStore)) {
                LOG.warn("no match key secret configured: duplicate and self-referral matching will not hold across "
                        + "engine instances or restarts; set one with ReferralEngine.Builder#matchKeySecret");
            }
        }
        this.screen = new EligibilityScreen(b.eligibility, keys);
        LOG.debug("referral engine built: store {}, {} listeners, {} hooks, outbox {}",
                store.getClass().getName(), b.listeners.size(), hooks.size(), outbox);
    }

    /** A builder with the in-memory store, the system UTC clock and no listeners. */
    public static Builder builder() {
        return new Builder();
    }

    /** The store this engine uses. */
    public ReferralStore store() {
        return store;
    }

    /** The clock this engine reads time from. */
    public Clock clock() {
        return clock;
    }

    // ---- units of work --------------------------------------------------------------------------------------------

    /**
     * Runs {@code work} in one transaction with event emission, and delivers its events after the commit. This is
     * how extensions (rewards, fraud checks) make their own changes with the engine's guarantees.
     */
    public <T> T inTransaction(Function<UnitOfWork, T> work) {
        Objects.requireNonNull(work, "work");
        List<Work> done = new ArrayList<>(1);
        T result = store.inTransaction(tx -> {
            Work w = new Work(tx, clock.instant(), outbox);
            T r = work.apply(w);
            done.add(w);
            return r;
        });
        if (!outbox) {
            publisher.publish(done.get(0).events());
        }
        return result;
    }

    /** Like {@link #inTransaction}, holding the ordering lock of {@code stream} until its events are handed over. */
    private <T> T inOrderedTransaction(String stream, Function<UnitOfWork, T> work) {
        ReentrantLock lock = order[Math.floorMod(stream.hashCode(), ORDER_STRIPES)];
        lock.lock();
        try {
            return inTransaction(work);
        } finally {
            lock.unlock();
        }
    }

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
        return inTransaction(w -> {
            w.store().insertProgram(program);
            return program;
        });
    }

    /**
     * Changes a program's status (draft, active, paused, ended).
     *
     * @throws NotFoundException if there is no such program
     */
    public Program changeProgramStatus(ProgramId id, ProgramStatus status) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        return retrying(() -> inTransaction(w -> {
            Program p = requireProgram(w, id);
            if (p.status() == status) {
                return p;
            }
            Program next = p.withStatus(status).nextVersion();
            if (!w.store().updateProgram(next)) {
                throw concurrent("program", id.value());
            }
            return next;
        }));
    }

    public Optional<Program> program(ProgramId id) {
        Objects.requireNonNull(id, "id");
        return store.inTransaction(tx -> tx.program(id));
    }

    /** All programs, ordered by id. */
    public List<Program> programs() {
        return store.inTransaction(tx -> tx.programs());
    }

    // ---- advocates ------------------------------------------------------------------------------------------------

    /**
     * Registers an advocate.
     *
     * @throws ValidationException naming every bad field
     * @throws ConflictException if the external id is taken
     */
    public Advocate registerAdvocate(AdvocateRegistration registration) {
        Objects.requireNonNull(registration, "registration");
        InputChecks in = new InputChecks();
        in.required("externalId", registration.externalId(), 128);
        in.required("displayName", registration.displayName(), 200);
        in.email("email", registration.email(), false);
        in.line("accountId", registration.accountId(), 128);
        in.line("companyName", registration.companyName(), 200);
        in.domain("companyDomain", registration.companyDomain().toLowerCase(Locale.ROOT));
        if (registration.segments().size() > 50) {
            in.add("segments", "too_many", "must have at most 50 segments");
        }
        registration.segments().forEach(s -> in.required("segments", s, 64));
        in.attributes("attributes", registration.attributes(), 50, 1000);
        in.throwIfAny();
        return inTransaction(w -> {
            Advocate a = new Advocate(AdvocateId.random(), registration.externalId(), registration.displayName(),
                    registration.email(), registration.kind(), registration.accountId(), registration.companyName(),
                    registration.companyDomain().toLowerCase(Locale.ROOT), registration.segments(),
                    registration.attributes(), false, w.now(), 1);
            w.store().insertAdvocate(a);
            w.emit(EventStreams.of(a.id()), m -> new AdvocateRegistered(m, AdvocateSummary.of(a)));
            return a;
        });
    }

    public Optional<Advocate> advocate(AdvocateId id) {
        Objects.requireNonNull(id, "id");
        return store.inTransaction(tx -> tx.advocate(id));
    }

    public Optional<Advocate> advocateByExternalId(String externalId) {
        Objects.requireNonNull(externalId, "externalId");
        return store.inTransaction(tx -> tx.advocateByExternalId(externalId));
    }

    /**
     * Enrols an advocate in a program. Enrolling twice returns the first enrolment.
     *
     * @throws NotFoundException if the advocate or program does not exist
     */
    public Enrolment enrol(AdvocateId advocateId, ProgramId programId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        return retrying(() -> inOrderedTransaction(EventStreams.of(advocateId), w -> {
            Advocate a = requireAdvocate(w, advocateId);
            Program p = requireProgram(w, programId);
            Optional<Enrolment> existing = w.store().enrolment(advocateId, programId);
            if (existing.isPresent()) {
                return existing.get();
            }
            Enrolment e = new Enrolment(advocateId, programId, w.now());
            w.store().insertEnrolment(e);
            w.emit(EventStreams.of(advocateId),
                    m -> new AdvocateEnrolled(m, AdvocateSummary.of(a), p.id(), p.name()));
            return e;
        }));
    }

    /** The programs an advocate is enrolled in. */
    public List<Enrolment> enrolments(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return store.inTransaction(tx -> tx.enrolments(advocateId));
    }

    /**
     * Opts an advocate out: their later referrals are refused. Opting out twice changes nothing.
     *
     * @throws NotFoundException if the advocate does not exist
     */
    public Advocate optOut(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return retrying(() -> inOrderedTransaction(EventStreams.of(advocateId), w -> {
            Advocate a = requireAdvocate(w, advocateId);
            if (a.optedOut()) {
                return a;
            }
            Advocate next = a.optOut();
            if (!w.store().updateAdvocate(next)) {
                throw concurrent("advocate", advocateId.value());
            }
            w.emit(EventStreams.of(advocateId), m -> new AdvocateOptedOut(m, AdvocateSummary.of(next)));
            return next;
        }));
    }

    // ---- codes ----------------------------------------------------------------------------------------------------

    /**
     * Issues a generated code (69 bits of entropy, no ambiguous characters) to an enrolled advocate.
     *
     * @throws NotFoundException if the advocate or program does not exist
     * @throws ValidationException if the advocate is not enrolled in the program
     */
    public ReferralCode issueCode(AdvocateId advocateId, ProgramId programId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return issue(advocateId, programId, codes.next(), false);
            } catch (DuplicateKeyException e) {
                if (e.key() != UniqueKey.CODE || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Issues a host-chosen code such as {@code JANE-ACME}: 4-32 letters and digits, optionally grouped by hyphens.
     *
     * @throws ValidationException if the code is malformed or the advocate is not enrolled
     * @throws ConflictException if the code (compared without case and hyphens) is taken
     */
    public ReferralCode issueVanityCode(AdvocateId advocateId, ProgramId programId, String code) {
        Objects.requireNonNull(code, "code");
        if (!ReferralCode.isWellFormed(code)) {
            throw ValidationException.of("code", "malformed",
                    "a vanity code is 4-32 letters and digits, optionally grouped by single hyphens");
        }
        return issue(advocateId, programId, code, true);
    }

    private ReferralCode issue(AdvocateId advocateId, ProgramId programId, String code, boolean vanity) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        return inOrderedTransaction(EventStreams.of(advocateId), w -> {
            Advocate a = requireAdvocate(w, advocateId);
            requireProgram(w, programId);
            if (w.store().enrolment(advocateId, programId).isEmpty()) {
                throw ValidationException.of("advocateId", "not_enrolled",
                        "the advocate is not enrolled in program " + programId);
            }
            ReferralCode c = new ReferralCode(code, advocateId, programId, vanity, CodeStatus.ACTIVE, w.now(),
                    w.now());
            w.store().insertCode(c);
            String link = links == null ? "" : links.link(c.code()).toString();
            w.emit(EventStreams.of(advocateId), m -> new CodeIssued(m, AdvocateSummary.of(a), programId, code, link));
            return c;
        });
    }

    /**
     * Revokes a code; referrals using it are refused from now on. Revoking twice changes nothing.
     *
     * @throws NotFoundException if there is no such code
     */
    public ReferralCode revokeCode(String code) {
        Objects.requireNonNull(code, "code");
        String key = ReferralCode.normalize(code);
        return retrying(() -> inTransaction(w -> {
            ReferralCode c = w.store().code(key).orElseThrow(() -> new NotFoundException("code", key));
            if (!c.isActive()) {
                return c;
            }
            ReferralCode revoked = c.revoke(w.now());
            if (!w.store().updateCode(c, revoked)) {
                throw concurrent("code", key);
            }
            Advocate a = requireAdvocate(w, c.advocateId());
            w.emit(EventStreams.of(a.id()),
                    m -> new CodeRevoked(m, AdvocateSummary.of(a), c.programId(), c.code()));
            return revoked;
        }));
    }

    /** Looks a code up without regard to case, hyphens or spaces. */
    public Optional<ReferralCode> findCode(String code) {
        Objects.requireNonNull(code, "code");
        String key = ReferralCode.normalize(code);
        return store.inTransaction(tx -> tx.code(key));
    }

    /** An advocate's codes. */
    public List<ReferralCode> codes(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return store.inTransaction(tx -> tx.codes(advocateId));
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
     * repeat with the same payload returns the first result ({@code replayed}), even when both run at once.
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
        Objects.requireNonNull(request, "request");
        validate(request);
        Prospect prospect = normalize(request.prospect().orElseThrow());
        String fingerprint = fingerprint(request, prospect);
        for (int attempt = 1; ; attempt++) {
            try {
                Function<UnitOfWork, CaptureResult> work = w -> capture(w, request, prospect, fingerprint);
                // a refusal lands on the advocate's stream: keep that stream's events in order when it is known
                return request.advocateId().isPresent()
                        ? inOrderedTransaction(EventStreams.of(request.advocateId().get()), work)
                        : inTransaction(work);
            } catch (DuplicateKeyException e) {
                // a concurrent capture with the same idempotency key won; the next attempt replays it
                if (e.key() != UniqueKey.IDEMPOTENCY_KEY || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            } catch (ConflictException e) {
                // a deadlock or serialisation failure reported by the store: the whole capture is run again
                if (!e.isRetryable() || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("retrying a capture after a concurrent update (attempt {}): {}", attempt, e.subject());
            }
        }
    }

    private CaptureResult capture(UnitOfWork w, CaptureRequest request, Prospect prospect, String fingerprint) {
        String key = request.idempotencyKey();
        if (!key.isEmpty()) {
            Optional<Referral> earlier = w.store().referralByIdempotencyKey(key);
            if (earlier.isPresent()) {
                if (!earlier.get().fingerprint().equals(fingerprint)) {
                    throw new IdempotencyConflictException(key);
                }
                return resultOf(earlier.get(), true);
            }
        }
        Advocate advocate;
        ProgramId programId;
        String code = "";
        if (request.code().isPresent()) {
            String typed = request.code().get();
            Optional<ReferralCode> found = w.store().code(ReferralCode.normalize(typed));
            if (found.isEmpty()) {
                long failures = screen.countFailedLookup(w.store(), w.now(), request.signals());
                LOG.debug("unknown referral code; {} failed lookups from this source this hour", failures);
                return new CaptureResult.Refused(Reason.of("code_unknown", "This referral code is not known."));
            }
            ReferralCode c = found.get();
            programId = c.programId();
            code = c.code();
            advocate = requireAdvocate(w, c.advocateId());
            if (!c.isActive()) {
                return refuse(w, advocate, programId,
                        Reason.of("code_revoked", "This referral code is no longer valid."));
            }
            if (request.programId().isPresent() && !request.programId().get().equals(programId)) {
                return refuse(w, advocate, request.programId().get(),
                        Reason.of("code_other_program", "This referral code belongs to another program."));
            }
        } else {
            advocate = requireAdvocate(w, request.advocateId().orElseThrow());
            programId = request.programId().orElseThrow();
        }
        AdvocateId advocateId = advocate.id();
        Program program = requireProgram(w, programId);
        Optional<Reason> closed = program.refusalAt(w.now());
        if (closed.isPresent()) {
            return refuse(w, advocate, programId, closed.get());
        }
        if (advocate.optedOut()) {
            return refuse(w, advocate, programId,
                    Reason.of("advocate_opted_out", "You have opted out of the referral program."));
        }
        if (w.store().enrolment(advocateId, programId).isEmpty()) {
            return refuse(w, advocate, programId,
                    Reason.of("advocate_not_enrolled", "You are not enrolled in the program '" + program.name()
                            + "'."));
        }
        EligibilityPolicy policy = eligibilityPolicy(programId);
        EligibilityScreen.ProspectKeys pk = screen.keysOf(prospect);
        EligibilityScreen.Screening screening = screen.screen(w, program, policy, advocate, prospect, pk, code,
                request.salesRep(), request.signals(), request.advocateSignals());
        Stage initial = program.pipeline().initial();
        Optional<Stage> rejectedStage = screening.rejected() ? rejectedStage(program, initial) : Optional.empty();
        Referral referral = Referral.builder()
                .id(ReferralId.random())
                .programId(programId)
                .advocateId(advocateId)
                .code(code)
                .prospect(prospect)
                .channel(request.channel().orElseThrow())
                .salesRep(request.salesRep())
                .consent(request.consent().orElseThrow())
                .note(request.note())
                .stage(rejectedStage.orElse(initial))
                .outcome(rejectedStage.isPresent() ? Outcome.REJECTED : null)
                .timelineLength(rejectedStage.isPresent() ? 1 : 0)
                .review(screening.review())
                .findings(screening.findings())
                .prospectEmailKey(pk.emailKey())
                .prospectDomainKey(pk.domainKey())
                .submittedAt(w.now())
                .updatedAt(w.now())
                .idempotencyKey(key)
                .fingerprint(fingerprint)
                .build();
        w.store().insertReferral(referral);
        String stream = EventStreams.of(referral.id());
        if (screening.rejected()) {
            if (rejectedStage.isPresent()) {
                w.store().appendTimelineEntry(new TimelineEntry(referral.id(), 1, initial, rejectedStage.get(),
                        w.now(), TransitionCause.host("eligibility"), codes(screening.findings()), ""));
            }
            w.emit(stream, m -> new ReferralRejected(m, ReferralSummary.of(referral, program, advocate),
                    screening.findings()));
            LOG.debug("referral {} rejected by eligibility checks: {}", referral.id(), codes(screening.findings()));
            return resultOf(referral, false);
        }
        if (referral.review() == ReviewStatus.FLAGGED) {
            w.emit(stream, m -> new ReferralFlagged(m, ReferralSummary.of(referral, program, advocate),
                    screening.findings()));
            LOG.debug("referral {} flagged for review: {}", referral.id(), codes(screening.findings()));
        } else if (referral.consent().allowsContact()) {
            w.emit(stream, m -> new ReferralSubmitted(m, ReferralSummary.of(referral, program, advocate)));
        }
        for (Referral earlier : screening.superseded()) {
            flagSuperseded(w, earlier);
        }
        if (referral.consent().allowsContact()) {
            for (ReferralHook h : hooks) {
                h.afterCapture(w, program, advocate, referral);
            }
        } else {
            LOG.debug("referral {} has no consent basis: no contact-leading event or hook", referral.id());
        }
        return resultOf(referral, false);
    }

    private static CaptureResult resultOf(Referral r, boolean replayed) {
        if (r.review() == ReviewStatus.DENIED && !r.findings().isEmpty()) {
            return new CaptureResult.Rejected(r, r.findings(), replayed);
        }
        return new CaptureResult.Accepted(r, replayed);
    }

    /** The terminal stage with outcome REJECTED that the referral can move to from {@code from}, if any. */
    private static Optional<Stage> rejectedStage(Program program, Stage from) {
        return program.pipeline().terminalStages().entrySet().stream()
                .filter(e -> e.getValue() == Outcome.REJECTED && program.pipeline().allows(from, e.getKey()))
                .map(Map.Entry::getKey).findFirst();
    }

    private static String codes(List<Reason> reasons) {
        return String.join(", ", reasons.stream().map(Reason::code).toList());
    }

    /** Flags an earlier referral whose prospect a new referral took over. */
    private void flagSuperseded(UnitOfWork w, Referral stale) {
        Referral r = w.store().referral(stale.id()).orElseThrow(() -> new NotFoundException("referral",
                stale.id().value()));
        if (r.review() != ReviewStatus.CLEAR && r.review() != ReviewStatus.APPROVED) {
            return;
        }
        List<Reason> findings = new ArrayList<>(r.findings());
        findings.add(EligibilityReasons.reason(EligibilityReasons.OWNERSHIP_TRANSFERRED));
        Referral next = r.toBuilder().review(ReviewStatus.FLAGGED).findings(findings).updatedAt(w.now())
                .version(r.version() + 1).build();
        if (!w.store().updateReferral(next)) {
            throw concurrent("referral", r.id().value());
        }
        Program p = requireProgram(w, r.programId());
        Advocate a = requireAdvocate(w, r.advocateId());
        w.emit(EventStreams.of(r.id()), m -> new ReferralFlagged(m, ReferralSummary.of(next, p, a), next.findings()));
        LOG.debug("referral {} flagged: ownership of its prospect passed to a later referral", r.id());
    }

    private EligibilityPolicy eligibilityPolicy(ProgramId programId) {
        return policies.getOrDefault(programId, defaultPolicy);
    }

    private static CaptureResult refuse(UnitOfWork w, Advocate a, ProgramId programId, Reason reason) {
        w.emit(EventStreams.of(a.id()), m -> new ReferralRefused(m, AdvocateSummary.of(a), programId, reason));
        return new CaptureResult.Refused(reason);
    }

    private static void validate(CaptureRequest r) {
        InputChecks in = new InputChecks();
        if (r.advocateId().isPresent() == r.code().isPresent()) {
            in.add("advocate", "required", "name exactly one of an advocate id or a referral code");
        }
        if (r.code().isPresent() && !ReferralCode.isWellFormed(r.code().get())) {
            in.add("code", "malformed", "a referral code is 4-32 letters and digits, optionally grouped by hyphens");
        }
        if (r.code().isEmpty() && r.programId().isEmpty()) {
            in.add("programId", "required", "name the program, or a referral code");
        }
        if (r.prospect().isEmpty()) {
            in.add("prospect", "required", "the prospect is required");
        } else {
            validateProspect(in, "prospect", r.prospect().get());
        }
        if (r.channel().isEmpty()) {
            in.add("channel", "required", "the channel is required");
        } else if (r.channel().get() == Channel.SALES_REP) {
            in.required("salesRep", r.salesRep(), 128);
        } else {
            in.line("salesRep", r.salesRep(), 128);
        }
        if (r.consent().isEmpty()) {
            in.add("consent", "required", "the consent basis is required");
        }
        in.text("note", r.note(), 2000);
        in.line("idempotencyKey", r.idempotencyKey(), 128);
        signals(in, "signals", r.signals());
        signals(in, "advocateSignals", r.advocateSignals());
        in.throwIfAny();
    }

    private static void validateProspect(InputChecks in, String field, Prospect p) {
        in.required(field + ".fullName", p.fullName(), 200);
        in.email(field + ".email", p.email().strip(), true);
        in.required(field + ".company", p.company(), 200);
        in.domain(field + ".companyDomain", p.companyDomain().toLowerCase(Locale.ROOT));
        in.line(field + ".jobTitle", p.jobTitle(), 200);
        in.line(field + ".department", p.department(), 100);
        in.phone(field + ".phone", p.phone());
        in.attributes(field + ".attributes", p.attributes(), 50, 1000);
    }

    private static void signals(InputChecks in, String field, Signals s) {
        in.line(field + ".ip", s.ip(), 64);
        in.line(field + ".userAgent", s.userAgent(), 512);
        in.line(field + ".deviceId", s.deviceId(), 128);
    }

    private static Prospect normalize(Prospect p) {
        return new Prospect(p.fullName().strip(), p.email().strip(), p.company().strip(),
                p.companyDomain().strip().toLowerCase(Locale.ROOT), p.jobTitle().strip(), p.seniority(),
                p.department().strip(), p.phone().strip(), p.attributes());
    }

    private static String fingerprint(CaptureRequest r, Prospect p) {
        return new Fingerprint()
                .add(r.advocateId().map(AdvocateId::value).orElse(""))
                .add(r.code().map(ReferralCode::normalize).orElse(""))
                .add(r.code().isPresent() ? "" : r.programId().map(ProgramId::value).orElse(""))
                .add(p.fullName()).add(p.email().toLowerCase(Locale.ROOT)).add(p.company())
                .add(p.companyDomain()).add(p.jobTitle()).add(p.seniority().name()).add(p.department())
                .add(p.phone()).add(p.attributes())
                .add(r.channel().orElseThrow().name()).add(r.salesRep()).add(r.consent().orElseThrow().name())
                .add(r.note())
                .hex();
    }

    // ---- import ---------------------------------------------------------------------------------------------------

    /**
     * Imports historical referrals in one transaction: all of them or, when any row is bad, none. Rows keep their
     * submission time and stage history; the advocate need not be enrolled. An import is history, not news: it emits
     * no events and runs no hooks, so it neither notifies advocates nor pays rewards.
     *
     * @return the stored referrals, in row order
     * @throws ValidationException naming every bad field of every row ({@code rows[3].prospect.email}), including
     *     stages the program lacks, moves its pipeline does not allow, and moves out of time order
     * @throws ConflictException if an import key was used before (no row is written)
     */
    public List<Referral> importReferrals(List<ImportedReferral> rows) {
        Objects.requireNonNull(rows, "rows");
        InputChecks in = new InputChecks();
        for (int i = 0; i < rows.size(); i++) {
            ImportedReferral row = Objects.requireNonNull(rows.get(i), "row");
            String f = "rows[" + i + "]";
            validateProspect(in, f + ".prospect", row.prospect());
            in.text(f + ".note", row.note(), 2000);
            in.line(f + ".importKey", row.importKey(), 128);
        }
        in.throwIfAny();
        return inTransaction(w -> {
            Map<ProgramId, Program> programs = new HashMap<>();
            Set<AdvocateId> advocates = new HashSet<>();
            List<Referral> referrals = new ArrayList<>(rows.size());
            List<TimelineEntry> entries = new ArrayList<>();
            InputChecks refs = new InputChecks();
            for (int i = 0; i < rows.size(); i++) {
                ImportedReferral row = rows.get(i);
                String f = "rows[" + i + "]";
                Program p = programs.computeIfAbsent(row.programId(), id -> w.store().program(id).orElse(null));
                if (p == null) {
                    refs.add(f + ".programId", "not_found", "no such program");
                    continue;
                }
                if (advocates.add(row.advocateId()) && w.store().advocate(row.advocateId()).isEmpty()) {
                    refs.add(f + ".advocateId", "not_found", "no such advocate");
                    continue;
                }
                ReferralId id = ReferralId.random();
                Stage stage = p.pipeline().initial();
                Instant at = row.submittedAt();
                for (int j = 0; j < row.moves().size(); j++) {
                    ImportedReferral.Move m = row.moves().get(j);
                    if (!p.pipeline().allows(stage, m.to())) {
                        refs.add(f + ".moves[" + j + "]", "illegal_transition",
                                "the pipeline does not allow moving from " + stage + " to " + m.to());
                        break;
                    }
                    if (m.at().isBefore(at)) {
                        refs.add(f + ".moves[" + j + "]", "out_of_order", "moves must be in time order");
                        break;
                    }
                    entries.add(new TimelineEntry(id, j + 1, stage, m.to(), m.at(), m.cause(), "", m.externalRef()));
                    stage = m.to();
                    at = m.at();
                }
                Prospect prospect = normalize(row.prospect());
                EligibilityScreen.ProspectKeys pk = screen.keysOf(prospect);
                referrals.add(Referral.builder()
                        .id(id)
                        .programId(p.id())
                        .advocateId(row.advocateId())
                        .prospect(prospect)
                        .prospectEmailKey(pk.emailKey())
                        .prospectDomainKey(pk.domainKey())
                        .channel(row.channel())
                        .consent(row.consent())
                        .note(row.note())
                        .stage(stage)
                        .outcome(p.pipeline().outcome(stage).orElse(null))
                        .dealValue(row.dealValue().orElse(null))
                        .submittedAt(row.submittedAt())
                        .updatedAt(at)
                        .idempotencyKey(row.importKey())
                        .timelineLength(row.moves().size())
                        .build());
            }
            refs.throwIfAny();
            w.store().insertReferrals(referrals);
            w.store().appendTimelineEntries(entries);
            return List.copyOf(referrals);
        });
    }

    // ---- stages ---------------------------------------------------------------------------------------------------

    /**
     * Moves a referral to another stage, appending to its timeline. Moving to the stage it is already in changes
     * nothing and returns {@link TransitionResult.Unchanged}.
     *
     * @throws NotFoundException if the referral does not exist
     * @throws IllegalTransitionException if the pipeline does not allow the move (from a terminal stage, say)
     * @throws ConflictException (retryable) if concurrent changes kept winning the race
     */
    public TransitionResult transition(TransitionRequest request) {
        Objects.requireNonNull(request, "request");
        InputChecks in = new InputChecks();
        in.text("reason", request.reason(), 500);
        in.line("externalRef", request.externalRef(), 200);
        in.line("cause.actor", request.cause().actor(), 128);
        in.throwIfAny();
        return retrying(() -> inOrderedTransaction(EventStreams.of(request.referralId()), w -> move(w, request)));
    }

    /**
     * Applies a CRM stage name (Salesforce, HubSpot or the program's own mapping) to a referral. An unmapped name is
     * reported as {@link TransitionResult.UnmappedCrmStage} and nothing is written.
     *
     * @throws NotFoundException if the referral does not exist
     * @throws IllegalTransitionException if the mapped stage cannot be reached from the current one
     */
    public TransitionResult applyCrmStage(ReferralId referralId, String crmStage, TransitionCause cause,
            String externalRef) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(crmStage, "crmStage");
        Objects.requireNonNull(cause, "cause");
        Referral r = referral(referralId).orElseThrow(() -> new NotFoundException("referral", referralId.value()));
        Program p = program(r.programId()).orElseThrow(() -> new NotFoundException("program", r.programId().value()));
        Optional<Stage> stage = p.crmMapping().resolve(crmStage);
        if (stage.isEmpty()) {
            LOG.debug("unmapped CRM stage for referral {} in program {}", referralId, p.id());
            return new TransitionResult.UnmappedCrmStage(r, crmStage);
        }
        return transition(new TransitionRequest(referralId, stage.get(), cause, "", externalRef));
    }

    private TransitionResult move(UnitOfWork w, TransitionRequest request) {
        Referral r = w.store().referral(request.referralId())
                .orElseThrow(() -> new NotFoundException("referral", request.referralId().value()));
        if (r.stage().equals(request.to())) {
            return new TransitionResult.Unchanged(r);
        }
        Program p = requireProgram(w, r.programId());
        if (!p.pipeline().allows(r.stage(), request.to())) {
            throw new IllegalTransitionException(r.id().value(), r.stage().name(), request.to().name());
        }
        TimelineEntry entry = new TimelineEntry(r.id(), r.timelineLength() + 1, r.stage(), request.to(), w.now(),
                request.cause(), request.reason(), request.externalRef());
        Referral next = r.toBuilder()
                .stage(request.to())
                .outcome(p.pipeline().outcome(request.to()).orElse(null))
                .updatedAt(w.now())
                .timelineLength(entry.sequence())
                .version(r.version() + 1)
                .build();
        if (!w.store().updateReferral(next)) {
            throw concurrent("referral", r.id().value());
        }
        w.store().appendTimelineEntry(entry);
        Advocate a = requireAdvocate(w, r.advocateId());
        w.emit(EventStreams.of(r.id()), m -> new StageChanged(m, ReferralSummary.of(next, p, a), entry));
        for (ReferralHook h : hooks) {
            h.afterTransition(w, p, a, next, entry);
        }
        return new TransitionResult.Moved(next, entry);
    }

    /**
     * Records the value of the referral's deal (from the CRM opportunity), used by percentage rewards and reports.
     *
     * @throws NotFoundException if the referral does not exist
     * @throws IllegalArgumentException if the value is negative
     */
    public Referral recordDealValue(ReferralId referralId, Money value) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(value, "value");
        if (value.isNegative()) {
            throw new IllegalArgumentException("a deal value cannot be negative");
        }
        return retrying(() -> inOrderedTransaction(EventStreams.of(referralId), w -> {
            Referral r = w.store().referral(referralId)
                    .orElseThrow(() -> new NotFoundException("referral", referralId.value()));
            if (r.dealValue().map(value::equals).orElse(false)) {
                return r;
            }
            Referral next = r.toBuilder().dealValue(value).updatedAt(w.now()).version(r.version() + 1).build();
            if (!w.store().updateReferral(next)) {
                throw concurrent("referral", referralId.value());
            }
            return next;
        }));
    }

    public Optional<Referral> referral(ReferralId id) {
        Objects.requireNonNull(id, "id");
        return store.inTransaction(tx -> tx.referral(id));
    }

    /** A referral's stage timeline, oldest first. */
    public List<TimelineEntry> timeline(ReferralId id) {
        Objects.requireNonNull(id, "id");
        return store.inTransaction(tx -> tx.timeline(id));
    }

    /** A page of referrals. */
    public List<Referral> referrals(ReferralQuery query) {
        Objects.requireNonNull(query, "query");
        return store.inTransaction(tx -> tx.referrals(query));
    }

    /** The stored events of a stream ({@link EventStreams}), with their delivery state. */
    public List<OutboxEntry> events(String stream) {
        Objects.requireNonNull(stream, "stream");
        return store.inTransaction(tx -> tx.events(stream));
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
        return review(referralId, ReviewStatus.APPROVED, reviewer, note);
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
        return review(referralId, ReviewStatus.DENIED, reviewer, note);
    }

    private Referral review(ReferralId referralId, ReviewStatus decision, String reviewer, String note) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(note, "note");
        InputChecks in = new InputChecks();
        in.line("reviewer", reviewer, 128);
        in.text("note", note, 2000);
        in.throwIfAny();
        return retrying(() -> inOrderedTransaction(EventStreams.of(referralId), w -> {
            Referral r = w.store().referral(referralId)
                    .orElseThrow(() -> new NotFoundException("referral", referralId.value()));
            if (r.review() == decision) {
                return r;
            }
            if (r.review() != ReviewStatus.FLAGGED) {
                throw new ConflictException("referral.review", "referral " + referralId + " is not flagged for review",
                        false);
            }
            Program p = requireProgram(w, r.programId());
            Advocate a = requireAdvocate(w, r.advocateId());
            Referral next = r.toBuilder().review(decision).updatedAt(w.now()).version(r.version() + 1).build();
            Optional<Stage> rejected = decision == ReviewStatus.DENIED ? rejectedStage(p, r.stage()) : Optional.empty();
            TimelineEntry entry = null;
            if (rejected.isPresent()) {
                entry = new TimelineEntry(r.id(), r.timelineLength() + 1, r.stage(), rejected.get(), w.now(),
                        TransitionCause.host(reviewer), "review denied", "");
                next = next.toBuilder().stage(rejected.get()).outcome(Outcome.REJECTED)
                        .timelineLength(entry.sequence()).build();
            }
            if (!w.store().updateReferral(next)) {
                throw concurrent("referral", referralId.value());
            }
            Referral done = next;
            if (entry != null) {
                TimelineEntry e = entry;
                w.store().appendTimelineEntry(e);
                w.emit(EventStreams.of(r.id()), m -> new StageChanged(m, ReferralSummary.of(done, p, a), e));
                for (ReferralHook h : hooks) {
                    h.afterTransition(w, p, a, done, e);
                }
            }
            if (decision == ReviewStatus.DENIED || done.consent().allowsContact()) {
                w.emit(EventStreams.of(r.id()),
                        m -> new ReferralReviewed(m, ReferralSummary.of(done, p, a), decision, reviewer, note));
            }
            for (ReferralHook h : hooks) {
                h.afterReview(w, p, a, done);
            }
            LOG.debug("referral {} review: {}", referralId, decision);
            return done;
        }));
    }

    /**
     * The number of failed code lookups (unknown codes) from a source in the current clock hour. The source is the
     * IP address of {@code source}, else its device id; without either, all anonymous failures count together. The
     * count is kept in the store under a keyed hash of the source, so it holds across engine instances.
     */
    public long failedCodeLookups(Signals source) {
        Objects.requireNonNull(source, "source");
        String key = screen.failedLookupKey(clock.instant(), source);
        return store.inTransaction(tx -> tx.counter(key));
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
        Objects.requireNonNull(email, "email");
        InputChecks in = new InputChecks();
        in.email("email", email.strip(), true);
        in.throwIfAny();
        String key = screen.matchKeys().emailKey(email);
        ErasureReport report = retrying(() -> inTransaction(w -> {
            int referrals = 0;
            int events = 0;
            for (List<Referral> batch = ofPerson(w, key); !batch.isEmpty(); batch = ofPerson(w, key)) {
                for (Referral r : batch) {
                    Referral next = r.toBuilder()
                            .prospect(new Prospect("", "", "", "", "", r.prospect().seniority(), "", "", Map.of()))
                            .note("").fingerprint("").prospectEmailKey("").prospectDomainKey("")
                            .updatedAt(w.now()).version(r.version() + 1).build();
                    if (!w.store().updateReferral(next)) {
                        throw concurrent("referral", r.id().value());
                    }
                    referrals++;
                    events += rewrite(w, EventStreams.of(r.id()), e -> EventScrubber.withoutProspect(e, r.id()));
                }
            }
            return new ErasureReport(referrals, 0, events);
        }));
        LOG.info("prospect erased: {} referrals, {} events rewritten", report.referrals(), report.events());
        return report;
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
        Objects.requireNonNull(advocateId, "advocateId");
        ErasureReport report = retrying(() -> inTransaction(w -> {
            Advocate a = requireAdvocate(w, advocateId);
            int advocates = 0;
            String erasedId = EventScrubber.erasedExternalId(advocateId);
            if (!a.externalId().equals(erasedId)) {
                Advocate next = new Advocate(a.id(), erasedId, EventScrubber.ERASED, "", a.kind(), a.accountId(), "",
                        "", Set.of(), Map.of(), true, a.registeredAt(), a.version() + 1);
                if (!w.store().updateAdvocate(next)) {
                    throw concurrent("advocate", advocateId.value());
                }
                advocates = 1;
                for (ReferralCode c : w.store().codes(advocateId)) {
                    if (c.isActive() && !w.store().updateCode(c, c.revoke(w.now()))) {
                        throw concurrent("code", c.key());
                    }
                }
            }
            int events = rewrite(w, EventStreams.of(advocateId), e -> EventScrubber.withoutAdvocate(e, advocateId));
            ReferralQuery.Builder q = ReferralQuery.builder().advocate(advocateId).limit(1000);
            for (List<Referral> page = w.store().referrals(q.build()); !page.isEmpty();
                    page = w.store().referrals(q.after(page.get(page.size() - 1).id()).build())) {
                for (Referral r : page) {
                    events += rewrite(w, EventStreams.of(r.id()), e -> EventScrubber.withoutAdvocate(e, advocateId));
                }
            }
            return new ErasureReport(0, advocates, events);
        }));
        LOG.info("advocate {} erased: {} events rewritten", advocateId, report.events());
        return report;
    }

    /**
     * Everything the library holds about the prospect with this email (matched after normalisation): each referral
     * with the data captured, consent basis, status, findings and stage history. Empty when nothing is held (also
     * after erasure).
     *
     * @throws ValidationException if {@code email} is not an email address (field {@code email})
     */
    public ProspectExport exportProspect(String email) {
        Objects.requireNonNull(email, "email");
        InputChecks in = new InputChecks();
        in.email("email", email.strip(), true);
        in.throwIfAny();
        String key = screen.matchKeys().emailKey(email);
        return store.inTransaction(tx -> {
            List<ProspectExport.Entry> entries = new ArrayList<>();
            for (Referral r : tx.referralsByProspectKeys(Set.of(key), 10_000)) {
                if (key.equals(r.prospectEmailKey())) {
                    entries.add(new ProspectExport.Entry(r.id(), r.programId(), r.advocateId(), r.prospect(),
                            r.channel(), r.consent(), r.note(), r.stage(), r.review(), r.findings(), r.submittedAt(),
                            tx.timeline(r.id())));
                }
            }
            return new ProspectExport(clock.instant(), entries);
        });
    }

    /**
     * Everything the library holds about an advocate: the record, enrolments, codes, referrals made (ids, stage,
     * review, company name), rewards and ledger.
     *
     * @throws NotFoundException if the advocate does not exist
     */
    public AdvocateExport exportAdvocate(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return store.inTransaction(tx -> {
            Advocate a = tx.advocate(advocateId).orElseThrow(() -> new NotFoundException("advocate",
                    advocateId.value()));
            List<AdvocateExport.Entry> referrals = new ArrayList<>();
            ReferralQuery.Builder q = ReferralQuery.builder().advocate(advocateId).limit(1000);
            for (List<Referral> page = tx.referrals(q.build()); !page.isEmpty();
                    page = tx.referrals(q.after(page.get(page.size() - 1).id()).build())) {
                for (Referral r : page) {
                    referrals.add(new AdvocateExport.Entry(r.id(), r.programId(), r.prospect().company(), r.stage(),
                            r.review(), r.submittedAt()));
                }
            }
            return new AdvocateExport(clock.instant(), a, tx.enrolments(advocateId), tx.codes(advocateId), referrals,
                    tx.rewardsOfAdvocate(advocateId), tx.ledger(advocateId));
        });
    }

    private static List<Referral> ofPerson(UnitOfWork w, String key) {
        return w.store().referralsByProspectKeys(Set.of(key), 500).stream()
                .filter(r -> key.equals(r.prospectEmailKey())).toList();
    }

    /** Replaces each stored event of {@code stream} that {@code scrub} changes; returns how many. */
    private static int rewrite(UnitOfWork w, String stream,
            UnaryOperator<ReferralEvent> scrub) {
        int n = 0;
        for (OutboxEntry e : w.store().events(stream)) {
            ReferralEvent clean = scrub.apply(e.event());
            if (clean != e.event()) {
                w.store().replaceEvent(clean);
                n++;
            }
        }
        return n;
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private static Advocate requireAdvocate(UnitOfWork w, AdvocateId id) {
        return w.store().advocate(id).orElseThrow(() -> new NotFoundException("advocate", id.value()));
    }

    private static Program requireProgram(UnitOfWork w, ProgramId id) {
        return w.store().program(id).orElseThrow(() -> new NotFoundException("program", id.value()));
    }

    private static ConflictException concurrent(String kind, String id) {
        return new ConflictException(kind + ".version", kind + " " + id + " was changed concurrently", true);
    }

    private static <T> T retrying(Supplier<T> op) {
        for (int attempt = 1; ; attempt++) {
            try {
                return op.get();
            } catch (ConflictException e) {
                boolean raced = e.isRetryable() || e instanceof DuplicateKeyException d
                        && (d.key() == UniqueKey.ENROLMENT || d.key() == UniqueKey.TIMELINE_ENTRY
                        || d.key() == UniqueKey.EVENT || d.key() == UniqueKey.REWARD
                        || d.key() == UniqueKey.LEDGER_ENTRY);
                if (!raced || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("retrying after a concurrent update (attempt {}): {}", attempt, e.getMessage());
            }
        }
    }

    /** Configures a {@link ReferralEngine}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private ReferralStore store = new InMemoryReferralStore();
        private Clock clock = Clock.systemUTC();
        private final List<ReferralListener> listeners = new ArrayList<>();
        private final List<ReferralHook> hooks = new ArrayList<>();
        private Executor executor;
        private RandomGenerator random = new SecureRandom();
        private ReferralLinks links;
        private boolean outbox;
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
         * one store. Without one, the engine uses a random secret of its own: matching then holds only within this
         * engine instance (fine for the in-memory store; a warning is logged for any other store).
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

        /** Adds a hook that runs inside the engine's transactions, in the order added. */
        public Builder hook(ReferralHook hook) {
            hooks.add(Objects.requireNonNull(hook, "hook"));
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

        /** Builds referral links for issued codes. */
        public Builder links(ReferralLinks links) {
            this.links = Objects.requireNonNull(links, "links");
            return this;
        }

        /**
         * Stores events as pending in the store's outbox instead of delivering them after commit; an outbox
         * dispatcher then delivers them at least once, in order per stream, surviving crashes.
         */
        public Builder outbox() {
            this.outbox = true;
            return this;
        }

        public ReferralEngine build() {
            return new ReferralEngine(this);
        }
    }
}
