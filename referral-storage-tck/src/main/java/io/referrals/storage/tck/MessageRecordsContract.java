package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.messages.MessageItem;
import io.referrals.core.messages.MessageStatus;
import io.referrals.core.messages.MessageTopic;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.MessageRecords;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link MessageRecords}. Part of {@link ReferralStoreContract}. */
public abstract class MessageRecordsContract extends AskRecordsContract {

    MessageRecordsContract() {
    }

    @Nested
    @DisplayName("Messages to advocates (MessageRecords)")
    class Messages {
        private final ProgramId p = ProgramId.of("prog-1");
        private final ProgramId q = ProgramId.of("prog-2");
        private final AdvocateId a = AdvocateId.of("adv-1");
        private final AdvocateId b = AdvocateId.of("adv-2");

        private MessageItem item(String key, AdvocateId advocate, ProgramId program, Instant occurred, Instant due) {
            return MessageItem.pending(key, advocate, program, MessageTopic.REFERRAL_PROGRESSED,
                    Map.of("referralId", "ref-1", "stage", "meeting_held"), occurred, due);
        }

        private MessageItem stored(MessageItem m) {
            write(t -> t.messages().insert(m));
            return m;
        }

        private List<String> keys(List<MessageItem> items) {
            return items.stream().map(MessageItem::key).toList();
        }

        private MessageItem get(String key) {
            return tx((StoreTransaction t) -> t.messages().get(key)).orElseThrow();
        }

        @Test
        @DisplayName("lookups of an unknown key, advocate, program or batch are empty")
        void unknown() {
            tx(t -> {
                assertThat(t.messages().get("x")).isEmpty();
                assertThat(t.messages().due(Instant.MAX, 10)).isEmpty();
                assertThat(t.messages().unbatched(a, p, 10)).isEmpty();
                assertThat(t.messages().batch("x", 10)).isEmpty();
                assertThat(t.messages().lastSent(a, p)).isEmpty();
                assertThat(t.messages().ofAdvocate(a, 10)).isEmpty();
                assertThat(t.messages().deleteFinished(Instant.MAX, 10)).isZero();
                assertThat(t.messages().deleteOfAdvocate(a)).isZero();
                return null;
            });
        }

        @Test
        @DisplayName("round trip: every field of a pending, a failed, a sent and a dropped item, a long key, values "
                + "with non-ASCII text, and a 500-character error")
        void roundTrip() {
            String longKey = "0001/" + "e".repeat(128) + "/" + "a".repeat(128);
            MessageItem pending = stored(MessageItem.pending(longKey, a, p, MessageTopic.REWARD_EARNED,
                    Map.of("rewardKind", "gift_card", "rewardAmount", "50.00 EUR", "rewardName", "Bücher & Co"),
                    at(1), at(5)));
            MessageItem none = stored(MessageItem.pending("k-empty", a, p, MessageTopic.REFERRAL_WON, Map.of(), at(1),
                    at(1)));
            MessageItem failed1 = stored(item("k-failed", a, p, at(2), at(2)));
            MessageItem failed2 = failed1.claimed("k-failed", at(7), at(3));
            MessageItem failed = failed2.failed("x".repeat(MessageItem.MAX_ERROR), at(9), at(3));
            MessageItem sent1 = stored(item("k-sent", a, q, at(2), at(2)));
            MessageItem sent2 = sent1.claimed("k-sent", at(7), at(3));
            MessageItem sent = sent2.sent(at(4));
            MessageItem dropped = stored(item("k-dropped", b, q, at(2), at(2))).gaveUp("gone", at(4));
            write(t -> {
                assertThat(t.messages().update(failed2)).isTrue();
                assertThat(t.messages().update(failed)).isTrue();
                assertThat(t.messages().update(sent2)).isTrue();
                assertThat(t.messages().update(sent)).isTrue();
                assertThat(t.messages().update(dropped)).isTrue();
            });
            assertThat(get(longKey)).isEqualTo(pending);
            assertThat(get("k-empty")).isEqualTo(none);
            assertThat(get("k-failed")).isEqualTo(failed);
            assertThat(get("k-failed").attempts()).isEqualTo(1);
            assertThat(get("k-sent")).isEqualTo(sent);
            assertThat(get("k-dropped")).isEqualTo(dropped);
        }

        @Test
        @DisplayName("a second item with the same key is refused as MESSAGE and the first is kept")
        void duplicateKey() {
            MessageItem first = stored(item("k-1", a, p, at(1), at(1)));
            assertDuplicate(store, UniqueKey.MESSAGE, t -> t.messages().insert(item("k-1", b, q, at(2), at(2))));
            assertThat(get("k-1")).isEqualTo(first);
        }

        @Test
        @DisplayName("update writes only the next version")
        void versioned() {
            MessageItem v1 = item("k-v", a, p, at(1), at(1));
            assertVersioned(v1, m -> m.claimed("k-v", m.nextAttemptAt().plusSeconds(60), at(2)),
                    (t, m) -> t.messages().insert(m), (t, m) -> t.messages().update(m),
                    (t, m) -> t.messages().get(m.key()));
        }

        @Test
        @DisplayName("due gives pending items whose next attempt has come, by next attempt, occurrence and key, up to "
                + "the limit")
        void due() {
            stored(item("k-3", a, p, at(1), at(3)));
            stored(item("k-2b", a, p, at(2), at(2)));
            stored(item("k-2a", b, q, at(2), at(2)));
            stored(item("k-1", b, p, at(0), at(2)));
            stored(item("k-later", a, p, at(1), at(10)));
            stored(item("k-sent", a, p, at(0), at(0)).sent(at(1)));
            stored(item("k-dropped", a, p, at(0), at(0)).gaveUp("x", at(1)));

            tx(t -> {
                assertThat(keys(t.messages().due(at(3), 100))).containsExactly("k-1", "k-2a", "k-2b", "k-3");
                assertThat(keys(t.messages().due(at(3), 2))).containsExactly("k-1", "k-2a");
                assertThat(keys(t.messages().due(at(2).minusNanos(1000), 100))).isEmpty();
                assertThat(keys(t.messages().due(at(10), 100))).endsWith("k-later");
                return null;
            });
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.messages().due(at(3), 0))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("unbatched gives an advocate's pending items of a program without a batch, due or not, by "
                + "occurrence; batch gives a batch's items in any status")
        void unbatchedAndBatch() {
            stored(item("k-b", a, p, at(2), at(50)));
            stored(item("k-a", a, p, at(1), at(60)));
            stored(item("k-other-program", a, q, at(1), at(1)));
            stored(item("k-other-advocate", b, p, at(1), at(1)));
            MessageItem inBatch = stored(item("k-c", a, p, at(0), at(0)));
            MessageItem inBatch2 = stored(item("k-d", a, p, at(3), at(0)));
            write(t -> {
                assertThat(t.messages().update(inBatch.claimed("batch-1", at(5), at(1)))).isTrue();
                assertThat(t.messages().update(inBatch2.claimed("batch-1", at(5), at(1)).sent(at(2)))).isFalse();
                assertThat(t.messages().update(inBatch2.claimed("batch-1", at(5), at(1)))).isTrue();
            });
            write(t -> t.messages().update(get("k-d").sent(at(2))));

            tx(t -> {
                assertThat(keys(t.messages().unbatched(a, p, 10))).containsExactly("k-a", "k-b");
                assertThat(keys(t.messages().unbatched(a, p, 1))).containsExactly("k-a");
                assertThat(keys(t.messages().batch("batch-1", 10))).containsExactly("k-c", "k-d");
                assertThat(keys(t.messages().batch("batch-1", 1))).containsExactly("k-c");
                return null;
            });
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.messages().batch("", 1))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("lastSent is the latest sending time of an advocate's sent items in a program")
        void lastSent() {
            stored(item("k-1", a, p, at(0), at(0)).sent(at(3)));
            stored(item("k-2", a, p, at(0), at(0)).sent(at(7)));
            stored(item("k-3", a, p, at(0), at(0)).gaveUp("x", at(9)));
            stored(item("k-4", a, p, at(0), at(0)));
            stored(item("k-5", a, q, at(0), at(0)).sent(at(8)));
            stored(item("k-6", b, p, at(0), at(0)).sent(at(8)));
            tx(t -> {
                assertThat(t.messages().lastSent(a, p)).contains(at(7));
                assertThat(t.messages().lastSent(a, q)).contains(at(8));
                return null;
            });
        }

        @Test
        @DisplayName("ofAdvocate gives an advocate's items newest first, up to the limit")
        void ofAdvocate() {
            stored(item("k-1", a, p, at(1), at(1)));
            stored(item("k-3", a, q, at(3), at(3)).sent(at(4)));
            stored(item("k-2", a, p, at(2), at(2)));
            stored(item("k-x", b, p, at(5), at(5)));
            tx(t -> {
                assertThat(keys(t.messages().ofAdvocate(a, 10))).containsExactly("k-3", "k-2", "k-1");
                assertThat(keys(t.messages().ofAdvocate(a, 2))).containsExactly("k-3", "k-2");
                return null;
            });
        }

        @Test
        @DisplayName("deleteFinished deletes sent and dropped items updated before the cut-off, oldest first, in "
                + "bounded batches, and never a pending one")
        void deleteFinished() {
            stored(item("k-sent-1", a, p, at(0), at(0)).sent(at(1)));
            stored(item("k-sent-2", a, p, at(0), at(0)).sent(at(2)));
            stored(item("k-dropped", b, q, at(0), at(0)).gaveUp("x", at(3)));
            stored(item("k-sent-late", a, p, at(0), at(0)).sent(at(10)));
            stored(item("k-pending", a, p, at(0), at(0)));

            assertThat(tx((StoreTransaction t) -> t.messages().deleteFinished(at(10), 2))).isEqualTo(2);
            assertThat(tx((StoreTransaction t) -> t.messages().get("k-sent-1"))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.messages().get("k-sent-2"))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.messages().deleteFinished(at(10), 10))).isEqualTo(1);
            assertThat(tx((StoreTransaction t) -> t.messages().deleteFinished(at(10), 10))).isZero();
            assertThat(keys(tx((StoreTransaction t) -> t.messages().ofAdvocate(a, 10)))).containsExactlyInAnyOrder("k-sent-late",
                    "k-pending");
            assertThatThrownBy(() -> tx((StoreTransaction t) -> t.messages().deleteFinished(at(1), 0)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        @DisplayName("deleteOfAdvocate deletes every item of the advocate, whatever its status, and no other")
        void deleteOfAdvocate() {
            stored(item("k-1", a, p, at(0), at(0)));
            stored(item("k-2", a, q, at(0), at(0)).sent(at(1)));
            stored(item("k-3", b, p, at(0), at(0)));
            assertThat(tx((StoreTransaction t) -> t.messages().deleteOfAdvocate(a))).isEqualTo(2);
            assertThat(keys(tx((StoreTransaction t) -> t.messages().ofAdvocate(a, 10)))).isEmpty();
            assertThat(keys(tx((StoreTransaction t) -> t.messages().ofAdvocate(b, 10)))).containsExactly("k-3");
        }

        @Test
        @DisplayName("writes of a transaction that fails are rolled back")
        void rollback() {
            MessageItem m = stored(item("k-1", a, p, at(0), at(0)));
            assertThatThrownBy(() -> store.inTransaction(t -> {
                t.messages().insert(item("k-2", a, p, at(0), at(0)));
                t.messages().update(m.sent(at(1)));
                throw new WorkFailed();
            })).isInstanceOf(WorkFailed.class);
            assertThat(tx((StoreTransaction t) -> t.messages().get("k-2"))).isEmpty();
            assertThat(get("k-1")).isEqualTo(m);
        }

        @Test
        @DisplayName("of two transactions updating the same version of an item, one succeeds")
        void raceOnUpdate() {
            MessageItem m = stored(item("k-race", a, p, at(0), at(0)));
            ReferralStore other = sameDataStore();
            List<Boolean> won = race(4, i -> committed(storeFor(i, other),
                    (StoreTransaction t) -> t.messages().update(m.claimed("batch-" + i, at(5), at(1)))));
            assertThat(won).containsOnlyOnce(true);
            assertThat(get("k-race").version()).isEqualTo(2);
        }

        @Test
        @DisplayName("times keep microsecond precision (T0 based)")
        void precision() {
            Instant t = T0.plusNanos(123_456_000);
            MessageItem m = stored(item("k-t", a, p, t, t));
            assertThat(get("k-t").occurredAt()).isEqualTo(t);
            assertThat(get("k-t")).isEqualTo(m);
        }
    }
}
