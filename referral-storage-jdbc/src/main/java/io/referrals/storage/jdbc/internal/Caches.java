package io.referrals.storage.jdbc.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralCode;
import io.referrals.storage.jdbc.CacheOptions;
import java.util.Collection;
import java.util.Optional;

/**
 * Read caches of one store: code key to code, program id to program, and existing enrolments (which are never
 * deleted), holding committed values only. A transaction that writes an entry bypasses the cache for it and
 * invalidates it when it ends, committed or not. Thread-safe.
 */
public final class Caches {
    private final Cache<String, ReferralCode> codes;
    private final Cache<ProgramId, Program> programs;
    private final Cache<String, Enrolment> enrolments;

    public Caches(CacheOptions options) {
        if (options.enabled()) {
            codes = Caffeine.newBuilder().maximumSize(options.maximumSize())
                    .expireAfterWrite(options.expireAfterWrite()).build();
            programs = Caffeine.newBuilder().maximumSize(options.maximumSize())
                    .expireAfterWrite(options.expireAfterWrite()).build();
            enrolments = Caffeine.newBuilder().maximumSize(options.maximumSize())
                    .expireAfterWrite(options.expireAfterWrite()).build();
        } else {
            codes = null;
            programs = null;
            enrolments = null;
        }
    }

    Optional<ReferralCode> code(String key) {
        return codes == null ? Optional.empty() : Optional.ofNullable(codes.getIfPresent(key));
    }

    void putCode(ReferralCode code) {
        if (codes != null) {
            codes.put(code.key(), code);
        }
    }

    void invalidateCodes(Collection<String> keys) {
        if (codes != null && !keys.isEmpty()) {
            codes.invalidateAll(keys);
        }
    }

    Optional<Program> program(ProgramId id) {
        return programs == null ? Optional.empty() : Optional.ofNullable(programs.getIfPresent(id));
    }

    void putProgram(Program program) {
        if (programs != null) {
            programs.put(program.id(), program);
        }
    }

    void invalidatePrograms(Collection<ProgramId> ids) {
        if (programs != null && !ids.isEmpty()) {
            programs.invalidateAll(ids);
        }
    }

    static String enrolmentKey(AdvocateId advocate, ProgramId program) {
        return advocate.value() + '|' + program.value();
    }

    Optional<Enrolment> enrolment(String key) {
        return enrolments == null ? Optional.empty() : Optional.ofNullable(enrolments.getIfPresent(key));
    }

    void putEnrolment(Enrolment enrolment) {
        if (enrolments != null) {
            enrolments.put(enrolmentKey(enrolment.advocateId(), enrolment.programId()), enrolment);
        }
    }

    void invalidateEnrolments(Collection<String> keys) {
        if (enrolments != null && !keys.isEmpty()) {
            enrolments.invalidateAll(keys);
        }
    }
}
