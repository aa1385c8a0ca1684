package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.advocate;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.minimalAdvocate;
import static io.referrals.storage.tck.Fixtures.program;
import static io.referrals.storage.tck.Fixtures.renamed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.AdvocateRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link AdvocateRecords}. Part of {@link ReferralStoreContract}. */
public abstract class AdvocateRecordsContract extends ProgramRecordsContract {

    AdvocateRecordsContract() {
    }

    /** The next version of {@code a} with another external id. */
    private static Advocate withExternalId(Advocate a, String externalId) {
        return new Advocate(a.id(), externalId, a.displayName(), a.email(), a.kind(), a.accountId(),
                a.companyName(), a.companyDomain(), a.segments(), a.attributes(), a.optedOut(), a.registeredAt(),
                a.version() + 1);
    }

    @Nested
    @DisplayName("Advocates and enrolments (AdvocateRecords)")
    class Advocates {

        @Test
        @DisplayName("lookups of an unknown advocate, external id or enrolment are empty, and so are lists")
        void unknown() {
            tx(t -> {
                assertThat(t.advocates().get(AdvocateId.of("x"))).isEmpty();
                assertThat(t.advocates().byExternalId("x")).isEmpty();
                assertThat(t.advocates().enrolment(AdvocateId.of("x"), ProgramId.of("x"))).isEmpty();
                assertThat(t.advocates().enrolments(AdvocateId.of("x"))).isEmpty();
                assertThat(t.advocates().enrolmentsInProgram(ProgramId.of("x"), "", 10)).isEmpty();
                return null;
            });
        }

        @Test
        @DisplayName("insert of a known id, with another external id, throws DuplicateKeyException ADVOCATE_ID and "
                + "writes nothing")
        void advocateId() {
            Advocate a = advocate("adv-1", "ext-1");
            write(t -> t.advocates().insert(a));
            assertDuplicate(store, UniqueKey.ADVOCATE_ID,
                    t -> t.advocates().insert(minimalAdvocate("adv-1", "ext-2")));
            assertThat(tx((StoreTransaction t) -> t.advocates().get(a.id()))).contains(a);
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-2"))).isEmpty();
        }

        @Test
        @DisplayName("insert of a known external id throws DuplicateKeyException ADVOCATE_EXTERNAL_ID and writes "
                + "nothing")
        void advocateExternalId() {
            Advocate a = advocate("adv-1", "ext-1");
            write(t -> t.advocates().insert(a));
            assertDuplicate(store, UniqueKey.ADVOCATE_EXTERNAL_ID,
                    t -> t.advocates().insert(minimalAdvocate("adv-2", "ext-1")));
            assertThat(tx((StoreTransaction t) -> t.advocates().get(AdvocateId.of("adv-2")))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-1"))).contains(a);
        }

        @Test
        @DisplayName("external ids are exact: advocates whose external ids differ only in case are different")
        void externalIdsAreCaseSensitive() {
            Advocate lower = minimalAdvocate("adv-1", "jane.doe");
            Advocate upper = minimalAdvocate("adv-2", "JANE.DOE");
            write(t -> {
                t.advocates().insert(lower);
                t.advocates().insert(upper);
            });
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("jane.doe"))).contains(lower);
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("JANE.DOE"))).contains(upper);
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("Jane.Doe"))).isEmpty();
        }

        @Test
        @DisplayName("update writes only the version after the stored one; otherwise false and nothing written")
        void conditionalUpdate() {
            assertVersioned(advocate("adv-1", "ext-1"), a -> renamed(a, "Jane v" + (a.version() + 1)),
                    (t, a) -> t.advocates().insert(a), (t, a) -> t.advocates().update(a),
                    (t, a) -> t.advocates().get(a.id()));
        }

        @Test
        @DisplayName("update of an unknown advocate returns false and creates nothing")
        void unknownIsNotCreated() {
            Advocate a = renamed(advocate("adv-1", "ext-1"), "x");
            assertThat(tx((StoreTransaction t) -> t.advocates().update(a))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.advocates().get(a.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-1"))).isEmpty();
        }

        @Test
        @DisplayName("update may change the external id, which then finds the advocate and frees the old one; "
                + "another's external id throws DuplicateKeyException ADVOCATE_EXTERNAL_ID and writes nothing")
        void externalIdChanges() {
            Advocate a = advocate("adv-1", "ext-1");
            Advocate b = minimalAdvocate("adv-2", "ext-2");
            write(t -> {
                t.advocates().insert(a);
                t.advocates().insert(b);
            });
            Advocate moved = withExternalId(a, "ext-1-new");
            assertThat(tx((StoreTransaction t) -> t.advocates().update(moved))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-1-new"))).contains(moved);
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-1"))).isEmpty();
            Advocate reuse = minimalAdvocate("adv-3", "ext-1");
            write(t -> t.advocates().insert(reuse));
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-1"))).contains(reuse);

            assertDuplicate(store, UniqueKey.ADVOCATE_EXTERNAL_ID,
                    t -> t.advocates().update(withExternalId(b, "ext-1-new")));
            assertThat(tx((StoreTransaction t) -> t.advocates().get(b.id()))).contains(b);
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-2"))).contains(b);
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-1-new"))).contains(moved);
        }

        @Test
        @DisplayName("round trip: every field, unicode text, empty optional fields, every kind, opted out")
        void advocates() {
            Advocate full = advocate("adv-1", "ext-1");
            Advocate minimal = minimalAdvocate("adv-2", "ext-2");
            List<Advocate> kinds = new ArrayList<>();
            for (AdvocateKind kind : AdvocateKind.values()) {
                kinds.add(new Advocate(AdvocateId.of("adv-k-" + kind.ordinal()), "ext-k-" + kind.ordinal(), "K",
                        "k@example.com", kind, "", "", "", Set.of("s"), Map.of("k", ""), true, at(2), 7));
            }
            write(t -> {
                t.advocates().insert(full);
                t.advocates().insert(minimal);
                kinds.forEach(t.advocates()::insert);
            });
            assertThat(tx((StoreTransaction t) -> t.advocates().get(full.id()))).contains(full);
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-2"))).contains(minimal);
            for (Advocate a : kinds) {
                assertThat(tx((StoreTransaction t) -> t.advocates().get(a.id()))).contains(a);
            }
            Advocate out = full.optOut();
            assertThat(tx((StoreTransaction t) -> t.advocates().update(out))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.advocates().byExternalId("ext-1"))).contains(out);
        }

        @Test
        @DisplayName("insertEnrolment of an advocate already enrolled in the program throws DuplicateKeyException "
                + "ENROLMENT and writes nothing; other programs are fine")
        void enrolment() {
            Enrolment e = new Enrolment(AdvocateId.of("adv-1"), ProgramId.of("prog-1"), T0);
            write(t -> {
                t.programs().insert(program("prog-1"));
                t.programs().insert(program("prog-2"));
                t.advocates().insert(advocate("adv-1", "ext-1"));
                t.advocates().insertEnrolment(e);
            });
            assertDuplicate(store, UniqueKey.ENROLMENT,
                    t -> t.advocates().insertEnrolment(new Enrolment(e.advocateId(), e.programId(), at(5))));
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolments(e.advocateId()))).containsExactly(e);
            Enrolment other = new Enrolment(e.advocateId(), ProgramId.of("prog-2"), at(5));
            write(t -> t.advocates().insertEnrolment(other));
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolments(e.advocateId())))
                    .containsExactly(e, other);
        }

        @Test
        @DisplayName("round trip: an enrolment reads back equal, with its enrolment time")
        void enrolmentRoundTrip() {
            AdvocateId a = AdvocateId.of("adv-1");
            Enrolment e = new Enrolment(a, ProgramId.of("prog-1"), at(3).plusNanos(123_000));
            write(t -> t.advocates().insertEnrolment(e));
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolment(a, e.programId()))).contains(e);
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolment(a, ProgramId.of("prog-2")))).isEmpty();
        }

        @Test
        @DisplayName("enrolments lists an advocate's enrolments ordered by program id")
        void enrolmentsByProgram() {
            AdvocateId a = AdvocateId.of("adv-1");
            write(t -> {
                for (String p : List.of("prog-c", "prog-a", "prog-b")) {
                    t.advocates().insertEnrolment(new Enrolment(a, ProgramId.of(p), at(p.charAt(5))));
                }
                t.advocates().insertEnrolment(new Enrolment(AdvocateId.of("adv-2"), ProgramId.of("prog-a"), T0));
            });
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolments(a))).extracting(e -> e.programId().value())
                    .containsExactly("prog-a", "prog-b", "prog-c");
        }

        @Test
        @DisplayName("enrolmentsInProgram pages a program's enrolments by advocate id (String.compareTo) after the "
                + "cursor, at most the limit, none skipped or repeated, no other program's")
        void enrolmentsInProgram() {
            ProgramId p = ProgramId.of("prog-1");
            List<String> ids = List.of("adv-2", "adv-10", "Adv-3", "adv-1", "9-adv", "adv-b", "adv-A");
            List<Enrolment> mine = new ArrayList<>();
            write(t -> {
                for (int i = 0; i < ids.size(); i++) {
                    Enrolment e = new Enrolment(AdvocateId.of(ids.get(i)), p, at(10 - i));
                    mine.add(e);
                    t.advocates().insertEnrolment(e);
                    t.advocates().insertEnrolment(new Enrolment(AdvocateId.of(ids.get(i)), ProgramId.of("prog-2"),
                            at(i)));
                }
                t.advocates().insertEnrolment(new Enrolment(AdvocateId.of("adv-other"), ProgramId.of("prog-0"), T0));
            });
            mine.sort(Comparator.comparing(e -> e.advocateId().value()));
            List<String> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);

            List<Enrolment> seen = new ArrayList<>();
            String cursor = "";
            for (int page = 0; page < 10; page++) {
                String after = cursor;
                List<Enrolment> got = tx(t -> t.advocates().enrolmentsInProgram(p, after, 3));
                assertThat(got.size()).isLessThanOrEqualTo(3);
                if (got.isEmpty()) {
                    break;
                }
                seen.addAll(got);
                cursor = got.get(got.size() - 1).advocateId().value();
            }
            assertThat(seen).as("every enrolment once, equal to the one written").containsExactlyElementsOf(mine);
            assertThat(seen).extracting(e -> e.advocateId().value()).containsExactlyElementsOf(sorted);
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolmentsInProgram(p, "adv-0", 2)))
                    .as("a cursor that is not a stored id").extracting(e -> e.advocateId().value())
                    .containsExactly("adv-1", "adv-10");
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolmentsInProgram(p, "adv-b", 10))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.advocates().enrolmentsInProgram(p, "", 100))).hasSize(7);
        }

        @Test
        @DisplayName("enrolmentsInProgram with a limit below 1 throws IllegalArgumentException")
        void enrolmentsInProgramLimit() {
            assertThatThrownBy(() -> tx(t -> t.advocates().enrolmentsInProgram(ProgramId.of("prog-1"), "", 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tx(t -> t.advocates().enrolmentsInProgram(ProgramId.of("prog-1"), "", -1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
