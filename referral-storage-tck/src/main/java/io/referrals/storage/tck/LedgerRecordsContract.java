package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.earn;
import static io.referrals.storage.tck.Fixtures.ledger;
import static io.referrals.storage.tck.Fixtures.redeem;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.storage.LedgerRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link LedgerRecords}. Part of {@link ReferralStoreContract}. */
public abstract class LedgerRecordsContract extends RewardRecordsContract {

    LedgerRecordsContract() {
    }

    @Nested
    @DisplayName("The points ledger (LedgerRecords)")
    class PointsLedger {
        private final AdvocateId a = AdvocateId.of("adv-1");

        @Test
        @DisplayName("an advocate without entries has an empty ledger and a balance of 0")
        void unknown() {
            assertThat(tx((StoreTransaction t) -> t.ledger().entries(AdvocateId.of("x")))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(AdvocateId.of("x")))).isZero();
        }

        @Test
        @DisplayName("append of a known id throws DuplicateKeyException LEDGER_ENTRY and writes nothing")
        void ledgerEntryId() {
            write(t -> t.ledger().append(earn("led-1", a, 100)));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY,
                    t -> t.ledger().append(ledger("led-1", a, LedgerEntry.Kind.EARNED, 5, "other-key", T0)));
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isEqualTo(100);
        }

        @Test
        @DisplayName("append of an idempotency key already used in the advocate's ledger throws "
                + "DuplicateKeyException LEDGER_ENTRY and writes nothing; other ledgers may reuse it")
        void ledgerIdempotencyKey() {
            AdvocateId b = AdvocateId.of("adv-2");
            write(t -> t.ledger().append(ledger("led-1", a, LedgerEntry.Kind.EARNED, 100, "reward:1", T0)));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY,
                    t -> t.ledger().append(ledger("led-2", a, LedgerEntry.Kind.EARNED, 100, "reward:1", T0)));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY,
                    t -> t.ledger().append(ledger("led-3", a, LedgerEntry.Kind.REDEEMED, -10, "reward:1", T0)));
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isEqualTo(100);
            assertThat(tx((StoreTransaction t) -> t.ledger().entries(a))).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.ledger().append(
                    ledger("led-4", b, LedgerEntry.Kind.EARNED, 7, "reward:1", T0)))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(b))).isEqualTo(7);
        }

        @Test
        @DisplayName("an entry with a used idempotency key is not applied twice")
        void idempotent() {
            LedgerEntry credit = ledger("l1", a, LedgerEntry.Kind.EARNED, 100, "reward:rwd-1", T0);
            write(t -> t.ledger().append(credit));
            assertDuplicate(store, UniqueKey.LEDGER_ENTRY, t -> t.ledger().append(
                    ledger("l2", a, LedgerEntry.Kind.EARNED, 100, "reward:rwd-1", at(1))));
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isEqualTo(100);
            assertThat(tx((StoreTransaction t) -> t.ledger().entries(a))).containsExactly(credit);
        }

        @Test
        @DisplayName("round trip: ledger entries of every kind")
        void roundTrip() {
            List<LedgerEntry> all = List.of(
                    ledger("led-1", a, LedgerEntry.Kind.EARNED, 1000, "k1", at(1)),
                    ledger("led-2", a, LedgerEntry.Kind.REDEEMED, -300, "k2", at(2)),
                    ledger("led-3", a, LedgerEntry.Kind.EXPIRED, -100, "k3", at(3)),
                    ledger("led-4", a, LedgerEntry.Kind.REVERSED, -50, "k4", at(4)),
                    ledger("led-5", a, LedgerEntry.Kind.ADJUSTED, 25, "k5", at(5)),
                    new LedgerEntry(LedgerEntryId.of("led-6"), a, LedgerEntry.Kind.ADJUSTED, -5, "rwd-9", "k6",
                            at(6), ""));
            write(t -> all.forEach(e -> assertThat(t.ledger().append(e)).isTrue()));
            assertThat(tx((StoreTransaction t) -> t.ledger().entries(a))).containsExactlyElementsOf(all);
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isEqualTo(570);
        }

        @Test
        @DisplayName("entries lists a ledger ordered by time, then id")
        void ledgerByTime() {
            LedgerEntry l1 = ledger("led-b", a, LedgerEntry.Kind.EARNED, 10, "k1", at(5));
            LedgerEntry l2 = ledger("led-a", a, LedgerEntry.Kind.EARNED, 10, "k2", at(5));
            LedgerEntry l3 = ledger("led-c", a, LedgerEntry.Kind.EARNED, 10, "k3", at(1));
            write(t -> List.of(l1, l2, l3).forEach(t.ledger()::append));
            assertThat(tx((StoreTransaction t) -> t.ledger().entries(a))).containsExactly(l3, l2, l1);
        }

        @Test
        @DisplayName("the balance is the sum of the advocate's entries, per advocate")
        void balanceIsTheSum() {
            write(t -> {
                t.ledger().append(earn("l1", a, 300));
                t.ledger().append(earn("l2", a, 200));
                t.ledger().append(redeem("l3", a, 450));
                t.ledger().append(earn("l4", AdvocateId.of("adv-2"), 9));
            });
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isEqualTo(50)
                    .isEqualTo(tx(t -> t.ledger().entries(a)).stream().mapToLong(LedgerEntry::points).sum());
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(AdvocateId.of("adv-2")))).isEqualTo(9);
        }

        @Test
        @DisplayName("an entry that would take the balance below zero is refused and writes nothing, key included")
        void neverNegative() {
            write(t -> t.ledger().append(earn("l1", a, 30)));
            LedgerEntry redeem = ledger("l2", a, LedgerEntry.Kind.REDEEMED, -50, "redeem:1", T0);
            assertThat(tx((StoreTransaction t) -> t.ledger().append(redeem))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.ledger().entries(a))).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isEqualTo(30);
            assertThat(tx((StoreTransaction t) -> t.ledger().append(
                    ledger("l3", a, LedgerEntry.Kind.ADJUSTED, -31, "adjust:1", T0)))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.ledger().append(redeem("l9", AdvocateId.of("adv-new"), 1))))
                    .isFalse();
            write(t -> t.ledger().append(earn("l4", a, 20)));
            assertThat(tx((StoreTransaction t) -> t.ledger().append(redeem)))
                    .as("the refused entry's id and key were not used").isTrue();
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isZero();
        }

        @Test
        @DisplayName("an entry that takes the balance exactly to zero is accepted")
        void exactlyZero() {
            write(t -> t.ledger().append(earn("l1", a, 30)));
            assertThat(tx((StoreTransaction t) -> t.ledger().append(redeem("l2", a, 30)))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.ledger().balance(a))).isZero();
        }
    }

    @Nested
    @DisplayName("An advocate's ledger, newest first (LedgerRecords.entries after a Before cursor)")
    class LedgerPages {
        private NewestFirstPages<LedgerEntry> pages() {
            return new NewestFirstPages<>(store, (t, a, b, n) -> t.ledger().entries(a, b, n),
                    (t, e) -> t.ledger().append(e),
                    (a, id, at) -> ledger(id, a, LedgerEntry.Kind.EARNED, 10, "key-" + id, at),
                    LedgerEntry::at, e -> e.id().value());
        }

        @Test
        @DisplayName("the first page holds the advocate's entries newest first, ties on time broken by id descending "
                + "(String.compareTo, case-sensitive), and never another advocate's")
        void newestFirst() {
            pages().newestFirst();
        }

        @Test
        @DisplayName("a page after a cursor holds only entries strictly older than it, at most the limit")
        void cursorExcludes() {
            pages().cursorExcludes();
        }

        @Test
        @DisplayName("pages walked from the first to the end hold every one of the advocate's entries exactly once, "
                + "whatever the page size")
        void walkToTheEnd() {
            pages().walk();
        }

        @Test
        @DisplayName("entries written earlier in the reading transaction are on the page")
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
