package io.referrals.core;

import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.EligibilityReasons;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.IdempotencyConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralFlagged;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralRejected;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.internal.EligibilityScreen;
import io.referrals.core.internal.Fingerprint;
import io.referrals.core.internal.InputChecks;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.CaptureReceipt;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Channel;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Capture: validation, the idempotent replay, code and program checks, eligibility, storing the referral and its
 * events, and the capture hooks. Stateless; thread-safe. */
final class CaptureFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ReferralEngine.class);

    private final EngineTransactions runner;
    private final EligibilityScreen screen;
    private final Map<ProgramId, EligibilityPolicy> policies;
    private final EligibilityPolicy defaultPolicy;
    private final List<ReferralHook> hooks;

    CaptureFlow(EngineTransactions runner, EligibilityScreen screen, Map<ProgramId, EligibilityPolicy> policies,
            EligibilityPolicy defaultPolicy, List<ReferralHook> hooks) {
        this.runner = runner;
        this.screen = screen;
        this.policies = policies;
        this.defaultPolicy = defaultPolicy;
        this.hooks = hooks;
    }

    CaptureResult capture(CaptureRequest request) {
        Objects.requireNonNull(request, "request");
        validate(request);
        Prospect prospect = normalize(request.prospect().orElseThrow());
        String fingerprint = fingerprint(request, prospect);
        for (int attempt = 1; ; attempt++) {
            try {
                Function<UnitOfWork, CaptureResult> work = w -> capture(w, request, prospect, fingerprint);
                // A refusal lands on the advocate's stream: it is named when known. The new referral's stream, and
                // the stream of an earlier referral this capture flags (its prospect passes to the new one), are
                // taken as their first event is emitted; if another unit of work holds one, the capture runs again
                // holding all of them, taken in the engine's fixed order (see EngineTransactions).
                return request.advocateId().isPresent()
                        ? runner.inStream(EventStreams.of(request.advocateId().get()), work)
                        : runner.inTransaction(work);
            } catch (DuplicateKeyException e) {
                // a concurrent capture with the same idempotency key won; the next attempt replays it
                if (e.key() != UniqueKey.IDEMPOTENCY_KEY || attempt == EngineTransactions.MAX_ATTEMPTS) {
                    throw e;
                }
            } catch (ConflictException e) {
                // a deadlock or serialisation failure reported by the store: the whole capture is run again
                if (!e.isRetryable() || attempt == EngineTransactions.MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("retrying a capture after a concurrent update (attempt {}): {}", attempt, e.subject());
            }
        }
    }

    private CaptureResult capture(UnitOfWork w, CaptureRequest request, Prospect prospect, String fingerprint) {
        String key = request.idempotencyKey();
        if (!key.isEmpty()) {
            Optional<Referral> earlier = w.store().referrals().byIdempotencyKey(key);
            if (earlier.isPresent()) {
                if (!earlier.get().fingerprint().equals(fingerprint)) {
                    throw new IdempotencyConflictException(key);
                }
                return replayOf(earlier.get());
            }
        }
        Advocate advocate;
        ProgramId programId;
        String code = "";
        if (request.code().isPresent()) {
            String typed = request.code().get();
            Optional<ReferralCode> found = w.store().codes().get(ReferralCode.normalize(typed));
            if (found.isEmpty()) {
                long failures = screen.countFailedLookup(w.store(), w.now(), request.signals());
                LOG.debug("unknown referral code; {} failed lookups from this source this hour", failures);
                return new CaptureResult.Refused(Reason.of("code_unknown", "This referral code is not known."));
            }
            ReferralCode c = found.get();
            programId = c.programId();
            code = c.code();
            advocate = Require.advocate(w, c.advocateId());
            if (!c.isActive()) {
                return refuse(w, advocate, programId,
                        Reason.of("code_revoked", "This referral code is no longer valid."));
            }
            if (request.programId().isPresent() && !request.programId().get().equals(programId)) {
                return refuse(w, advocate, request.programId().get(),
                        Reason.of("code_other_program", "This referral code belongs to another program."));
            }
        } else {
            advocate = Require.advocate(w, request.advocateId().orElseThrow());
            programId = request.programId().orElseThrow();
        }
        AdvocateId advocateId = advocate.id();
        Program program = Require.program(w, programId);
        Optional<Reason> closed = program.refusalAt(w.now());
        if (closed.isPresent()) {
            return refuse(w, advocate, programId, closed.get());
        }
        if (advocate.optedOut()) {
            return refuse(w, advocate, programId,
                    Reason.of("advocate_opted_out", "You have opted out of the referral program."));
        }
        if (w.store().advocates().enrolment(advocateId, programId).isEmpty()) {
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
                .captured(new CaptureReceipt(screening.rejected(), rejectedStage.orElse(initial),
                        rejectedStage.isPresent(), screening.review(), screening.findings()))
                .build();
        w.store().referrals().insert(referral);
        String stream = EventStreams.of(referral.id());
        if (screening.rejected()) {
            if (rejectedStage.isPresent()) {
                w.store().timelines().append(new TimelineEntry(referral.id(), 1, initial, rejectedStage.get(),
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

    /**
     * What the first capture with this referral's key returned, marked replayed: the referral as then recorded, and
     * the same outcome and reasons, whatever happened to it since. A referral stored without a receipt (before
     * receipts were kept) is answered from its current state, as before.
     */
    private static CaptureResult replayOf(Referral r) {
        Optional<Referral> first = r.asCaptured();
        if (first.isEmpty()) {
            return resultOf(r, true);
        }
        Referral f = first.get();
        return f.captured().orElseThrow().rejected() ? new CaptureResult.Rejected(f, f.findings(), true)
                : new CaptureResult.Accepted(f, true);
    }

    private static CaptureResult resultOf(Referral r, boolean replayed) {
        if (r.review() == ReviewStatus.DENIED && !r.findings().isEmpty()) {
            return new CaptureResult.Rejected(r, r.findings(), replayed);
        }
        return new CaptureResult.Accepted(r, replayed);
    }

    static Optional<Stage> rejectedStage(Program program, Stage from) {
        return program.pipeline().terminalStages().entrySet().stream()
                .filter(e -> e.getValue() == Outcome.REJECTED && program.pipeline().allows(from, e.getKey()))
                .map(Map.Entry::getKey).findFirst();
    }

    private static String codes(List<Reason> reasons) {
        return String.join(", ", reasons.stream().map(Reason::code).toList());
    }

    private void flagSuperseded(UnitOfWork w, Referral stale) {
        Referral r = w.store().referrals().get(stale.id()).orElseThrow(() -> new NotFoundException("referral",
                stale.id().value()));
        if (r.review() != ReviewStatus.CLEAR && r.review() != ReviewStatus.APPROVED) {
            return;
        }
        List<Reason> findings = new ArrayList<>(r.findings());
        findings.add(EligibilityReasons.reason(EligibilityReasons.OWNERSHIP_TRANSFERRED));
        Referral next = r.toBuilder().review(ReviewStatus.FLAGGED).findings(findings).updatedAt(w.now())
                .version(r.version() + 1).build();
        if (!w.store().referrals().update(next)) {
            throw Require.concurrentUpdate("referral", r.id().value());
        }
        Program p = Require.program(w, r.programId());
        Advocate a = Require.advocate(w, r.advocateId());
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

    static void validateProspect(InputChecks in, String field, Prospect p) {
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

    static Prospect normalize(Prospect p) {
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
}
