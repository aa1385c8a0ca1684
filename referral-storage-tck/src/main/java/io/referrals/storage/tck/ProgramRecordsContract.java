package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.customProgram;
import static io.referrals.storage.tck.Fixtures.program;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Schedule;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.storage.ProgramRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link ProgramRecords}. Part of {@link ReferralStoreContract}. */
public abstract class ProgramRecordsContract extends TransactionContract {

    ProgramRecordsContract() {
    }

    @Nested
    @DisplayName("Programs (ProgramRecords)")
    class Programs {

        @Test
        @DisplayName("get of an unknown id is empty, and all() of an empty store is an empty list")
        void unknown() {
            tx(t -> {
                assertThat(t.programs().get(ProgramId.of("x"))).isEmpty();
                assertThat(t.programs().all()).isEmpty();
                return null;
            });
        }

        @Test
        @DisplayName("insert of a known id throws DuplicateKeyException PROGRAM_ID and writes nothing")
        void programId() {
            Program p = program("prog-1");
            write(t -> t.programs().insert(p));
            assertDuplicate(store, UniqueKey.PROGRAM_ID, t -> t.programs().insert(customProgram("prog-1")));
            assertThat(tx((StoreTransaction t) -> t.programs().all())).containsExactly(p);
        }

        @Test
        @DisplayName("update writes only the version after the stored one; otherwise false and nothing written")
        void conditionalUpdate() {
            assertVersioned(program("prog-1"), p -> p.withStatus(p.status() == ProgramStatus.ACTIVE
                            ? ProgramStatus.PAUSED : ProgramStatus.ACTIVE).nextVersion(),
                    (t, p) -> t.programs().insert(p), (t, p) -> t.programs().update(p),
                    (t, p) -> t.programs().get(p.id()));
        }

        @Test
        @DisplayName("update of an unknown program returns false and creates nothing")
        void unknownIsNotCreated() {
            Program p = program("prog-1").nextVersion();
            assertThat(tx((StoreTransaction t) -> t.programs().update(p))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.programs().get(p.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.programs().all())).isEmpty();
        }

        @Test
        @DisplayName("round trip: the default pipeline and CRM mapping, open schedule ends, every kind and status")
        void defaultPrograms() {
            List<Program> all = new ArrayList<>();
            int i = 0;
            for (ProgramKind kind : ProgramKind.values()) {
                for (ProgramStatus status : ProgramStatus.values()) {
                    i++;
                    Schedule schedule = switch (i % 4) {
                        case 0 -> Schedule.ALWAYS;
                        case 1 -> Schedule.from(at(i));
                        case 2 -> Schedule.until(at(i));
                        default -> Schedule.between(at(-i), at(i));
                    };
                    all.add(Program.builder(ProgramId.of(String.format("prog-%02d", i)), "Program " + i, kind)
                            .status(status).schedule(schedule).build());
                }
            }
            write(t -> all.forEach(t.programs()::insert));
            assertThat(tx((StoreTransaction t) -> t.programs().all())).containsExactlyElementsOf(all);
            for (Program p : all) {
                Program back = tx(t -> t.programs().get(p.id())).orElseThrow();
                assertThat(back).isEqualTo(p);
                assertThat(back.schedule().start()).isEqualTo(p.schedule().start());
                assertThat(back.schedule().end()).isEqualTo(p.schedule().end());
                assertThat(back.crmMapping().resolve("Closed Won")).contains(Stage.WON);
            }
        }

        @Test
        @DisplayName("round trip: a custom pipeline with loops, several terminal outcomes and its own CRM mapping")
        void customProgramRoundTrip() {
            Program p = customProgram("prog-custom");
            StagePipeline linear = StagePipeline.builder().stage("a").terminal("z", Outcome.REJECTED)
                    .transition("a", "z").build();
            Program q = Program.builder(ProgramId.of("prog-linear"), "Linear", ProgramKind.AMBASSADOR)
                    .pipeline(linear).crmMapping(CrmStageMapping.none()).build();
            write(t -> {
                t.programs().insert(p);
                t.programs().insert(q);
            });
            Program back = tx(t -> t.programs().get(p.id())).orElseThrow();
            assertThat(back).isEqualTo(p);
            assertThat(back.pipeline().stages()).isEqualTo(p.pipeline().stages());
            assertThat(back.pipeline().initial()).isEqualTo(Stage.of("fresh"));
            assertThat(back.pipeline().allows(Stage.of("waiting"), Stage.of("working"))).isTrue();
            assertThat(back.pipeline().outcome(Stage.of("dropped"))).contains(Outcome.LOST);
            assertThat(back.crmMapping().resolve("on-hold")).contains(Stage.of("waiting"));
            assertThat(back.schedule()).isEqualTo(p.schedule());
            assertThat(tx((StoreTransaction t) -> t.programs().get(q.id()))).contains(q);
            Program changed = p.withStatus(ProgramStatus.ENDED).nextVersion();
            assertThat(tx((StoreTransaction t) -> t.programs().update(changed))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.programs().get(p.id()))).contains(changed);
        }

        @Test
        @DisplayName("round trip: a pipeline's declared reopenings of lost stages, and a pipeline without any")
        void reopeningsRoundTrip() {
            Program reopenable = Program.builder(ProgramId.of("prog-reopen"), "Reopenable", ProgramKind.CUSTOMER)
                    .pipeline(Fixtures.reopenablePipeline()).crmMapping(CrmStageMapping.none()).build();
            Program plain = customProgram("prog-plain");
            write(t -> {
                t.programs().insert(reopenable);
                t.programs().insert(plain);
            });
            StagePipeline back = tx(t -> t.programs().get(reopenable.id())).orElseThrow().pipeline();
            assertThat(back).isEqualTo(reopenable.pipeline());
            assertThat(back.reopenTargets(Stage.of("dropped"))).containsExactly(Stage.of("working"),
                    Stage.of("waiting"));
            assertThat(back.reopens(Stage.of("dropped"), Stage.of("working"))).isTrue();
            assertThat(back.reopens(Stage.of("closed"), Stage.of("working"))).isFalse();
            assertThat(tx(t -> t.programs().get(plain.id())).orElseThrow().pipeline().reopenings()).isEmpty();
        }

        @Test
        @DisplayName("all() lists programs ordered by id")
        void programsById() {
            write(t -> List.of("prog-c", "prog-a", "prog-b").forEach(id -> t.programs().insert(program(id))));
            assertThat(tx((StoreTransaction t) -> t.programs().all())).extracting(p -> p.id().value())
                    .containsExactly("prog-a", "prog-b", "prog-c");
        }
    }
}
