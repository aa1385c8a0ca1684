package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.earn;
import static io.referrals.storage.tck.Fixtures.event;
import static io.referrals.storage.tck.Fixtures.ledger;
import static io.referrals.storage.tck.Fixtures.noted;
import static io.referrals.storage.tck.Fixtures.redeem;
import static io.referrals.storage.tck.Fixtures.referral;
import static io.referrals.storage.tck.Fixtures.referralBuilder;
import static io.referrals.storage.tck.Fixtures.reward;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords.Consumption;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Concurrency obligations across the areas: many threads on the store under test, spread over
 * {@link #sameDataStore()} when a store has a second one, never break a capacity, a balance, a unique key, a
 * conditional update, a gapless sequence or an exclusive claim. Part of {@link ReferralStoreContract}.
 */
public abstract class ConcurrencyContract extends ProgramStatisticsContract {

    ConcurrencyContract() {
    }

    @Nested
    @DisplayName("Concurrency: many threads on one store, or on two over the same data")
    class Concurrency {

        @Test
        @DisplayName("tryConsume never takes a counter past its capacity, and fills it exactly")
        void tryConsumeUnderContention() {
            ReferralStore other = sameDataStore();
            int n = threads();
            long capacity = 37;
            CounterKey race = CounterKey.of("cap", "race");
            List<Integer> wins = race(n, i -> {
                ReferralStore s = storeFor(i, other);
                int won = 0;
                for (int k = 0; k < 10; k++) {
                    if (committed(s, t -> t.counters().tryConsume(race, 1, capacity))) {
                        won++;
                    }
                }
                return won;
            });
            int total = wins.stream().mapToInt(Integer::intValue).sum();
            assertThat((long) total).isEqualTo(Math.min(capacity, n * 10L));
            assertThat(tx((StoreTransaction t) -> t.counters().value(race))).isEqualTo(total);
        }

        @Test
        @DisplayName("tryConsumeEach never takes any of its counters past capacity, and fills each exactly")
        void tryConsumeEachUnderContention() {
            ReferralStore other = sameDataStore();
            int n = threads();
            List<Consumption> each = List.of(
                    new Consumption(CounterKey.of("each", "lock"), 1, Long.MAX_VALUE),
                    new Consumption(CounterKey.of("each", "a"), 1, 37),
                    new Consumption(CounterKey.of("each", "b"), 2, 46));
            List<long[]> wins = race(n, i -> {
                ReferralStore s = storeFor(i, other);
                long[] won = new long[3];
                for (int k = 0; k < 10; k++) {
                    List<Boolean> applied = committed(s, t -> t.counters().tryConsumeEach(each));
                    for (int c = 0; c < 3; c++) {
                        won[c] += applied.get(c) ? 1 : 0;
                    }
                }
                return won;
            });
            long[] total = new long[3];
            wins.forEach(w -> IntStream.range(0, 3).forEach(c -> total[c] += w[c]));
            assertThat(total).containsExactly(n * 10L, Math.min(37, n * 10L), Math.min(23, n * 10L));
            assertThat(tx((StoreTransaction t) -> each.stream().map(x -> t.counters().value(x.key())).toList()))
                    .containsExactly(total[0], total[1], 2 * total[2]);
        }

        @Test
        @DisplayName("concurrent redemptions never take a balance below zero; the balance stays the sum of the ledger")
        void ledgerUnderContention() {
            ReferralStore other = sameDataStore();
            AdvocateId a = AdvocateId.of("adv-1");
            write(t -> t.ledger().append(earn("seed", a, 100)));
            int n = threads();
            List<Integer> wins = race(n, i -> {
                ReferralStore s = storeFor(i, other);
                int won = 0;
                for (int k = 0; k < 4; k++) {
                    String id = "r-" + i + "-" + k;
                    if (committed(s, t -> t.ledger().append(redeem(id, a, 7)))) {
                        won++;
                    }
                }
                return won;
            });
            int total = wins.stream().mapToInt(Integer::intValue).sum();
            long balance = tx(t -> t.ledger().balance(a));
            assertThat(balance).isGreaterThanOrEqualTo(0).isEqualTo(100 - 7L * total)
                    .isEqualTo(tx(t -> t.ledger().entries(a)).stream().mapToLong(LedgerEntry::points).sum());
            assertThat(total).as("every redemption that fitted was accepted").isEqualTo(Math.min(100 / 7, n * 4));
        }

        @Test
        @DisplayName("concurrent ledger entries with one idempotency key: exactly one is applied")
        void ledgerKeyUnderContention() {
            ReferralStore other = sameDataStore();
            AdvocateId a = AdvocateId.of("adv-1");
            List<String> outcomes = race(threads(), i -> {
                try {
                    committed(storeFor(i, other), t -> t.ledger().append(
                            ledger("l-" + i, a, LedgerEntry.Kind.EARNED, 10, "reward:once", T0)));
                    return "won";
                } catch (DuplicateKeyException e) {
                    assertThat(e.key()).isEqualTo(UniqueKey.LEDGER_ENTRY);
                    return "duplicate";
                }
            });
            assertThat(outcomes).filteredOn("won"::equals).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isEqualTo(10);
        }

        @Test
        @DisplayName("screeningReads looks up after its consumptions: a capture that waited for another's lock row sees"
                + " that capture's referral, so of many concurrent first referrals of one prospect exactly one is stored")
        void screeningReadsSerialisesOneProspect() {
            ReferralStore other = sameDataStore();
            String prospect = "5eed";
            List<Consumption> lock = List.of(new Consumption(CounterKey.of("prospect-lock", prospect), 1,
                    Long.MAX_VALUE));
            List<Boolean> inserted = race(threads(), i -> committed(storeFor(i, other), t -> {
                if (!t.screeningReads(lock, Set.of(prospect), 10).matches().isEmpty()) {
                    return false;
                }
                t.referrals().insert(referralBuilder("ref-first-" + i, ProgramId.of("prog-1"), AdvocateId.of("adv-1"))
                        .idempotencyKey("first-" + i).prospectEmailKey(prospect).build());
                return true;
            }));
            assertThat(inserted).as("threads that found no referral of the prospect").containsOnlyOnce(true);
            assertThat(tx((StoreTransaction t) -> t.referrals().byProspectKeys(Set.of(prospect), 100))).hasSize(1);
        }

        @Test
        @DisplayName("concurrent inserts with one idempotency key: exactly one wins, the others get IDEMPOTENCY_KEY")
        void idempotencyKeyUnderContention() {
            ReferralStore other = sameDataStore();
            List<String> outcomes = race(threads(), i -> {
                Referral r = referral("ref-" + i, ProgramId.of("prog-1"), AdvocateId.of("adv-1"), "same-key");
                try {
                    committed(storeFor(i, other), t -> {
                        t.referrals().insert(r);
                        return null;
                    });
                    return r.id().value();
                } catch (DuplicateKeyException e) {
                    assertThat(e.key()).isEqualTo(UniqueKey.IDEMPOTENCY_KEY);
                    return "duplicate";
                }
            });
            List<String> winners = outcomes.stream().filter(o -> !o.equals("duplicate")).toList();
            assertThat(winners).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.referrals().find(ReferralQuery.builder().build())))
                    .extracting(r -> r.id().value())
                    .containsExactly(winners.get(0));
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("same-key"))).map(r -> r.id().value())
                    .contains(winners.get(0));
        }

        @Test
        @DisplayName("concurrent inserts of one reward dedupe key: exactly one wins")
        void rewardDedupeUnderContention() {
            ReferralStore other = sameDataStore();
            List<Boolean> outcomes = race(threads(), i -> {
                try {
                    committed(storeFor(i, other), t -> {
                        t.rewards().insert(reward("rwd-" + i, ProgramId.of("prog-1"), AdvocateId.of("adv-1"),
                                ReferralId.of("ref-1"), "stage:won"));
                        return null;
                    });
                    return true;
                } catch (DuplicateKeyException e) {
                    assertThat(e.key()).isEqualTo(UniqueKey.REWARD);
                    return false;
                }
            });
            assertThat(outcomes).filteredOn(b -> b).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.rewards().ofAdvocate(AdvocateId.of("adv-1")))).hasSize(1);
        }

        @Test
        @DisplayName("concurrent conditional updates of a referral: exactly one writer wins each version")
        void conditionalUpdatesUnderContention() {
            ReferralStore other = sameDataStore();
            Referral r = seedReferral();
            Referral current = r;
            for (int round = 0; round < 5; round++) {
                Referral base = current;
                List<Boolean> outcomes = race(threads(), i -> committed(storeFor(i, other),
                        t -> t.referrals().update(noted(base, "writer " + i))));
                assertThat(outcomes).filteredOn(b -> b).hasSize(1);
                int winner = outcomes.indexOf(true);
                current = tx(t -> t.referrals().get(r.id())).orElseThrow();
                assertThat(current.version()).isEqualTo(base.version() + 1);
                assertThat(current.note()).isEqualTo("writer " + winner);
            }
        }

        @Test
        @DisplayName("nextSequence under contention: committed reservations form a gapless set, none handed out twice")
        void sequencesUnderContention() {
            ReferralStore other = sameDataStore();
            int perThread = 8;
            List<List<Long>> got = race(threads(), i -> {
                List<Long> mine = new ArrayList<>();
                for (int k = 0; k < perThread; k++) {
                    mine.add(committed(storeFor(i, other), t -> t.events().nextSequence("s:contended")));
                }
                return mine;
            });
            List<Long> all = got.stream().flatMap(List::stream).sorted().toList();
            assertThat(all).containsExactlyElementsOf(
                    LongStream.rangeClosed(1, (long) threads() * perThread).boxed().toList());
        }

        @Test
        @DisplayName("nextSequence with events under contention, some transactions rolling back: committed events "
                + "are numbered 1..n")
        void sequencesWithRollbacks() {
            ReferralStore other = sameDataStore();
            AtomicInteger ids = new AtomicInteger();
            race(threads(), i -> {
                for (int k = 0; k < 6; k++) {
                    boolean fail = (i + k) % 3 == 0;
                    try {
                        committed(storeFor(i, other), t -> {
                            long seq = t.events().nextSequence("s:events");
                            t.events().append(event("ev-" + ids.incrementAndGet(), "s:events", seq, T0), false, T0);
                            if (fail) {
                                throw new WorkFailed();
                            }
                            return seq;
                        });
                    } catch (WorkFailed expected) {
                        // rolled back on purpose
                    }
                }
                return null;
            });
            List<Long> seqs = tx(t -> t.events().ofStream("s:events")).stream()
                    .map(e -> e.event().metadata().sequence()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(seqs).hasSize((int) IntStream.range(0, threads()).boxed()
                    .flatMap(i -> IntStream.range(0, 6).mapToObj(k -> (i + k) % 3 != 0)).filter(b -> b).count());
        }

        @Test
        @DisplayName("concurrent claimers never receive the same event, and together claim every event")
        void claimsUnderContention() {
            ReferralStore other = sameDataStore();
            int events = 60;
            write(t -> {
                for (int i = 0; i < events; i++) {
                    t.events().append(event("ev-" + i, "s:" + i, 1, T0), true, T0);
                }
            });
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger claimed = new AtomicInteger();
            // a claim that meets another's lock may come back short; claimers go on until all is claimed (bounded)
            List<List<String>> claims = race(threads(), i -> {
                List<String> mine = new ArrayList<>();
                for (int k = 0; k < 200 && claimed.get() < events; k++) {
                    List<OutboxEntry> got = committed(storeFor(i, other), t -> t.outbox().claimDue(T0, 3, at(60)));
                    got.forEach(e -> mine.add(e.event().metadata().id().value()));
                    claimed.addAndGet(got.size());
                }
                return mine;
            });
            List<String> all = claims.stream().flatMap(List::stream).toList();
            for (String id : all) {
                assertThat(seen.add(id)).as("event %s was claimed twice", id).isTrue();
            }
            assertThat(all).hasSize(events);
        }

        @Test
        @DisplayName("concurrent claimers that deliver what they claim, then mark it delivered, deliver each stream in "
                + "sequence order and each event once")
        void claimsKeepStreamOrderUnderContention() {
            ReferralStore other = sameDataStore();
            int streams = 12;
            int perStream = 6;
            write(t -> {
                for (int seq = 1; seq <= perStream; seq++) {
                    for (int s = 0; s < streams; s++) {
                        t.events().append(event("ord-" + s + "-" + seq, "ord:" + s, seq, at(seq)), true, T0);
                    }
                }
            });
            Map<String, List<Long>> deliveredByStream = new ConcurrentHashMap<>();
            AtomicInteger delivered = new AtomicInteger();
            race(threads(), i -> {
                ReferralStore s = storeFor(i, other);
                for (int round = 0; round < 500 && delivered.get() < streams * perStream; round++) {
                    List<OutboxEntry> got = committed(s, t -> t.outbox().claimDue(at(10), 4, at(600)));
                    for (OutboxEntry e : got) {
                        deliveredByStream.computeIfAbsent(e.event().metadata().stream(),
                                k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(e.event().metadata().sequence());
                    }
                    committed(s, t -> {
                        got.forEach(e -> assertThat(t.outbox().markDelivered(e.event().metadata().id())).isTrue());
                        return null;
                    });
                    delivered.addAndGet(got.size());
                }
                return null;
            });
            assertThat(delivered).hasValue(streams * perStream);
            assertThat(deliveredByStream).hasSize(streams);
            deliveredByStream.forEach((stream, seqs) -> assertThat(seqs).as(stream)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, perStream).boxed().toList()));
        }
    }
}
