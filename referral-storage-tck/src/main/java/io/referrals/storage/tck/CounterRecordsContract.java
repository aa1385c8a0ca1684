package io.referrals.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords.Consumption;
import io.referrals.core.storage.CounterRecords;
import io.referrals.core.storage.StoreTransaction;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link CounterRecords}. Part of {@link ReferralStoreContract}. */
public abstract class CounterRecordsContract extends LedgerRecordsContract {

    CounterRecordsContract() {
    }

    /** The counter {@code cap:<name>}. */
    static CounterKey cap(String name) {
        return CounterKey.of("cap", name);
    }

    @Nested
    @DisplayName("Counters: caps and budgets (CounterRecords)")
    class Counters {

        private long value(CounterKey key) {
            return tx(t -> t.counters().value(key));
        }

        private boolean consume(CounterKey key, long amount, long capacity) {
            return tx(t -> t.counters().tryConsume(key, amount, capacity));
        }

        private void release(CounterKey key, long amount) {
            write(t -> t.counters().release(key, amount));
        }

        @Test
        @DisplayName("a counter never consumed has the value 0")
        void unknown() {
            assertThat(value(cap("x"))).isZero();
        }

        @Test
        @DisplayName("tryConsume adds while the counter stays at or below capacity, and refuses without writing beyond")
        void capacity() {
            assertThat(value(cap("1"))).isZero();
            assertThat(consume(cap("1"), 4, 10)).isTrue();
            assertThat(consume(cap("1"), 6, 10)).as("exactly to capacity").isTrue();
            assertThat(value(cap("1"))).isEqualTo(10);
            assertThat(consume(cap("1"), 1, 10)).isFalse();
            assertThat(value(cap("1"))).isEqualTo(10);
            assertThat(consume(cap("1"), 1, 11)).as("capacity is per call").isTrue();
            assertThat(consume(cap("2"), 1, 0)).isFalse();
            assertThat(value(cap("2"))).isZero();
            assertThat(consume(cap("3"), 11, 10)).isFalse();
            assertThat(value(cap("3"))).isZero();
        }

        @Test
        @DisplayName("tryConsume of a non-positive amount throws IllegalArgumentException, unwrapped")
        void positiveAmounts() {
            assertThatThrownBy(() -> consume(cap("1"), 0, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> consume(cap("1"), -1, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThat(value(cap("1"))).isZero();
        }

        @Test
        @DisplayName("release subtracts, never below zero; counters are independent")
        void release() {
            write(t -> {
                t.counters().tryConsume(cap("1"), 7, 10);
                t.counters().tryConsume(cap("2"), 3, 10);
            });
            release(cap("1"), 2);
            assertThat(value(cap("1"))).isEqualTo(5);
            release(cap("1"), 9);
            assertThat(value(cap("1"))).isZero();
            release(cap("never"), 3);
            assertThat(value(cap("never"))).isZero();
            assertThat(value(cap("2"))).isEqualTo(3);
            assertThat(consume(cap("1"), 10, 10)).isTrue();
        }

        @Test
        @DisplayName("tryConsumeEach applies each consumption on its own and answers for each, in list order")
        void consumeEach() {
            write(t -> {
                t.counters().tryConsume(cap("a"), 9, 10);
                t.counters().tryConsume(cap("d"), 8, 10);
            });
            assertThat(tx((StoreTransaction t) -> t.counters().tryConsumeEach(List.of(
                    new Consumption(cap("a"), 1, 10),
                    new Consumption(cap("b"), 5, 4),
                    new Consumption(cap("c"), 2, 2),
                    new Consumption(cap("d"), 3, 10)))))
                    .containsExactly(true, false, true, false);
            assertThat(List.of(value(cap("a")), value(cap("b")), value(cap("c")), value(cap("d"))))
                    .containsExactly(10L, 0L, 2L, 8L);
            assertThat(tx((StoreTransaction t) -> t.counters().tryConsumeEach(List.of()))).isEmpty();
        }

        @Test
        @DisplayName("tryConsumeEach naming one key twice means successive calls; a rollback writes none of them")
        void consumeEachSameKeyTwice() {
            Consumption one = new Consumption(cap("x"), 1, 2);
            assertThat(tx((StoreTransaction t) -> t.counters().tryConsumeEach(List.of(one, one, one))))
                    .containsExactly(true, true, false);
            assertThat(value(cap("x"))).isEqualTo(2);
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.counters().tryConsumeEach(List.of(new Consumption(cap("y"), 1, 5), one));
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(List.of(value(cap("x")), value(cap("y")))).containsExactly(2L, 0L);
        }

        @Test
        @DisplayName("a consumption of a non-positive amount or without a key is a programmer error")
        void consumptionChecksInput() {
            assertThatThrownBy(() -> new Consumption(cap("1"), 0, 10)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Consumption(null, 1, 10)).isInstanceOf(NullPointerException.class);
        }

        @Test
        @DisplayName("keys built by CounterKey.of from 300-character parts that share a long prefix are different "
                + "counters")
        void longKeysSharingAPrefix() {
            String prefix = "rule-" + "p".repeat(294);
            CounterKey first = CounterKey.of("cap", "prog-1", prefix + "a");
            CounterKey second = CounterKey.of("cap", "prog-1", prefix + "b");
            assertThat(first.value()).hasSize(CounterKey.MAX_LENGTH).isNotEqualTo(second.value());
            assertThat(second.value()).hasSize(CounterKey.MAX_LENGTH);
            assertThat(first.value().substring(0, 130)).isEqualTo(second.value().substring(0, 130));

            assertThat(consume(first, 3, 5)).isTrue();
            assertThat(value(second)).as("a key sharing the first one's prefix").isZero();
            assertThat(consume(second, 5, 5)).isTrue();
            assertThat(List.of(value(first), value(second))).containsExactly(3L, 5L);
            assertThat(tx((StoreTransaction t) -> t.counters().tryConsumeEach(List.of(new Consumption(first, 2, 5),
                    new Consumption(second, 1, 5))))).containsExactly(true, false);
            release(second, 5);
            assertThat(List.of(value(first), value(second))).containsExactly(5L, 0L);
            assertThat(value(CounterKey.of("cap", "prog-1", prefix + "a"))).as("the same parts, built again")
                    .isEqualTo(5);
        }

        @Test
        @DisplayName("a key of exactly 200 characters, some beyond ASCII, is kept exactly: the key rebuilt from its "
                + "value reads the counter back, and a key one character shorter or differing in the last is another")
        void keyOfTheLongestLength() {
            String text = "cap:" + "\u00e9t\u00e9-\u5c71\u7530-".repeat(27) + "abcdefg";
            assertThat(text).hasSize(CounterKey.MAX_LENGTH);
            CounterKey longest = new CounterKey(text);
            CounterKey shorter = new CounterKey(text.substring(0, CounterKey.MAX_LENGTH - 1));
            CounterKey lastDiffers = new CounterKey(text.substring(0, CounterKey.MAX_LENGTH - 1) + "e");

            assertThat(consume(longest, 7, 10)).isTrue();
            assertThat(value(new CounterKey(new String(longest.value().toCharArray())))).isEqualTo(7);
            assertThat(value(shorter)).isZero();
            assertThat(value(lastDiffers)).isZero();
            assertThat(consume(shorter, 1, 10)).isTrue();
            assertThat(consume(lastDiffers, 2, 10)).isTrue();
            assertThat(List.of(value(longest), value(shorter), value(lastDiffers))).containsExactly(7L, 1L, 2L);
        }

        @Test
        @DisplayName("keys are compared exactly: keys differing only in case, accents or trailing spaces are "
                + "different counters")
        void keysAreExact() {
            List<CounterKey> keys = List.of(new CounterKey("cap:rule-a"), new CounterKey("cap:RULE-A"),
                    new CounterKey("cap:rule-\u00e1"), new CounterKey("cap:rule-a "), new CounterKey("cap:rule-a  "));
            write(t -> {
                for (int i = 0; i < keys.size(); i++) {
                    assertThat(t.counters().tryConsume(keys.get(i), i + 1, 10)).isTrue();
                }
            });
            assertThat(keys.stream().map(this::value).toList()).containsExactly(1L, 2L, 3L, 4L, 5L);
        }
    }
}
