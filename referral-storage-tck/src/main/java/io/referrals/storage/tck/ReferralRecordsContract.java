package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.advocate;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.noted;
import static io.referrals.storage.tck.Fixtures.program;
import static io.referrals.storage.tck.Fixtures.referral;
import static io.referrals.storage.tck.Fixtures.referralBuilder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.CaptureReceipt;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords.Consumption;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralRecords;
import io.referrals.core.storage.ScreeningReads;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link ReferralRecords}. Part of {@link ReferralStoreContract}. */
public abstract class ReferralRecordsContract extends CodeRecordsContract {

    ReferralRecordsContract() {
    }

    @Nested
    @DisplayName("Referrals (ReferralRecords)")
    class Referrals {

        @Test
        @DisplayName("lookups of an unknown id or idempotency key are empty, and a query of an empty store finds "
                + "nothing")
        void unknown() {
            tx(t -> {
                assertThat(t.referrals().get(ReferralId.of("x"))).isEmpty();
                assertThat(t.referrals().byIdempotencyKey("x")).isEmpty();
                assertThat(t.referrals().find(ReferralQuery.builder().build())).isEmpty();
                assertThat(t.referrals().byProspectKeys(Set.of("a1ce"), 10)).isEmpty();
                return null;
            });
        }

        @Test
        @DisplayName("insert of a known id, with another idempotency key, throws DuplicateKeyException REFERRAL_ID "
                + "and writes nothing")
        void referralId() {
            Referral r = seedReferral();
            assertDuplicate(store, UniqueKey.REFERRAL_ID,
                    t -> t.referrals().insert(referral(r.id().value(), r.programId(), r.advocateId(), "key-2")));
            assertThat(tx((StoreTransaction t) -> t.referrals().get(r.id()))).contains(r);
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("key-2"))).isEmpty();
        }

        @Test
        @DisplayName("insert with another referral's non-empty idempotency key throws DuplicateKeyException "
                + "IDEMPOTENCY_KEY and writes nothing")
        void idempotencyKey() {
            Referral r = seedReferral();
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY,
                    t -> t.referrals().insert(referral("ref-2", r.programId(), r.advocateId(), "key-1")));
            assertThat(tx((StoreTransaction t) -> t.referrals().get(ReferralId.of("ref-2")))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("key-1"))).contains(r);
        }

        @Test
        @DisplayName("referrals without an idempotency key never collide, and keys differing in case are different")
        void emptyAndCaseDistinctKeys() {
            Referral r = seedReferral();
            Referral none1 = referral("ref-2", r.programId(), r.advocateId(), "");
            Referral none2 = referral("ref-3", r.programId(), r.advocateId(), "");
            Referral upper = referral("ref-4", r.programId(), r.advocateId(), "KEY-1");
            write(t -> {
                t.referrals().insert(none1);
                t.referrals().insert(none2);
                t.referrals().insert(upper);
            });
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("KEY-1"))).contains(upper);
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("key-1"))).contains(r);
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey(""))).isEmpty();
        }

        @Test
        @DisplayName("update writes only the version after the stored one, also as seen through the idempotency "
                + "key; otherwise false and nothing written")
        void conditionalUpdate() {
            Referral r = referral("ref-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "key-1");
            assertVersioned(r, x -> noted(x, "note v" + (x.version() + 1)), (t, x) -> t.referrals().insert(x),
                    (t, x) -> t.referrals().update(x), (t, x) -> t.referrals().get(x.id()));
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("key-1"))).map(Referral::version)
                    .contains(3L);
        }

        @Test
        @DisplayName("a referral's capture receipt reads back as written through every lookup and survives updates; "
                + "a referral written without one reads back without one")
        void captureReceipt() {
            Reason duplicate = Reason.of("duplicate_prospect", "Someone else referred this person already.");
            Reason selfReferral = Reason.of("self_referral", "You cannot refer yourself.");
            Referral flagged = referralBuilder("ref-flagged", ProgramId.of("prog-1"), AdvocateId.of("adv-1"))
                    .idempotencyKey("key-flagged").review(ReviewStatus.FLAGGED).findings(List.of(duplicate))
                    .prospectEmailKey("e1e1").captured(new CaptureReceipt(false, Stage.SUBMITTED, false,
                            ReviewStatus.FLAGGED, List.of(duplicate))).build();
            Referral rejected = referralBuilder("ref-rejected", ProgramId.of("prog-1"), AdvocateId.of("adv-1"))
                    .idempotencyKey("key-rejected").stage(Stage.REJECTED).outcome(Outcome.REJECTED).timelineLength(1)
                    .review(ReviewStatus.DENIED).findings(List.of(selfReferral)).captured(new CaptureReceipt(true,
                            Stage.REJECTED, true, ReviewStatus.DENIED, List.of(selfReferral))).build();
            Referral bare = referral("ref-bare", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "key-bare");
            write(t -> {
                t.referrals().insert(flagged);
                t.referrals().insertAll(List.of(rejected, bare));
            });
            for (Referral r : List.of(flagged, rejected, bare)) {
                assertThat(tx((StoreTransaction t) -> t.referrals().get(r.id()))).contains(r);
                assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey(r.idempotencyKey())))
                        .contains(r);
            }
            assertThat(tx((StoreTransaction t) -> t.referrals().find(ReferralQuery.builder().build())))
                    .containsExactly(bare, flagged, rejected);
            assertThat(tx((StoreTransaction t) -> t.referrals().byProspectKeys(Set.of("e1e1"), 10)))
                    .containsExactly(flagged);
            assertThat(tx((StoreTransaction t) -> t.referrals().get(bare.id()))).get()
                    .satisfies(r -> assertThat(r.captured()).isEmpty());

            Referral denied = flagged.toBuilder().review(ReviewStatus.DENIED).stage(Stage.REJECTED)
                    .outcome(Outcome.REJECTED).timelineLength(1).version(2).updatedAt(at(5)).build();
            assertThat(tx((StoreTransaction t) -> t.referrals().update(denied))).isTrue();
            Referral read = tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("key-flagged")).orElseThrow();
            assertThat(read).isEqualTo(denied);
            assertThat(read.captured()).isEqualTo(flagged.captured());
            assertThat(read.asCaptured()).contains(flagged);
        }

        @Test
        @DisplayName("update of an unknown referral returns false and creates nothing")
        void unknownIsNotCreated() {
            Referral r = noted(referral("ref-1", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "key-1"), "x");
            assertThat(tx((StoreTransaction t) -> t.referrals().update(r))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.referrals().get(r.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("key-1"))).isEmpty();
        }

        @Test
        @DisplayName("insertAll stores every referral of the list, each equal to the one written and found by its "
                + "idempotency key")
        void insertAll() {
            Referral seeded = seedReferral();
            List<Referral> batch = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                batch.add(referralBuilder(String.format("ref-b%02d", i), seeded.programId(), seeded.advocateId())
                        .idempotencyKey(i % 3 == 0 ? "" : "batch-" + i).submittedAt(at(i)).updatedAt(at(i)).build());
            }
            write(t -> t.referrals().insertAll(batch));
            for (Referral r : batch) {
                assertThat(tx((StoreTransaction t) -> t.referrals().get(r.id()))).contains(r);
                if (!r.idempotencyKey().isEmpty()) {
                    assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey(r.idempotencyKey())))
                            .contains(r);
                }
            }
            assertThat(tx((StoreTransaction t) -> t.referrals().find(ReferralQuery.builder().build()))).hasSize(26);
            write(t -> t.referrals().insertAll(List.of()));
            assertThat(tx((StoreTransaction t) -> t.referrals().find(ReferralQuery.builder().build()))).hasSize(26);
        }

        @Test
        @DisplayName("insertAll with a clash, with a stored referral or within the list, throws "
                + "DuplicateKeyException naming the key, and none of the list stays")
        void insertAllClash() {
            Referral seeded = seedReferral();
            Referral fresh = referral("ref-2", seeded.programId(), seeded.advocateId(), "key-2");
            Referral stored = referral("ref-3", seeded.programId(), seeded.advocateId(), "key-1");
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> t.referrals().insertAll(List.of(fresh, stored)));
            Referral sameId = referral("ref-2", seeded.programId(), seeded.advocateId(), "key-4");
            assertDuplicate(store, UniqueKey.REFERRAL_ID, t -> t.referrals().insertAll(List.of(fresh, sameId)));
            Referral sameKey = referral("ref-5", seeded.programId(), seeded.advocateId(), "key-2");
            assertDuplicate(store, UniqueKey.IDEMPOTENCY_KEY, t -> t.referrals().insertAll(List.of(fresh, sameKey)));
            assertThat(tx((StoreTransaction t) -> t.referrals().find(ReferralQuery.builder().build())))
                    .containsExactly(seeded);
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("key-2"))).isEmpty();
        }

        @Test
        @DisplayName("round trip: a full prospect with attributes, every channel, consent basis, seniority and "
                + "review")
        void roundTrip() {
            List<Referral> all = new ArrayList<>();
            int i = 0;
            for (Channel ch : Channel.values()) {
                for (ConsentBasis consent : ConsentBasis.values()) {
                    i++;
                    Seniority seniority = Seniority.values()[i % Seniority.values().length];
                    ReviewStatus review = ReviewStatus.values()[i % ReviewStatus.values().length];
                    Prospect p = new Prospect("Name " + i, "p" + i + "@example.com", "Company " + i, "",
                            "", seniority, "", "", i % 2 == 0 ? Map.of() : Map.of("i", Integer.toString(i)));
                    all.add(referralBuilder(String.format("ref-%03d", i), ProgramId.of("prog-1"),
                            AdvocateId.of("adv-1")).prospect(p).channel(ch).consent(consent).review(review)
                            .salesRep(ch == Channel.SALES_REP ? "rep-1" : "").code(i % 3 == 0 ? "" : "JANE-ACME")
                            .note(i % 2 == 0 ? "" : "x".repeat(2000)).idempotencyKey(i % 2 == 0 ? "" : "k" + i)
                            .fingerprint(i % 5 == 0 ? "" : "f" + i).build());
                }
            }
            Referral full = referral("ref-full", ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "key-full");
            write(t -> {
                all.forEach(t.referrals()::insert);
                t.referrals().insert(full);
            });
            for (Referral r : all) {
                assertThat(tx((StoreTransaction t) -> t.referrals().get(r.id()))).contains(r);
            }
            Referral back = tx(t -> t.referrals().get(full.id())).orElseThrow();
            assertThat(back).isEqualTo(full);
            assertThat(back.prospect()).isEqualTo(full.prospect());
            assertThat(back.prospect().attributes()).isEqualTo(full.prospect().attributes());
            assertThat(back.outcome()).isEmpty();
            assertThat(back.dealValue()).isEmpty();
        }

        @Test
        @DisplayName("round trip: an outcome and a deal value, in currencies with 0, 2 and 3 decimals")
        void outcomeAndMoney() {
            List<Money> amounts = List.of(Money.of("125000.50", "EUR"), Money.of("1000", "JPY"),
                    Money.of("0.125", "BHD"), Money.of("99999999999.99", "USD"), Money.of("0.01", "CHF"),
                    Money.of("42", "EUR"), Money.of("-15.30", "GBP"));
            List<Referral> all = new ArrayList<>();
            Outcome[] outcomes = Outcome.values();
            for (int i = 0; i < amounts.size(); i++) {
                Outcome o = outcomes[i % outcomes.length];
                all.add(referralBuilder("ref-" + i, ProgramId.of("prog-1"), AdvocateId.of("adv-1"))
                        .stage(Stage.of(o.name().toLowerCase(Locale.ROOT))).outcome(o)
                        .dealValue(amounts.get(i)).timelineLength(i + 1).version(i + 2).updatedAt(at(i)).build());
            }
            write(t -> all.forEach(t.referrals()::insert));
            for (Referral r : all) {
                Referral back = tx(t -> t.referrals().get(r.id())).orElseThrow();
                assertThat(back).isEqualTo(r);
                assertThat(back.dealValue()).isEqualTo(r.dealValue());
                assertThat(back.outcome()).isEqualTo(r.outcome());
                assertThat(back.dealValue().orElseThrow().currency())
                        .isEqualTo(r.dealValue().orElseThrow().currency());
            }
        }
    }

    @Nested
    @DisplayName("Referral queries (ReferralRecords.find)")
    class ReferralQueries {
        private final ProgramId p1 = ProgramId.of("prog-1");
        private final ProgramId p2 = ProgramId.of("prog-2");
        private final AdvocateId a1 = AdvocateId.of("adv-1");
        private final AdvocateId a2 = AdvocateId.of("adv-2");

        private List<Referral> seed() {
            List<Referral> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                all.add(referralBuilder(String.format("ref-%02d", 11 - i), i % 2 == 0 ? p1 : p2, i % 3 == 0 ? a1 : a2)
                        .stage(i % 4 == 0 ? Stage.CONTACTED : Stage.SUBMITTED).build());
            }
            write(t -> all.forEach(t.referrals()::insert));
            all.sort(Comparator.comparing(r -> r.id().value()));
            return all;
        }

        private List<String> ids(ReferralQuery q) {
            return tx(t -> t.referrals().find(q)).stream().map(r -> r.id().value()).toList();
        }

        private static List<String> idsOf(List<Referral> rs) {
            return rs.stream().map(r -> r.id().value()).toList();
        }

        @Test
        @DisplayName("without filters, every referral ordered by id")
        void everything() {
            List<Referral> all = seed();
            assertThat(tx((StoreTransaction t) -> t.referrals().find(ReferralQuery.builder().build())))
                    .containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("filters by program, advocate and stage, alone and combined")
        void filters() {
            List<Referral> all = seed();
            assertThat(ids(ReferralQuery.builder().program(p1).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.programId().equals(p1)).toList()));
            assertThat(ids(ReferralQuery.builder().advocate(a1).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.advocateId().equals(a1)).toList()));
            assertThat(ids(ReferralQuery.builder().stage(Stage.CONTACTED).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.stage().equals(Stage.CONTACTED)).toList()));
            assertThat(ids(ReferralQuery.builder().program(p1).advocate(a1).stage(Stage.CONTACTED).build()))
                    .isEqualTo(idsOf(all.stream().filter(r -> r.programId().equals(p1) && r.advocateId().equals(a1)
                            && r.stage().equals(Stage.CONTACTED)).toList()))
                    .isNotEmpty();
            assertThat(ids(ReferralQuery.builder().program(ProgramId.of("prog-none")).build())).isEmpty();
        }

        @Test
        @DisplayName("filters by review status, alone and with the program, and follows updates of it")
        void reviewFilter() {
            List<Referral> all = new ArrayList<>();
            ReviewStatus[] statuses = ReviewStatus.values();
            for (int i = 0; i < 12; i++) {
                all.add(referralBuilder(String.format("ref-%02d", i), i % 2 == 0 ? p1 : p2, a1)
                        .review(statuses[i % statuses.length]).build());
            }
            write(t -> all.forEach(t.referrals()::insert));
            for (ReviewStatus status : statuses) {
                assertThat(ids(ReferralQuery.builder().review(status).build())).as("%s", status)
                        .isEqualTo(idsOf(all.stream().filter(r -> r.review() == status).toList()))
                        .isNotEmpty();
            }
            assertThat(ids(ReferralQuery.builder().review(ReviewStatus.FLAGGED).program(p2).build()))
                    .isEqualTo(idsOf(all.stream()
                            .filter(r -> r.review() == ReviewStatus.FLAGGED && r.programId().equals(p2)).toList()))
                    .isNotEmpty();
            Referral flagged = all.get(1);
            assertThat(flagged.review()).isEqualTo(ReviewStatus.FLAGGED);
            Referral approved = flagged.toBuilder().review(ReviewStatus.APPROVED).version(flagged.version() + 1)
                    .build();
            write(t -> assertThat(t.referrals().update(approved)).isTrue());
            assertThat(ids(ReferralQuery.builder().review(ReviewStatus.FLAGGED).build()))
                    .doesNotContain(flagged.id().value());
            assertThat(ids(ReferralQuery.builder().review(ReviewStatus.APPROVED).build()))
                    .contains(flagged.id().value());
        }

        @Test
        @DisplayName("pages follow the id cursor: no referral is skipped or repeated, filters apply to every page")
        void paging() {
            List<Referral> all = seed();
            for (ReferralQuery.Builder base : List.of(ReferralQuery.builder(), ReferralQuery.builder().program(p2))) {
                List<String> expected = idsOf(tx((StoreTransaction t) -> t.referrals()
                        .find(base.limit(10_000).build())));
                List<String> seen = new ArrayList<>();
                Optional<ReferralId> cursor = Optional.empty();
                for (int page = 0; page < 20; page++) {
                    ReferralQuery.Builder b = ReferralQuery.builder().limit(5);
                    if (base.build().programId().isPresent()) {
                        b.program(p2);
                    }
                    cursor.ifPresent(b::after);
                    List<Referral> got = tx(t -> t.referrals().find(b.build()));
                    assertThat(got.size()).isLessThanOrEqualTo(5);
                    if (got.isEmpty()) {
                        break;
                    }
                    got.forEach(r -> seen.add(r.id().value()));
                    cursor = Optional.of(got.get(got.size() - 1).id());
                }
                assertThat(seen).isEqualTo(expected);
            }
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("ref-05")).limit(3).build()))
                    .containsExactly("ref-06", "ref-07", "ref-08");
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("ref-055")).limit(2).build()))
                    .as("a cursor that is not a stored id").containsExactly("ref-06", "ref-07");
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("ref-11")).build())).isEmpty();
            assertThat(ids(ReferralQuery.builder().limit(1).build())).containsExactly(all.get(0).id().value());
        }

        @Test
        @DisplayName("ids order by String.compareTo: upper case before lower case, digits before letters")
        void binaryIdOrder() {
            List<String> ids = List.of("b-1", "B-2", "a-9", "R-1", "9-z", "r-0", "A-0");
            write(t -> ids.forEach(id -> t.referrals().insert(referralBuilder(id, p1, a1).build())));
            List<String> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);
            assertThat(ids(ReferralQuery.builder().build())).isEqualTo(sorted);
            assertThat(ids(ReferralQuery.builder().after(ReferralId.of("R-1")).build()))
                    .isEqualTo(sorted.subList(sorted.indexOf("R-1") + 1, sorted.size()));
        }
    }

    @Nested
    @DisplayName("Referrals by prospect keys (ReferralRecords.byProspectKeys)")
    class ProspectKeys {

        private static final String ALICE = "a1ce";
        private static final String ACME = "ac3e";
        private static final String BOB = "b0b0";

        /** Stores referrals of one advocate in two programs, with their email and domain keys. */
        private void seed() {
            Program p1 = program("prog-1");
            Program p2 = program("prog-2");
            Advocate a = advocate("adv-1", "ext-1");
            write(t -> {
                t.programs().insert(p1);
                t.programs().insert(p2);
                t.advocates().insert(a);
                t.advocates().insertEnrolment(new Enrolment(a.id(), p1.id(), T0));
                t.advocates().insertEnrolment(new Enrolment(a.id(), p2.id(), T0));
                t.referrals().insert(keyed("ref-alice-late", p1, a, ALICE, ACME, 30));
                t.referrals().insert(keyed("ref-acme-colleague", p2, a, "c0c0", ACME, 10));
                t.referrals().insert(keyed("ref-alice-b", p2, a, ALICE, "", 20));
                t.referrals().insert(keyed("ref-alice-a", p1, a, ALICE, "", 20));
                t.referrals().insert(keyed("ref-bob", p1, a, BOB, "", 5));
                t.referrals().insert(keyed("ref-other", p1, a, "d0d0", "e0e0", 1));
                t.referrals().insert(keyed("ref-erased", p1, a, "", "", 0));
            });
        }

        private Referral keyed(String id, Program p, Advocate a, String emailKey, String domainKey, long minute) {
            return referralBuilder(id, p.id(), a.id()).idempotencyKey("key-" + id).prospectEmailKey(emailKey)
                    .prospectDomainKey(domainKey).submittedAt(at(minute)).updatedAt(at(minute)).build();
        }

        private List<String> ids(Set<String> keys, int limit) {
            return tx((StoreTransaction t) -> t.referrals().byProspectKeys(keys, limit)).stream()
                    .map(r -> r.id().value()).toList();
        }

        @Test
        @DisplayName("one key matches the email key or the domain key, in any program, newest first")
        void oneKeyMatchesEitherColumn() {
            seed();
            assertThat(ids(Set.of(ACME), 100)).containsExactly("ref-alice-late", "ref-acme-colleague");
            assertThat(ids(Set.of(ALICE), 100)).containsExactly("ref-alice-late", "ref-alice-b", "ref-alice-a");
        }

        @Test
        @DisplayName("several keys return every referral matching any of them once, in one ordering")
        void severalKeysMergeWithoutDuplicates() {
            seed();
            assertThat(ids(Set.of(ALICE, ACME, BOB), 100)).containsExactly("ref-alice-late", "ref-alice-b",
                    "ref-alice-a", "ref-acme-colleague", "ref-bob");
        }

        @Test
        @DisplayName("the limit counts the referrals of all keys together and keeps the newest")
        void limitIsTotal() {
            seed();
            assertThat(ids(Set.of(ALICE, ACME, BOB), 3)).containsExactly("ref-alice-late", "ref-alice-b",
                    "ref-alice-a");
            assertThat(ids(Set.of(ALICE, BOB), 1)).containsExactly("ref-alice-late");
        }

        @Test
        @DisplayName("a referral whose keys change is found by its new keys only; rolled-back writes change nothing")
        void keysFollowUpdatesAndRollbacks() {
            seed();
            Referral bob = tx((StoreTransaction t) -> t.referrals().get(ReferralId.of("ref-bob"))).orElseThrow();
            Referral moved = bob.toBuilder().prospectEmailKey("f0f0").version(bob.version() + 1).build();
            write(t -> assertThat(t.referrals().update(moved)).isTrue());
            assertThat(ids(Set.of(BOB), 100)).isEmpty();
            assertThat(ids(Set.of("f0f0"), 100)).containsExactly("ref-bob");

            Program p1 = program("prog-1");
            Advocate a = advocate("adv-1", "ext-1");
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.referrals().insert(keyed("ref-bob-again", p1, a, BOB, ACME, 40));
                t.referrals().update(moved.toBuilder().prospectEmailKey(BOB).version(moved.version() + 1).build());
                assertThat(t.referrals().byProspectKeys(Set.of(BOB), 100)).hasSize(2);
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(ids(Set.of(BOB), 100)).isEmpty();
            assertThat(ids(Set.of("f0f0"), 100)).containsExactly("ref-bob");
            assertThat(ids(Set.of(ACME), 100)).containsExactly("ref-alice-late", "ref-acme-colleague");
        }

        @Test
        @DisplayName("screeningReads gives what tryConsumeEach and then byProspectKeys give, and finds what the"
                + " transaction wrote before it")
        void screeningReads() {
            seed();
            Program p1 = program("prog-1");
            Advocate a = advocate("adv-1", "ext-1");
            CounterKey lock = CounterKey.of("prospect-lock", BOB);
            CounterKey velocity = CounterKey.of("velocity", "adv-1");
            CounterKey tight = CounterKey.of("velocity", "code");
            List<Consumption> each = List.of(new Consumption(lock, 1, Long.MAX_VALUE), new Consumption(velocity, 2, 3),
                    new Consumption(tight, 5, 4));
            ScreeningReads first = tx((StoreTransaction t) -> {
                t.referrals().insert(keyed("ref-bob-new", p1, a, BOB, "", 50));
                return t.screeningReads(each, Set.of(BOB, ACME), 100);
            });
            assertThat(first.applied()).containsExactly(true, true, false);
            assertThat(first.matches()).extracting(r -> r.id().value())
                    .containsExactly("ref-bob-new", "ref-alice-late", "ref-acme-colleague", "ref-bob");
            ScreeningReads second = tx((StoreTransaction t) -> t.screeningReads(each, Set.of(BOB, ACME), 2));
            assertThat(second.applied()).as("the velocity counter holds 2 of 3").containsExactly(true, false, false);
            assertThat(second.matches()).extracting(r -> r.id().value())
                    .containsExactly("ref-bob-new", "ref-alice-late");
            assertThat(tx((StoreTransaction t) -> List.of(t.counters().value(lock), t.counters().value(velocity),
                    t.counters().value(tight)))).containsExactly(2L, 2L, 0L);

            ScreeningReads twice = tx((StoreTransaction t) -> t.screeningReads(List.of(
                    new Consumption(CounterKey.of("once", "x"), 1, 1), new Consumption(CounterKey.of("once", "x"), 1, 1)),
                    Set.of("", "f0f0"), 1));
            assertThat(twice.applied()).as("a key named twice: successive consumptions").containsExactly(true, false);
            assertThat(twice.matches()).isEmpty();
            ScreeningReads nothing = tx((StoreTransaction t) -> t.screeningReads(List.of(), Set.of(), 1));
            assertThat(nothing.applied()).isEmpty();
            assertThat(nothing.matches()).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.screeningReads(List.of(), Set.of(BOB), 10).matches()))
                    .extracting(r -> r.id().value()).containsExactly("ref-bob-new", "ref-bob");
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.screeningReads(List.of(), Set.of(BOB), 0)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("empty keys match nothing, not even referrals whose keys were erased; unknown keys match nothing")
        void emptyKeysMatchNothing() {
            seed();
            assertThat(ids(Set.of(), 100)).isEmpty();
            assertThat(ids(Set.of(""), 100)).isEmpty();
            assertThat(ids(Set.of("", BOB), 100)).containsExactly("ref-bob");
            assertThat(ids(Set.of("f0f0", "f1f1"), 100)).isEmpty();
        }

        @Test
        @DisplayName("a limit below 1 or more keys than the most accepted is a programmer error")
        void rejectsBadArguments() {
            Set<String> tooMany = new HashSet<>();
            for (int i = 0; i <= ReferralRecords.MAX_PROSPECT_KEYS; i++) {
                tooMany.add("k" + i);
            }
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.referrals().byProspectKeys(Set.of(ALICE), 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.referrals().byProspectKeys(tooMany, 10)))
                    .isInstanceOf(IllegalArgumentException.class);
            Set<String> most = new HashSet<>(tooMany);
            most.remove("k0");
            assertThat(ids(most, 10)).isEmpty();
        }
    }

    @Nested
    @DisplayName("An advocate's referrals, newest first (ReferralRecords.ofAdvocate after a Before cursor)")
    class ReferralsOfAdvocate {
        private NewestFirstPages<Referral> pages() {
            return new NewestFirstPages<>(store, (t, a, b, n) -> t.referrals().ofAdvocate(a, b, n),
                    (t, r) -> t.referrals().insert(r),
                    (a, id, at) -> referralBuilder(id, ProgramId.of("prog-1"), a).submittedAt(at).updatedAt(at).build(),
                    Referral::submittedAt, r -> r.id().value());
        }

        @Test
        @DisplayName("the first page holds the advocate's referrals newest first, ties on time broken by id descending "
                + "(String.compareTo, case-sensitive), and never another advocate's")
        void newestFirst() {
            pages().newestFirst();
        }

        @Test
        @DisplayName("a page after a cursor holds only referrals strictly older than it, at most the limit")
        void cursorExcludes() {
            pages().cursorExcludes();
        }

        @Test
        @DisplayName("pages walked from the first to the end hold every one of the advocate's referrals exactly once, "
                + "whatever the page size")
        void walkToTheEnd() {
            pages().walk();
        }

        @Test
        @DisplayName("referrals written earlier in the reading transaction are on the page")
        void sameTransaction() {
            pages().sameTransaction();
        }

        @Test
        @DisplayName("a limit outside 1 to MAX_PAGE throws IllegalArgumentException; 1 and MAX_PAGE are accepted")
        void limits() {
            pages().limits();
        }
    }
}
