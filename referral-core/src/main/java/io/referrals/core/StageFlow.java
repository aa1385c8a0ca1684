package io.referrals.core;

import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ReopenNotAllowedException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.event.StageChanged;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.internal.InputChecks;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage changes: transitions, the reopening of lost referrals, CRM stage names and deal values, with the transition
 * hooks. Stateless; thread-safe.
 */
final class StageFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ReferralEngine.class);

    private final EngineTransactions runner;
    private final List<ReferralHook> hooks;

    StageFlow(EngineTransactions runner, List<ReferralHook> hooks) {
        this.runner = runner;
        this.hooks = hooks;
    }

    TransitionResult transition(TransitionRequest request) {
        Objects.requireNonNull(request, "request");
        InputChecks in = new InputChecks();
        in.text("reason", request.reason(), 500);
        in.line("externalRef", request.externalRef(), 200);
        in.line("cause.actor", request.cause().actor(), 128);
        in.throwIfAny();
        return EngineTransactions.retrying(() -> runner.inStream(EventStreams.of(request.referralId()), w -> move(w, request)));
    }

    TransitionResult applyCrmStage(ReferralId referralId, String crmStage, TransitionCause cause,
            String externalRef) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(crmStage, "crmStage");
        Objects.requireNonNull(cause, "cause");
        Referral r = runner.inStore(t -> t.referrals().get(referralId)).orElseThrow(() -> new NotFoundException("referral", referralId.value()));
        Program p = runner.inStore(t -> t.programs().get(r.programId())).orElseThrow(() -> new NotFoundException("program", r.programId().value()));
        Optional<Stage> stage = p.crmMapping().resolve(crmStage);
        if (stage.isEmpty()) {
            LOG.debug("unmapped CRM stage for referral {} in program {}", referralId, p.id());
            return new TransitionResult.UnmappedCrmStage(r, crmStage);
        }
        return transition(new TransitionRequest(referralId, stage.get(), cause, "", externalRef));
    }

    private TransitionResult move(UnitOfWork w, TransitionRequest request) {
        Referral r = w.store().referrals().get(request.referralId())
                .orElseThrow(() -> new NotFoundException("referral", request.referralId().value()));
        if (r.stage().equals(request.to())) {
            return new TransitionResult.Unchanged(r);
        }
        Program p = Require.program(w, r.programId());
        StagePipeline pipeline = p.pipeline();
        boolean reopening = !pipeline.allows(r.stage(), request.to()) && pipeline.reopens(r.stage(), request.to());
        if (!reopening && !pipeline.allows(r.stage(), request.to())) {
            if (r.outcome().orElse(null) == Outcome.LOST && pipeline.contains(request.to())
                    && !pipeline.isTerminal(request.to())) {
                throw new ReopenNotAllowedException(r.id().value(), r.stage().name(), request.to().name());
            }
            throw new IllegalTransitionException(r.id().value(), r.stage().name(), request.to().name());
        }
        TimelineEntry entry = new TimelineEntry(r.id(), r.timelineLength() + 1, r.stage(), request.to(), w.now(),
                request.cause(), request.reason(), request.externalRef(),
                reopening ? TimelineEntry.Kind.REOPENED : TimelineEntry.Kind.MOVED);
        Referral next = r.toBuilder()
                .stage(request.to())
                .outcome(p.pipeline().outcome(request.to()).orElse(null))
                .updatedAt(w.now())
                .timelineLength(entry.sequence())
                .version(r.version() + 1)
                .build();
        if (!w.store().referrals().update(next)) {
            throw Require.concurrentUpdate("referral", r.id().value());
        }
        w.store().timelines().append(entry);
        Advocate a = Require.advocate(w, r.advocateId());
        ReferralSummary summary = ReferralSummary.of(next, p, a);
        w.emit(EventStreams.of(r.id()), m -> new StageChanged(m, summary, entry));
        if (reopening) {
            w.emit(EventStreams.of(r.id()), m -> new ReferralReopened(m, summary, entry));
            LOG.debug("referral {} reopened from {} to {} by {}", r.id(), r.stage(), request.to(),
                    request.cause().kind());
        }
        for (ReferralHook h : hooks) {
            h.afterTransition(w, p, a, next, entry);
        }
        return new TransitionResult.Moved(next, entry);
    }

    Referral recordDealValue(ReferralId referralId, Money value) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(value, "value");
        if (value.isNegative()) {
            throw new IllegalArgumentException("a deal value cannot be negative");
        }
        return EngineTransactions.retrying(() -> runner.inStream(EventStreams.of(referralId), w -> {
            Referral r = w.store().referrals().get(referralId)
                    .orElseThrow(() -> new NotFoundException("referral", referralId.value()));
            if (r.dealValue().map(value::equals).orElse(false)) {
                return r;
            }
            Referral next = r.toBuilder().dealValue(value).updatedAt(w.now()).version(r.version() + 1).build();
            if (!w.store().referrals().update(next)) {
                throw Require.concurrentUpdate("referral", referralId.value());
            }
            return next;
        }));
    }
}
