package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.reward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.storage.RewardRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link RewardRecords}. Part of {@link ReferralStoreContract}. */
public abstract class RewardRecordsContract extends OutboxRecordsContract {

    RewardRecordsContract() {
    }

    private static List<String> ids(List<Reward> rewards) {
        return rewards.stream().map(r -> r.id().value()).toList();
    }

    @Nested
    @DisplayName("Rewards (RewardRecords)")
    class Rewards {
        private final ProgramId p = ProgramId.of("prog-1");
        private final AdvocateId a = AdvocateId.of("adv-1");

        private Reward points(String id, RewardSource source, String milestone, RewardStatus status,
                Instant createdAt, Instant holdUntil) {
            return reward(id, p, a, source, milestone, new Incentive.Points(10), status, createdAt, holdUntil);
        }

        @Test
        @DisplayName("lookups of an unknown id or dedupe key are empty, and so are the lists")
        void unknown() {
            tx(t -> {
                assertThat(t.rewards().get(RewardId.of("x"))).isEmpty();
                assertThat(t.rewards().byDedupeKey("x")).isEmpty();
                assertThat(t.rewards().ofReferral(ReferralId.of("x"))).isEmpty();
                assertThat(t.rewards().ofAdvocate(AdvocateId.of("x"))).isEmpty();
                assertThat(t.rewards().ofProgram(ProgramId.of("x"), "", 10)).isEmpty();
                assertThat(t.rewards().due(RewardStatus.PENDING, Instant.MAX, 10)).isEmpty();
                return null;
            });
        }

        @Test
        @DisplayName("insert of a known id throws DuplicateKeyException REWARD and writes nothing")
        void rewardId() {
            Reward rw = reward("rwd-1", p, a, ReferralId.of("ref-1"), "stage:won");
            write(t -> t.rewards().insert(rw));
            Reward sameId = reward("rwd-1", p, a, ReferralId.of("ref-1"), "stage:qualified");
            assertDuplicate(store, UniqueKey.REWARD, t -> t.rewards().insert(sameId));
            assertThat(tx((StoreTransaction t) -> t.rewards().get(rw.id()))).contains(rw);
            assertThat(tx((StoreTransaction t) -> t.rewards().byDedupeKey(sameId.dedupeKey()))).isEmpty();
        }

        @Test
        @DisplayName("insert of a known dedupe key throws DuplicateKeyException REWARD and writes nothing, which "
                + "makes rewards exactly-once")
        void rewardDedupeKey() {
            Reward rw = reward("rwd-1", p, a, ReferralId.of("ref-1"), "stage:won");
            write(t -> t.rewards().insert(rw));
            Reward again = reward("rwd-2", p, a, ReferralId.of("ref-1"), "stage:won");
            assertThat(again.dedupeKey()).isEqualTo(rw.dedupeKey());
            assertDuplicate(store, UniqueKey.REWARD, t -> t.rewards().insert(again));
            assertThat(tx((StoreTransaction t) -> t.rewards().get(again.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.rewards().ofAdvocate(rw.advocateId()))).containsExactly(rw);
        }

        @Test
        @DisplayName("update writes only the version after the stored one, also as seen through the dedupe key; "
                + "otherwise false and nothing written")
        void conditionalUpdate() {
            Reward rw = reward("rwd-1", p, a, ReferralId.of("ref-1"), "stage:won");
            assertVersioned(rw, x -> x.withStatus(x.status() == RewardStatus.PENDING ? RewardStatus.APPROVED
                            : RewardStatus.FULFILLED, x.updatedAt().plusSeconds(60)),
                    (t, x) -> t.rewards().insert(x), (t, x) -> t.rewards().update(x),
                    (t, x) -> t.rewards().get(x.id()));
            assertThat(tx((StoreTransaction t) -> t.rewards().byDedupeKey(rw.dedupeKey()))).map(Reward::status)
                    .contains(RewardStatus.FULFILLED);
        }

        @Test
        @DisplayName("update of an unknown reward returns false and creates nothing")
        void unknownIsNotCreated() {
            Reward rw = reward("rwd-1", p, a, ReferralId.of("ref-1"), "stage:won").withStatus(RewardStatus.APPROVED,
                    T0);
            assertThat(tx((StoreTransaction t) -> t.rewards().update(rw))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.rewards().get(rw.id()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.rewards().byDedupeKey(rw.dedupeKey()))).isEmpty();
        }

        @Test
        @DisplayName("round trip: every incentive kind, source kind, beneficiary and status, with explanations and a "
                + "next attempt apart from the holding period")
        void roundTrip() {
            List<Reward> all = new ArrayList<>();
            List<Incentive> incentives = Fixtures.everyIncentive();
            RewardSource.Kind[] sources = RewardSource.Kind.values();
            RewardStatus[] statuses = RewardStatus.values();
            for (int i = 0; i < incentives.size(); i++) {
                RewardSource source = new RewardSource(sources[i % sources.length], "src-" + i);
                Reward base = reward(String.format("rwd-%02d", i), p, a, source, "milestone:" + i,
                        incentives.get(i), statuses[i % statuses.length], at(i), at(i + 60));
                all.add(new Reward(base.id(), base.programId(), base.advocateId(),
                        i % 2 == 0 ? Beneficiary.ADVOCATE : Beneficiary.REFERRED_PARTY, base.source(), base.ruleId(),
                        base.ruleVersion(), base.milestone(), base.incentive(), base.status(), base.createdAt(),
                        base.holdUntil(), i % 2 == 0 ? base.holdUntil() : at(i + 90), base.updatedAt(),
                        i % 3 == 0 ? List.of() : base.explanation(), base.version()));
            }
            write(t -> all.forEach(t.rewards()::insert));
            for (Reward r : all) {
                assertThat(tx((StoreTransaction t) -> t.rewards().get(r.id()))).contains(r);
                assertThat(tx((StoreTransaction t) -> t.rewards().byDedupeKey(r.dedupeKey()))).contains(r);
            }
            assertThat(tx((StoreTransaction t) -> t.rewards().ofAdvocate(a))).containsExactlyElementsOf(all);
            assertThat(tx((StoreTransaction t) -> t.rewards().ofProgram(p, "", 100))).containsExactlyElementsOf(all);
        }

        @Test
        @DisplayName("byDedupeKey matches the dedupe key exactly")
        void byDedupeKey() {
            Reward rw = reward("rwd-1", p, a, ReferralId.of("ref-1"), "stage:won");
            write(t -> t.rewards().insert(rw));
            assertThat(tx((StoreTransaction t) -> t.rewards().byDedupeKey(rw.dedupeKey()))).contains(rw);
            assertThat(tx((StoreTransaction t) -> t.rewards().byDedupeKey(rw.dedupeKey() + "x"))).isEmpty();
        }

        @Test
        @DisplayName("ofReferral lists only rewards whose source is that referral, ofAdvocate only the advocate's; "
                + "both ordered by creation time, then id")
        void rewardsByCreation() {
            ReferralId r = ReferralId.of("ref-1");
            Reward late = points("rwd-a", RewardSource.referral(r), "m1", RewardStatus.PENDING, at(10), at(10));
            Reward earlyB = points("rwd-b", RewardSource.referral(r), "m2", RewardStatus.PENDING, at(1), at(1));
            Reward earlyA = points("rwd-aa", RewardSource.referral(r), "m3", RewardStatus.PENDING, at(1), at(1));
            Reward contest = points("rwd-c", new RewardSource(RewardSource.Kind.CONTEST, r.value()), "m4",
                    RewardStatus.PENDING, at(0), at(0));
            Reward otherAdvocate = reward("rwd-d", p, AdvocateId.of("adv-2"), RewardSource.referral(r), "m5",
                    new Incentive.Points(1), RewardStatus.PENDING, at(2), at(2));
            write(t -> List.of(late, earlyB, earlyA, contest, otherAdvocate).forEach(t.rewards()::insert));
            assertThat(tx((StoreTransaction t) -> t.rewards().ofReferral(r)))
                    .containsExactly(earlyA, earlyB, otherAdvocate, late);
            assertThat(tx((StoreTransaction t) -> t.rewards().ofAdvocate(a)))
                    .containsExactly(contest, earlyA, earlyB, late);
        }

        @Test
        @DisplayName("due: the status asked for, next attempt at or before the due time (inclusive), ordered by next "
                + "attempt then id, at most the limit; the holding period and creation time do not matter")
        void rewardsDue() {
            List<Reward> all = new ArrayList<>();
            int[] attempts = {30, 10, 20, 40, 10};
            int[] holds = {0, 50, 5, 0, 0};
            for (int i = 0; i < attempts.length; i++) {
                all.add(points("rwd-" + i, RewardSource.referral(ReferralId.of("ref-" + i)), "stage:won",
                        RewardStatus.PENDING, at(-i), at(holds[i])).toBuilder().nextAttemptAt(at(attempts[i]))
                        .build());
            }
            Reward approved = points("rwd-approved", RewardSource.referral(ReferralId.of("ref-x")), "m",
                    RewardStatus.APPROVED, T0, at(5));
            write(t -> {
                all.forEach(t.rewards()::insert);
                t.rewards().insert(approved);
            });
            assertThat(ids(tx(t -> t.rewards().due(RewardStatus.PENDING, at(30), 10))))
                    .containsExactly("rwd-1", "rwd-4", "rwd-2", "rwd-0");
            assertThat(ids(tx(t -> t.rewards().due(RewardStatus.PENDING, at(30), 2))))
                    .containsExactly("rwd-1", "rwd-4");
            assertThat(tx((StoreTransaction t) -> t.rewards().due(RewardStatus.PENDING, at(9), 10))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.rewards().due(RewardStatus.PENDING, at(30), 0))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.rewards().due(RewardStatus.APPROVED, at(30), 10)))
                    .containsExactly(approved);
            Reward approvedNow = all.get(1).withStatus(RewardStatus.APPROVED, at(11));
            write(t -> assertThat(t.rewards().update(approvedNow)).isTrue());
            assertThat(ids(tx(t -> t.rewards().due(RewardStatus.PENDING, at(10), 10)))).containsExactly("rwd-4");
            assertThat(tx((StoreTransaction t) -> t.rewards().due(RewardStatus.APPROVED, at(30), 10)))
                    .containsExactly(approved, approvedNow);
        }

        @Test
        @DisplayName("due: a reward whose next attempt an update moves later makes way for the others, and is due "
                + "again at its new time, as last written")
        void dueFollowsTheNextAttempt() {
            List<Reward> all = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(points("rwd-" + i, RewardSource.referral(ReferralId.of("ref-" + i)), "stage:won",
                        RewardStatus.PENDING, T0, at(i)));
            }
            write(t -> all.forEach(t.rewards()::insert));
            assertThat(ids(tx(t -> t.rewards().due(RewardStatus.PENDING, at(10), 2))))
                    .containsExactly("rwd-0", "rwd-1");

            List<Reward> putOff = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Reward x = all.get(i);
                putOff.add(new Reward(x.id(), x.programId(), x.advocateId(), x.beneficiary(), x.source(), x.ruleId(),
                        x.ruleVersion(), x.milestone(), x.incentive(), x.status(), x.createdAt(), x.holdUntil(),
                        at(60 - i), at(1), x.explanation(), x.version() + 1));
            }
            write(t -> putOff.forEach(x -> assertThat(t.rewards().update(x)).isTrue()));

            assertThat(ids(tx(t -> t.rewards().due(RewardStatus.PENDING, at(10), 2))))
                    .as("the rewards put off make way").containsExactly("rwd-2", "rwd-3");
            assertThat(ids(tx(t -> t.rewards().due(RewardStatus.PENDING, at(59), 10))))
                    .containsExactly("rwd-2", "rwd-3", "rwd-1");
            assertThat(tx((StoreTransaction t) -> t.rewards().due(RewardStatus.PENDING, at(60), 10)))
                    .containsExactly(all.get(2), all.get(3), putOff.get(1), putOff.get(0));
            assertThat(tx((StoreTransaction t) -> t.rewards().get(putOff.get(0).id()))).contains(putOff.get(0));
        }

        @Test
        @DisplayName("ofProgram pages a program's rewards of every source by id (String.compareTo) after the "
                + "cursor, at most the limit, none skipped or repeated, no other program's, as last written")
        void ofProgram() {
            List<String> idList = List.of("rwd-2", "rwd-10", "Rwd-3", "rwd-1", "9-rwd", "rwd-b", "rwd-A", "rwd-c");
            RewardSource.Kind[] kinds = RewardSource.Kind.values();
            List<Reward> mine = new ArrayList<>();
            for (int i = 0; i < idList.size(); i++) {
                mine.add(points(idList.get(i), new RewardSource(kinds[i % kinds.length], "src-" + i), "m" + i,
                        RewardStatus.PENDING, at(10 - i), at(10 - i)));
            }
            write(t -> {
                mine.forEach(t.rewards()::insert);
                t.rewards().insert(reward("rwd-other", ProgramId.of("prog-2"), a, ReferralId.of("ref-1"), "m-2"));
                t.rewards().insert(reward("rwd-0", ProgramId.of("prog-0"), a, ReferralId.of("ref-1"), "m-0"));
            });
            Reward approved = mine.get(0).withStatus(RewardStatus.APPROVED, at(20));
            write(t -> assertThat(t.rewards().update(approved)).isTrue());
            mine.set(0, approved);
            mine.sort((x, y) -> x.id().value().compareTo(y.id().value()));
            List<String> sorted = new ArrayList<>(idList);
            Collections.sort(sorted);

            List<Reward> seen = new ArrayList<>();
            String cursor = "";
            for (int page = 0; page < 10; page++) {
                String after = cursor;
                List<Reward> got = tx(t -> t.rewards().ofProgram(p, after, 3));
                assertThat(got.size()).isLessThanOrEqualTo(3);
                if (got.isEmpty()) {
                    break;
                }
                seen.addAll(got);
                cursor = got.get(got.size() - 1).id().value();
            }
            assertThat(seen).as("every reward once, as last written").containsExactlyElementsOf(mine);
            assertThat(ids(seen)).containsExactlyElementsOf(sorted);
            assertThat(ids(tx(t -> t.rewards().ofProgram(p, "rwd-0", 2)))).as("a cursor that is not a stored id")
                    .containsExactly("rwd-1", "rwd-10");
            assertThat(tx((StoreTransaction t) -> t.rewards().ofProgram(p, "rwd-c", 10))).isEmpty();
        }

        @Test
        @DisplayName("ofProgram with a limit below 1 throws IllegalArgumentException")
        void ofProgramLimit() {
            assertThatThrownBy(() -> tx(t -> t.rewards().ofProgram(p, "", 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tx(t -> t.rewards().ofProgram(p, "", -1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    @DisplayName("An advocate's rewards, newest first (RewardRecords.ofAdvocate after a Before cursor)")
    class RewardsOfAdvocate {
        private NewestFirstPages<Reward> pages() {
            return new NewestFirstPages<>(store, (t, a, b, n) -> t.rewards().ofAdvocate(a, b, n),
                    (t, r) -> t.rewards().insert(r),
                    (a, id, at) -> reward(id, ProgramId.of("prog-1"), a,
                            RewardSource.referral(ReferralId.of("ref-" + id)), "stage:won", new Incentive.Points(10),
                            RewardStatus.PENDING, at, at.plusSeconds(60)),
                    Reward::createdAt, r -> r.id().value());
        }

        @Test
        @DisplayName("the first page holds the advocate's rewards newest first, ties on time broken by id descending "
                + "(String.compareTo, case-sensitive), and never another advocate's")
        void newestFirst() {
            pages().newestFirst();
        }

        @Test
        @DisplayName("a page after a cursor holds only rewards strictly older than it, at most the limit")
        void cursorExcludes() {
            pages().cursorExcludes();
        }

        @Test
        @DisplayName("pages walked from the first to the end hold every one of the advocate's rewards exactly once, "
                + "whatever the page size")
        void walkToTheEnd() {
            pages().walk();
        }

        @Test
        @DisplayName("rewards written earlier in the reading transaction are on the page")
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
