package io.referrals.core;

import io.referrals.core.internal.EligibilityScreen;
import io.referrals.core.internal.InputChecks;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The import of historical referrals: all rows in one transaction, or none. Stateless; thread-safe. */
final class ImportFlow {
    private final EngineTransactions runner;
    private final EligibilityScreen screen;

    ImportFlow(EngineTransactions runner, EligibilityScreen screen) {
        this.runner = runner;
        this.screen = screen;
    }

    List<Referral> importReferrals(List<ImportedReferral> rows) {
        Objects.requireNonNull(rows, "rows");
        InputChecks in = new InputChecks();
        for (int i = 0; i < rows.size(); i++) {
            ImportedReferral row = Objects.requireNonNull(rows.get(i), "row");
            String f = "rows[" + i + "]";
            CaptureFlow.validateProspect(in, f + ".prospect", row.prospect());
            in.text(f + ".note", row.note(), 2000);
            in.line(f + ".importKey", row.importKey(), 128);
        }
        in.throwIfAny();
        return runner.inTransaction(w -> {
            Map<ProgramId, Program> programs = new HashMap<>();
            Set<AdvocateId> advocates = new HashSet<>();
            List<Referral> referrals = new ArrayList<>(rows.size());
            List<TimelineEntry> entries = new ArrayList<>();
            InputChecks refs = new InputChecks();
            for (int i = 0; i < rows.size(); i++) {
                ImportedReferral row = rows.get(i);
                String f = "rows[" + i + "]";
                Program p = programs.computeIfAbsent(row.programId(), id -> w.store().programs().get(id).orElse(null));
                if (p == null) {
                    refs.add(f + ".programId", "not_found", "no such program");
                    continue;
                }
                if (advocates.add(row.advocateId()) && w.store().advocates().get(row.advocateId()).isEmpty()) {
                    refs.add(f + ".advocateId", "not_found", "no such advocate");
                    continue;
                }
                ReferralId id = ReferralId.random();
                Stage stage = p.pipeline().initial();
                Instant at = row.submittedAt();
                for (int j = 0; j < row.moves().size(); j++) {
                    ImportedReferral.Move m = row.moves().get(j);
                    boolean reopening = !p.pipeline().allows(stage, m.to()) && p.pipeline().reopens(stage, m.to());
                    if (!reopening && !p.pipeline().allows(stage, m.to())) {
                        refs.add(f + ".moves[" + j + "]", "illegal_transition",
                                "the pipeline does not allow moving from " + stage + " to " + m.to());
                        break;
                    }
                    if (m.at().isBefore(at)) {
                        refs.add(f + ".moves[" + j + "]", "out_of_order", "moves must be in time order");
                        break;
                    }
                    entries.add(new TimelineEntry(id, j + 1, stage, m.to(), m.at(), m.cause(), "", m.externalRef(),
                            reopening ? TimelineEntry.Kind.REOPENED : TimelineEntry.Kind.MOVED));
                    stage = m.to();
                    at = m.at();
                }
                Prospect prospect = CaptureFlow.normalize(row.prospect());
                EligibilityScreen.ProspectKeys pk = screen.keysOf(prospect);
                referrals.add(Referral.builder()
                        .id(id)
                        .programId(p.id())
                        .advocateId(row.advocateId())
                        .prospect(prospect)
                        .prospectEmailKey(pk.emailKey())
                        .prospectDomainKey(pk.domainKey())
                        .channel(row.channel())
                        .consent(row.consent())
                        .note(row.note())
                        .stage(stage)
                        .outcome(p.pipeline().outcome(stage).orElse(null))
                        .dealValue(row.dealValue().orElse(null))
                        .submittedAt(row.submittedAt())
                        .updatedAt(at)
                        .idempotencyKey(row.importKey())
                        .timelineLength(row.moves().size())
                        .build());
            }
            refs.throwIfAny();
            w.store().referrals().insertAll(referrals);
            w.store().timelines().appendAll(entries);
            return List.copyOf(referrals);
        });
    }
}
