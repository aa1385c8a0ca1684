package io.referrals.core;

import io.referrals.core.event.AdvocateEnrolled;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.internal.InputChecks;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Advocates: registration with its validation, enrolment and opt-out. Stateless; thread-safe. */
final class AdvocateFlow {
    private final EngineTransactions runner;

    AdvocateFlow(EngineTransactions runner) {
        this.runner = runner;
    }

    Advocate registerAdvocate(AdvocateRegistration registration) {
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
        return runner.inTransaction(w -> {
            Advocate a = new Advocate(AdvocateId.random(), registration.externalId(), registration.displayName(),
                    registration.email(), registration.kind(), registration.accountId(), registration.companyName(),
                    registration.companyDomain().toLowerCase(Locale.ROOT), registration.segments(),
                    registration.attributes(), false, w.now(), 1);
            w.store().advocates().insert(a);
            w.emit(EventStreams.of(a.id()), m -> new AdvocateRegistered(m, AdvocateSummary.of(a)));
            return a;
        });
    }

    Enrolment enrol(AdvocateId advocateId, ProgramId programId) {
        Objects.requireNonNull(advocateId, "advocateId");
        Objects.requireNonNull(programId, "programId");
        return EngineTransactions.retrying(() -> runner.inStream(EventStreams.of(advocateId), w -> {
            Advocate a = Require.advocate(w, advocateId);
            Program p = Require.program(w, programId);
            Optional<Enrolment> existing = w.store().advocates().enrolment(advocateId, programId);
            if (existing.isPresent()) {
                return existing.get();
            }
            Enrolment e = new Enrolment(advocateId, programId, w.now());
            w.store().advocates().insertEnrolment(e);
            w.emit(EventStreams.of(advocateId),
                    m -> new AdvocateEnrolled(m, AdvocateSummary.of(a), p.id(), p.name()));
            return e;
        }));
    }

    Advocate optOut(AdvocateId advocateId) {
        Objects.requireNonNull(advocateId, "advocateId");
        return EngineTransactions.retrying(() -> runner.inStream(EventStreams.of(advocateId), w -> {
            Advocate a = Require.advocate(w, advocateId);
            if (a.optedOut()) {
                return a;
            }
            Advocate next = a.optOut();
            if (!w.store().advocates().update(next)) {
                throw Require.concurrentUpdate("advocate", advocateId.value());
            }
            w.emit(EventStreams.of(advocateId), m -> new AdvocateOptedOut(m, AdvocateSummary.of(next)));
            return next;
        }));
    }
}
