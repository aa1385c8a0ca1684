package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.ReferralEngine;
import io.referrals.core.error.ConflictException;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Programs declared by the host ({@code referrals.programs.*} and {@link Program} beans), defined in the store at
 * start-up or updated to match, so that a restart needs no hand-written seeder and several instances starting at once
 * agree. A stored program equal to its declaration (version aside) is left alone.
 */
final class ProgramDefinitions {
    private static final Logger LOG = LoggerFactory.getLogger(ProgramDefinitions.class);
    private static final int ATTEMPTS = 5;

    private ProgramDefinitions() {
    }

    /**
     * The declared programs, by id: those of the properties, then the beans.
     *
     * @throws IllegalStateException if a program lacks a name, has an impossible schedule, or is declared twice
     */
    static List<Program> declared(Map<String, ReferralsProperties.ProgramDefinition> properties, List<Program> beans) {
        Map<ProgramId, Program> out = new LinkedHashMap<>();
        properties.forEach((id, d) -> {
            Program p;
            try {
                p = Program.builder(ProgramId.of(id), d.getName(), d.getKind()).status(d.getStatus())
                        .schedule(schedule(d.getStartsAt(), d.getEndsAt())).build();
            } catch (RuntimeException e) {
                throw new IllegalStateException("referrals.programs." + id + " is not a valid program: "
                        + e.getMessage(), e);
            }
            out.put(p.id(), p);
        });
        for (Program p : beans) {
            if (out.putIfAbsent(p.id(), p) != null) {
                throw new IllegalStateException("program " + p.id() + " is declared twice (referrals.programs and a"
                        + " Program bean, or two beans)");
            }
        }
        return new ArrayList<>(out.values());
    }

    private static Schedule schedule(Instant startsAt, Instant endsAt) {
        return new Schedule(startsAt == null ? Instant.MIN : startsAt, endsAt == null ? Instant.MAX : endsAt);
    }

    /** Defines each program in the store, or updates the stored one to match; returns the stored programs. */
    static List<Program> apply(ReferralEngine engine, List<Program> programs) {
        List<Program> stored = new ArrayList<>();
        for (Program p : programs) {
            stored.add(defineOrUpdate(engine, p));
        }
        return stored;
    }

    private static Program defineOrUpdate(ReferralEngine engine, Program declared) {
        for (int attempt = 1; ; attempt++) {
            try {
                return engine.transactions().inStore(tx -> {
                    Optional<Program> existing = tx.programs().get(declared.id());
                    if (existing.isEmpty()) {
                        tx.programs().insert(declared);
                        LOG.info("program {} defined from the configuration", declared.id());
                        return declared;
                    }
                    Program current = existing.get();
                    Program wanted = new Program(declared.id(), declared.name(), declared.kind(), declared.status(),
                            declared.schedule(), declared.pipeline(), declared.crmMapping(), current.version());
                    if (wanted.equals(current)) {
                        return current;
                    }
                    Program next = wanted.nextVersion();
                    if (!tx.programs().update(next)) {
                        throw new ConflictException("program", "program " + declared.id() + " changed concurrently", true);
                    }
                    LOG.info("program {} updated to its configuration (version {})", declared.id(), next.version());
                    return next;
                });
            } catch (ConflictException e) { // a DuplicateKeyException too: defined by another instance meanwhile
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.debug("program {} was defined concurrently; reading it again", declared.id());
            }
        }
    }
}
