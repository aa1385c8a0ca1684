package io.referrals.core;

import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.CodeRevoked;
import io.referrals.core.event.EventStreams;
import io.referrals.core.internal.CodeGenerator;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.UniqueKey;
import java.util.Objects;

/** Referral codes: generated and vanity codes, revocation. Stateless apart from the code generator; thread-safe. */
final class CodeFlow {
    private final EngineTransactions runner;
    private final CodeGenerator codes;
    private final ReferralLinks links;

    CodeFlow(EngineTransactions runner, CodeGenerator codes, ReferralLinks links) {
        this.runner = runner;
        this.codes = codes;
        this.links = links;
    }

    ReferralCode issueCode(AdvocateId advocateId, ProgramId programId) {
        for (int attempt = 1; ; attempt++) {
            try {
                return issue(advocateId, programId, codes.next(), false);
            } catch (DuplicateKeyException e) {
                if (e.key() != UniqueKey.CODE || attempt == EngineTransactions.MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    ReferralCode issueVanityCode(AdvocateId advocateId, ProgramId programId, String code) {
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
        return runner.inStream(EventStreams.of(advocateId), w -> {
            Advocate a = Require.advocate(w, advocateId);
            Require.program(w, programId);
            if (w.store().advocates().enrolment(advocateId, programId).isEmpty()) {
                throw ValidationException.of("advocateId", "not_enrolled",
                        "the advocate is not enrolled in program " + programId);
            }
            ReferralCode c = new ReferralCode(code, advocateId, programId, vanity, CodeStatus.ACTIVE, w.now(),
                    w.now());
            w.store().codes().insert(c);
            String link = links == null ? "" : links.link(c.code()).toString();
            w.emit(EventStreams.of(advocateId), m -> new CodeIssued(m, AdvocateSummary.of(a), programId, code, link));
            return c;
        });
    }

    ReferralCode revokeCode(String code) {
        Objects.requireNonNull(code, "code");
        String key = ReferralCode.normalize(code);
        return EngineTransactions.retrying(() -> runner.inTransaction(w -> {
            ReferralCode c = w.store().codes().get(key).orElseThrow(() -> new NotFoundException("code", key));
            if (!c.isActive()) {
                return c;
            }
            ReferralCode revoked = c.revoke(w.now());
            if (!w.store().codes().update(c, revoked)) {
                throw Require.concurrentUpdate("code", key);
            }
            Advocate a = Require.advocate(w, c.advocateId());
            w.emit(EventStreams.of(a.id()),
                    m -> new CodeRevoked(m, AdvocateSummary.of(a), c.programId(), c.code()));
            return revoked;
        }));
    }
}
