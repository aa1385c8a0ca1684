package io.referrals.rules.internal;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reason;
import io.referrals.core.model.RewardSource;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.result.RuleOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Host-defined events of an advocate (a review written, a certification completed), judged by the rules they
 * trigger. See {@link io.referrals.rules.Rewards#recordEvent}. Thread-safe.
 */
public final class HostEvents {
    private final RuleBook book;
    private final TransactionRunner transactions;

    public HostEvents(RuleBook book, TransactionRunner transactions) {
        this.book = book;
        this.transactions = transactions;
    }

    /** See {@link io.referrals.rules.Rewards#recordEvent}. */
    public List<RuleOutcome> record(AdvocateId advocateId, ProgramId programId, String type, String eventId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        Trigger.event(type); // refuses a type no rule could name, as a rule would
        Objects.requireNonNull(eventId, "eventId");
        if (eventId.isBlank()) {
            throw new IllegalArgumentException("eventId must not be blank");
        }
        return Retry.retrying(() -> transactions.inStream(EventStreams.of(advocateId), w -> {
            StoreTransaction tx = w.store();
            Advocate a = Payer.advocate(tx, advocateId);
            Program p = tx.programs().get(programId)
                    .orElseThrow(() -> new NotFoundException("program", programId.value()));
            CompiledRuleSet crs = book.pinned(programId, w.now(), w.now());
            if (crs == null) {
                return List.of();
            }
            Facts facts = book.facts(tx, crs, p, a, null, w.now());
            List<RuleOutcome> outcomes = new ArrayList<>();
            Reason trigger = Reason.of("trigger", "You completed '" + type + "'.");
            for (CompiledRule rule : crs.onEvent.getOrDefault(type, List.of())) {
                Trigger.CustomEvent t = (Trigger.CustomEvent) rule.rule.trigger();
                RewardSource source = new RewardSource(RewardSource.Kind.CUSTOM_EVENT,
                        t.repeatable() ? eventId : advocateId.value());
                outcomes.add(book.judge(w, crs, rule, facts, "event:" + type, trigger, source));
            }
            return outcomes;
        }));
    }
}
