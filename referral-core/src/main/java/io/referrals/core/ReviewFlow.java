package io.referrals.core;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralReviewed;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.event.StageChanged;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.internal.InputChecks;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The review of flagged referrals: approve or deny, with the review hooks. Stateless; thread-safe. */
final class ReviewFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ReferralEngine.class);

    private final EngineTransactions runner;
    private final List<ReferralHook> hooks;

    ReviewFlow(EngineTransactions runner, List<ReferralHook> hooks) {
        this.runner = runner;
        this.hooks = hooks;
    }

    Referral review(ReferralId referralId, ReviewStatus decision, String reviewer, String note) {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(reviewer, "reviewer");
        Objects.requireNonNull(note, "note");
        InputChecks in = new InputChecks();
        in.line("reviewer", reviewer, 128);
        in.text("note", note, 2000);
        in.throwIfAny();
        return EngineTransactions.retrying(() -> runner.inStream(EventStreams.of(referralId), w -> {
            Referral r = w.store().referrals().get(referralId)
                    .orElseThrow(() -> new NotFoundException("referral", referralId.value()));
            if (r.review() == decision) {
                return r;
            }
            if (r.review() != ReviewStatus.FLAGGED) {
                throw new ConflictException("referral.review", "referral " + referralId + " is not flagged for review",
                        false);
            }
            Program p = Require.program(w, r.programId());
            Advocate a = Require.advocate(w, r.advocateId());
            Referral next = r.toBuilder().review(decision).updatedAt(w.now()).version(r.version() + 1).build();
            Optional<Stage> rejected = decision == ReviewStatus.DENIED ? CaptureFlow.rejectedStage(p, r.stage()) : Optional.empty();
            TimelineEntry entry = null;
            if (rejected.isPresent()) {
                entry = new TimelineEntry(r.id(), r.timelineLength() + 1, r.stage(), rejected.get(), w.now(),
                        TransitionCause.host(reviewer), "review denied", "");
                next = next.toBuilder().stage(rejected.get()).outcome(Outcome.REJECTED)
                        .timelineLength(entry.sequence()).build();
            }
            if (!w.store().referrals().update(next)) {
                throw Require.concurrentUpdate("referral", referralId.value());
            }
            Referral done = next;
            if (entry != null) {
                TimelineEntry e = entry;
                w.store().timelines().append(e);
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
}
