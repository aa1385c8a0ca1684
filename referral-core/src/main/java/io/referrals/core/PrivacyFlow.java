package io.referrals.core;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.internal.EligibilityScreen;
import io.referrals.core.internal.EventScrubber;
import io.referrals.core.internal.InputChecks;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.privacy.AdvocateExport;
import io.referrals.core.privacy.ErasureReport;
import io.referrals.core.privacy.ProspectExport;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.ReferralQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Erasure and export of a prospect's or an advocate's personal data. Stateless; thread-safe. */
final class PrivacyFlow {
    private static final Logger LOG = LoggerFactory.getLogger(ReferralEngine.class);

    private final EngineTransactions runner;
    private final EligibilityScreen screen;

    PrivacyFlow(EngineTransactions runner, EligibilityScreen screen) {
        this.runner = runner;
        this.screen = screen;
    }

    ErasureReport eraseProspect(String email) {
        Objects.requireNonNull(email, "email");
        InputChecks in = new InputChecks();
        in.email("email", email.strip(), true);
        in.throwIfAny();
        String key = screen.matchKeys().emailKey(email);
        ErasureReport report = EngineTransactions.retrying(() -> runner.inTransaction(w -> {
            int referrals = 0;
            int events = 0;
            for (List<Referral> batch = ofPerson(w, key); !batch.isEmpty(); batch = ofPerson(w, key)) {
                for (Referral r : batch) {
                    Referral next = r.toBuilder()
                            .prospect(new Prospect("", "", "", "", "", r.prospect().seniority(), "", "", Map.of()))
                            .note("").fingerprint("").prospectEmailKey("").prospectDomainKey("")
                            .updatedAt(w.now()).version(r.version() + 1).build();
                    if (!w.store().referrals().update(next)) {
                        throw Require.concurrentUpdate("referral", r.id().value());
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

    ErasureReport eraseAdvocate(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        ErasureReport report = EngineTransactions.retrying(() -> runner.inTransaction(w -> {
            Advocate a = Require.advocate(w, advocateId);
            int advocates = 0;
            String erasedId = EventScrubber.erasedExternalId(advocateId);
            if (!a.externalId().equals(erasedId)) {
                Advocate next = new Advocate(a.id(), erasedId, EventScrubber.ERASED, "", a.kind(), a.accountId(), "",
                        "", Set.of(), Map.of(), true, a.registeredAt(), a.version() + 1);
                if (!w.store().advocates().update(next)) {
                    throw Require.concurrentUpdate("advocate", advocateId.value());
                }
                advocates = 1;
                for (ReferralCode c : w.store().codes().ofAdvocate(advocateId)) {
                    if (c.isActive() && !w.store().codes().update(c, c.revoke(w.now()))) {
                        throw Require.concurrentUpdate("code", c.key());
                    }
                }
            }
            w.store().messages().deleteOfAdvocate(advocateId);
            int events = rewrite(w, EventStreams.of(advocateId), e -> EventScrubber.withoutAdvocate(e, advocateId));
            ReferralQuery.Builder q = ReferralQuery.builder().advocate(advocateId).limit(1000);
            for (List<Referral> page = w.store().referrals().find(q.build()); !page.isEmpty();
                    page = w.store().referrals().find(q.after(page.get(page.size() - 1).id()).build())) {
                for (Referral r : page) {
                    events += rewrite(w, EventStreams.of(r.id()), e -> EventScrubber.withoutAdvocate(e, advocateId));
                }
            }
            return new ErasureReport(0, advocates, events);
        }));
        LOG.info("advocate {} erased: {} events rewritten", advocateId, report.events());
        return report;
    }

    ProspectExport exportProspect(String email) {
        Objects.requireNonNull(email, "email");
        InputChecks in = new InputChecks();
        in.email("email", email.strip(), true);
        in.throwIfAny();
        String key = screen.matchKeys().emailKey(email);
        return runner.inStore(tx -> {
            List<ProspectExport.Entry> entries = new ArrayList<>();
            for (Referral r : tx.referrals().byProspectKeys(Set.of(key), 10_000)) {
                if (key.equals(r.prospectEmailKey())) {
                    entries.add(new ProspectExport.Entry(r.id(), r.programId(), r.advocateId(), r.prospect(),
                            r.channel(), r.consent(), r.note(), r.stage(), r.review(), r.findings(), r.submittedAt(),
                            tx.timelines().of(r.id())));
                }
            }
            return new ProspectExport(runner.clock().instant(), entries);
        });
    }

    AdvocateExport exportAdvocate(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return runner.inStore(tx -> {
            Advocate a = tx.advocates().get(advocateId).orElseThrow(() -> new NotFoundException("advocate",
                    advocateId.value()));
            List<AdvocateExport.Entry> referrals = new ArrayList<>();
            ReferralQuery.Builder q = ReferralQuery.builder().advocate(advocateId).limit(1000);
            for (List<Referral> page = tx.referrals().find(q.build()); !page.isEmpty();
                    page = tx.referrals().find(q.after(page.get(page.size() - 1).id()).build())) {
                for (Referral r : page) {
                    referrals.add(new AdvocateExport.Entry(r.id(), r.programId(), r.prospect().company(), r.stage(),
                            r.review(), r.submittedAt()));
                }
            }
            return new AdvocateExport(runner.clock().instant(), a, tx.advocates().enrolments(advocateId), tx.codes().ofAdvocate(advocateId), referrals,
                    tx.rewards().ofAdvocate(advocateId), tx.ledger().entries(advocateId));
        });
    }

    private static List<Referral> ofPerson(UnitOfWork w, String key) {
        return w.store().referrals().byProspectKeys(Set.of(key), 500).stream()
                .filter(r -> key.equals(r.prospectEmailKey())).toList();
    }

    private static int rewrite(UnitOfWork w, String stream,
            UnaryOperator<ReferralEvent> scrub) {
        int n = 0;
        for (OutboxEntry e : w.store().events().ofStream(stream)) {
            ReferralEvent clean = scrub.apply(e.event());
            if (clean != e.event()) {
                w.store().events().replace(clean);
                n++;
            }
        }
        return n;
    }
}
