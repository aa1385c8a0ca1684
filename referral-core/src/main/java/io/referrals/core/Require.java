package io.referrals.core;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;

/** Lookups that must find what they look for, and the error of a lost conditional update, shared by the flows. */
final class Require {
    private Require() {
    }

    static Advocate advocate(UnitOfWork w, AdvocateId id) {
        return w.store().advocates().get(id).orElseThrow(() -> new NotFoundException("advocate", id.value()));
    }

    static Program program(UnitOfWork w, ProgramId id) {
        return w.store().programs().get(id).orElseThrow(() -> new NotFoundException("program", id.value()));
    }

    /** The retryable conflict of a conditional update that found another version of {@code kind} {@code id}. */
    static ConflictException concurrentUpdate(String kind, String id) {
        return new ConflictException(kind + ".version", kind + " " + id + " was changed concurrently", true);
    }
}
