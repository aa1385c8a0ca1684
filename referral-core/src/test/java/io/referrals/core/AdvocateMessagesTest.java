package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.messages.Delivery;
import io.referrals.core.messages.Message;
import io.referrals.core.messages.MessageItem;
import io.referrals.core.messages.MessagePolicy;
import io.referrals.core.messages.MessageSender;
import io.referrals.core.messages.MessageStatus;
import io.referrals.core.messages.MessageTopic;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Advocate messages")
class AdvocateMessagesTest {

    /** A sender that records what it got, and fails while told to. */
    static final class Outbox implements MessageSender {
        final List<Message> sent = new CopyOnWriteArrayList<>();
        final List<String> attempts = new CopyOnWriteArrayList<>();
        volatile int failuresLeft;
        volatile boolean crash;

        @Override
        public void send(Message message) {
            attempts.add(message.deliveryKey());
            if (crash) {
                throw new AssertionError("the process died while sending");
            }
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("mail server unavailable");
            }
            sent.add(message);
        }
    }

    private final Outbox outbox = new Outbox();

    private World world(Consumer<AdvocateMessages.Builder> config) {
        return new World(config);
    }

    private final class World {
        final TestWorld w;
        final AdvocateMessages messages;
        final Program program;

        World(Consumer<AdvocateMessages.Builder> config) {
            AdvocateMessages.Builder b = AdvocateMessages.builder(outbox);
            config.accept(b);
            var extension = b.build();
            w = new TestWorld(e -> e.install(extension));
            messages = w.engine.extension(extension);
            program = w.activeProgram();
        }

        Advocate advocate(String id, Map<String, String> attributes) {
            Advocate a = w.engine.registerAdvocate(AdvocateRegistration.of(id, "Jane Doe", id + "@acme.example",
                    AdvocateKind.CUSTOMER).withAttributes(attributes));
            w.engine.enrol(a.id(), program.id());
            return a;
        }

        Advocate advocate() {
            return advocate("jane", Map.of());
        }

        void move(Referral r, Stage to, String reason) {
            w.clock.advance(Duration.ofSeconds(1));
            w.engine.transition(new TransitionRequest(r.id(), to, TransitionCause.crm("salesforce"), reason, ""));
        }

        void earn(Advocate a, Beneficiary beneficiary, Incentive incentive) {
            Reward reward = Reward.builder(RewardId.random(), program.id(), a.id()).beneficiary(beneficiary)
                    .source(RewardSource.referral(io.referrals.core.model.ReferralId.random())).rule("won", 1)
                    .milestone("stage:won").incentive(incentive).status(RewardStatus.PENDING)
                    .createdAt(w.clock.instant()).build();
            w.engine.transactions().inStream(EventStreams.of(a.id()), u -> u.emit(EventStreams.of(a.id()),
                    md -> new RewardEarned(md, AdvocateSummary.of(a), reward)));
        }
    }

    @Nested
    @DisplayName("delivered immediately")
    class Immediate {

        @Test
        @DisplayName("a captured referral becomes one message naming the company only, sent once")
        void captureBecomesOneMessage() {
            World s = world(b -> { });
            Advocate a = s.advocate();
            s.w.captured(a, s.program);

            assertThat(s.messages.runOnce()).isEqualTo(1);
            assertThat(s.messages.runOnce()).isZero();

            Message m = outbox.sent.get(0);
            assertThat(m.advocateId()).isEqualTo(a.id());
            assertThat(m.email()).isEqualTo("jane@acme.example");
            assertThat(m.locale()).isEqualTo(Locale.ENGLISH);
            assertThat(m.topics()).containsExactly(MessageTopic.REFERRAL_RECEIVED);
            assertThat(m.subject()).isEqualTo("We received your referral of Initech");
            assertThat(m.body()).startsWith("Hi Jane Doe,\n\nWe received your referral of Initech.")
                    .endsWith("Thank you for supporting Customer Referrals.");
            assertThat(m.subject() + m.body()).doesNotContain("Peter").doesNotContain("gibbons")
                    .doesNotContain("555");
            assertThat(s.messages.items(a.id(), 10)).singleElement()
                    .satisfies(i -> assertThat(i.status()).isEqualTo(MessageStatus.SENT));
        }

        @Test
        @DisplayName("each event is its own message, a won deal included")
        void eachEventItsOwnMessage() {
            World s = world(b -> { });
            Advocate a = s.advocate();
            Referral r = s.w.captured(a, s.program);
            s.move(r, Stage.MEETING_HELD, "");
            s.move(r, Stage.WON, "");

            assertThat(s.messages.runOnce()).isEqualTo(3);
            assertThat(outbox.sent).extracting(Message::subject).containsExactly(
                    "We received your referral of Initech", "Your referral of Initech moved on",
                    "Initech became a customer");
            assertThat(outbox.sent.get(1).body()).contains("is now at: meeting_held.");
            assertThat(outbox.sent).extracting(Message::deliveryKey).doesNotHaveDuplicates();
        }

        @Test
        @DisplayName("a stage label from the templates replaces the stage's name")
        void stageLabel() {
            World s = world(b -> b.templates(io.referrals.core.messages.MessageTemplates.builder()
                    .template(Locale.ENGLISH, "stage.meeting_held", "a meeting took place").build()));
            Referral r = s.w.captured(s.advocate(), s.program);
            s.move(r, Stage.MEETING_HELD, "");
            s.messages.runOnce();
            assertThat(outbox.sent.get(1).body()).contains("is now at: a meeting took place.");
        }

        @Test
        @DisplayName("a program's policy decides which events become messages")
        void policyTopics() {
            World s = world(b -> b.defaultPolicy(MessagePolicy.of(Delivery.immediate(), MessageTopic.REFERRAL_WON)));
            Advocate a = s.advocate();
            Referral r = s.w.captured(a, s.program);
            s.move(r, Stage.QUALIFIED, "");
            s.move(r, Stage.WON, "");

            assertThat(s.messages.items(a.id(), 10)).extracting(MessageItem::topic)
                    .containsExactly(MessageTopic.REFERRAL_WON);
            assertThat(s.messages.runOnce()).isEqualTo(1);
        }

        @Test
        @DisplayName("rewards of the advocate become messages; the referred party's do not")
        void rewards() {
            World s = world(b -> { });
            Advocate a = s.advocate();
            s.earn(a, Beneficiary.ADVOCATE, new Incentive.Points(500));
            s.earn(a, Beneficiary.REFERRED_PARTY, new Incentive.Points(100));

            assertThat(s.messages.runOnce()).isEqualTo(1);
            assertThat(outbox.sent.get(0).subject()).isEqualTo("You earned 500 points");
        }
    }

    @Nested
    @DisplayName("batched")
    class Batched {

        @Test
        @DisplayName("with a minimum interval, what happens within it leaves as one digest at its end")
        void minimumInterval() {
            World s = world(b -> b.defaultPolicy(MessagePolicy.of(Delivery.minimumInterval(Duration.ofHours(1)),
                    MessageTopic.values())));
            Advocate a = s.advocate();
            Referral first = s.w.captured(a, s.program);
            assertThat(s.messages.runOnce()).isEqualTo(1);

            s.w.clock.advance(Duration.ofMinutes(10));
            s.move(first, Stage.CONTACTED, "");
            s.w.clock.advance(Duration.ofSeconds(1));
            s.w.captured(a, s.program);
            assertThat(s.messages.runOnce()).isZero();

            s.w.clock.advance(Duration.ofMinutes(49));
            assertThat(s.messages.runOnce()).isZero();
            s.w.clock.advance(Duration.ofMinutes(1));
            assertThat(s.messages.runOnce()).isEqualTo(1);

            Message digest = outbox.sent.get(1);
            assertThat(digest.isDigest()).isTrue();
            assertThat(digest.topics()).containsExactly(MessageTopic.REFERRAL_PROGRESSED,
                    MessageTopic.REFERRAL_RECEIVED);
            assertThat(digest.subject()).isEqualTo("2 updates from Customer Referrals");
            assertThat(digest.body()).contains("- Your referral of Initech is now at: contacted.\n")
                    .contains("- We received your referral of Initech. We will keep you posted.\n");
        }

        @Test
        @DisplayName("a daily digest leaves at the local time of its zone, and later events wait for the next day")
        void dailyDigest() {
            // T0 is 09:00 UTC, 10:00 in Berlin; the digest is at 18:00 Berlin time, 17:00 UTC in March
            World s = world(b -> b.defaultPolicy(MessagePolicy.of(Delivery.dailyDigest(LocalTime.of(18, 0),
                    ZoneId.of("Europe/Berlin")), MessageTopic.values())));
            Advocate a = s.advocate();
            Referral r = s.w.captured(a, s.program);
            s.w.clock.advance(Duration.ofHours(2));
            s.move(r, Stage.QUALIFIED, "");

            s.w.clock.set(Instant.parse("2025-03-03T16:59:59Z"));
            assertThat(s.messages.runOnce()).isZero();
            s.w.clock.set(Instant.parse("2025-03-03T17:30:00Z"));
            s.move(r, Stage.OPPORTUNITY, "");
            assertThat(s.messages.runOnce()).as("the two events of the day, and the late one with them").isEqualTo(1);
            assertThat(outbox.sent.get(0).topics()).hasSize(3);

            s.move(r, Stage.WON, "");
            assertThat(s.messages.runOnce()).isZero();
            s.w.clock.set(Instant.parse("2025-03-04T17:00:00Z"));
            assertThat(s.messages.runOnce()).isEqualTo(1);
            assertThat(outbox.sent.get(1).topics()).containsExactly(MessageTopic.REFERRAL_WON);
            assertThat(outbox.sent.get(1).isDigest()).isFalse();
        }

        @Test
        @DisplayName("the daily digest time follows the zone across a daylight-saving change")
        void digestAcrossDaylightSaving() {
            Delivery berlin = Delivery.dailyDigest(LocalTime.of(18, 0), ZoneId.of("Europe/Berlin"));
            // 29 March 2025 is the last day of CET (UTC+1); on 30 March Berlin is at UTC+2
            assertThat(berlin.dueAt(Instant.parse("2025-03-29T16:00:00Z"), null))
                    .isEqualTo(Instant.parse("2025-03-29T17:00:00Z"));
            assertThat(berlin.dueAt(Instant.parse("2025-03-29T17:30:00Z"), null))
                    .isEqualTo(Instant.parse("2025-03-30T16:00:00Z"));
            Delivery tokyo = Delivery.dailyDigest(LocalTime.of(9, 0), ZoneId.of("Asia/Tokyo"));
            assertThat(tokyo.dueAt(Instant.parse("2025-03-29T23:59:00Z"), null))
                    .isEqualTo(Instant.parse("2025-03-30T00:00:00Z"));
        }
    }

    @Nested
    @DisplayName("advocate-safe and opted-out")
    class Safe {

        @Test
        @DisplayName("an advocate who opts out before the message leaves gets nothing, and no new items")
        void optOut() {
            World s = world(b -> { });
            Advocate a = s.advocate();
            Referral r = s.w.captured(a, s.program);
            s.w.engine.optOut(a.id());
            s.move(r, Stage.CONTACTED, "");

            assertThat(s.messages.runOnce()).isZero();
            assertThat(outbox.attempts).isEmpty();
            assertThat(s.messages.items(a.id(), 10)).singleElement()
                    .satisfies(i -> assertThat(i.status()).isEqualTo(MessageStatus.DROPPED));
        }

        @Test
        @DisplayName("an advocate whose locale is German gets German messages")
        void german() {
            World s = world(b -> b.lossReason("Budget", "budget"));
            Advocate a = s.advocate("hans", Map.of("locale", "de-DE"));
            Referral r = s.w.captured(a, s.program);
            s.move(r, Stage.LOST, "budget");
            s.messages.runOnce();

            assertThat(outbox.sent).extracting(Message::locale).containsOnly(Locale.forLanguageTag("de-DE"));
            assertThat(outbox.sent.get(0).subject()).isEqualTo("Ihre Empfehlung von Initech ist eingegangen");
            assertThat(outbox.sent.get(0).body()).startsWith("Hallo Jane Doe,");
            assertThat(outbox.sent.get(1).body())
                    .contains("nicht zu einem Abschluss geführt: dafür gab es im Moment kein Budget.");
        }

        @Test
        @DisplayName("a CRM loss reason is shown in its mapped wording, an unmapped one in the default wording")
        void lossReasons() {
            World s = world(b -> b.lossReason("Lost to Competitor", "competitor"));
            Advocate a = s.advocate();
            Referral mapped = s.w.captured(a, s.program);
            Referral unmapped = s.w.captured(a, s.program);
            s.move(mapped, Stage.LOST, "  lost to competitor ");
            s.move(unmapped, Stage.LOST, "Champion fired; CFO Bob Slydell refused");
            s.messages.runOnce();

            List<String> bodies = outbox.sent.stream().filter(m -> m.topics().contains(MessageTopic.REFERRAL_LOST))
                    .map(Message::body).toList();
            assertThat(bodies).hasSize(2);
            assertThat(bodies.get(0)).contains("did not lead to a deal this time: they chose another solution.")
                    .doesNotContainIgnoringCase("lost to competitor");
            assertThat(bodies.get(1)).contains("this time: the timing was not right for them.")
                    .doesNotContain("Bob").doesNotContain("Champion");
            assertThat(s.messages.lossWording("LOST TO COMPETITOR")).isEqualTo("competitor");
        }

        @Test
        @DisplayName("a loss wording without a template is refused when the extension is built")
        void unknownWording() {
            assertThatThrownBy(() -> AdvocateMessages.builder(outbox).lossReason("x", "no_such_wording").build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("loss.no_such_wording");
        }

        @Test
        @DisplayName("erasing an advocate deletes their message items")
        void erasure() {
            World s = world(b -> { });
            Advocate a = s.advocate();
            s.w.captured(a, s.program);
            s.w.engine.eraseAdvocate(a.id());
            assertThat(s.messages.items(a.id(), 10)).isEmpty();
            assertThat(s.messages.runOnce()).isZero();
        }
    }

    @Nested
    @DisplayName("at least once")
    class AtLeastOnce {

        @Test
        @DisplayName("a failed send is retried after the backoff with the same delivery key")
        void retry() {
            World s = world(b -> b.retry(Duration.ofMinutes(1), Duration.ofHours(1), 5));
            Advocate a = s.advocate();
            s.w.captured(a, s.program);
            outbox.failuresLeft = 1;

            assertThat(s.messages.runOnce()).isZero();
            MessageItem failed = s.messages.items(a.id(), 1).get(0);
            assertThat(failed.status()).isEqualTo(MessageStatus.PENDING);
            assertThat(failed.attempts()).isEqualTo(1);
            assertThat(failed.lastError()).contains("mail server unavailable");

            s.w.clock.advance(Duration.ofSeconds(59));
            assertThat(s.messages.runOnce()).isZero();
            s.w.clock.advance(Duration.ofSeconds(1));
            assertThat(s.messages.runOnce()).isEqualTo(1);
            assertThat(outbox.attempts).hasSize(2).containsOnly(outbox.sent.get(0).deliveryKey());
        }

        @Test
        @DisplayName("a digest that failed is sent again as it was, even when more events came in meanwhile")
        void digestStaysTheSame() {
            World s = world(b -> b.defaultPolicy(MessagePolicy.of(Delivery.minimumInterval(Duration.ofHours(1)),
                    MessageTopic.values())));
            Advocate a = s.advocate();
            Referral r = s.w.captured(a, s.program);
            s.move(r, Stage.CONTACTED, "");
            outbox.failuresLeft = 1;
            assertThat(s.messages.runOnce()).isZero();

            s.move(r, Stage.QUALIFIED, "");
            s.w.clock.advance(Duration.ofMinutes(1));
            assertThat(s.messages.runOnce()).as("the retried digest, and the new event (nothing was sent before)")
                    .isEqualTo(2);
            Message retried = outbox.sent.stream().filter(m -> m.deliveryKey().equals(outbox.attempts.get(0)))
                    .findFirst().orElseThrow();
            assertThat(retried.topics()).containsExactly(MessageTopic.REFERRAL_RECEIVED,
                    MessageTopic.REFERRAL_PROGRESSED);
            assertThat(outbox.sent).filteredOn(m -> m != retried).singleElement()
                    .satisfies(m -> assertThat(m.topics()).containsExactly(MessageTopic.REFERRAL_PROGRESSED));
        }

        @Test
        @DisplayName("a run that dies while sending leaves the message to be sent again after the lease")
        void crash() {
            World s = world(b -> b.lease(Duration.ofMinutes(5)));
            s.w.captured(s.advocate(), s.program);
            outbox.crash = true;
            assertThatThrownBy(s.messages::runOnce).isInstanceOf(AssertionError.class);
            outbox.crash = false;

            assertThat(s.messages.runOnce()).as("leased").isZero();
            s.w.clock.advance(Duration.ofMinutes(5));
            assertThat(s.messages.runOnce()).isEqualTo(1);
            assertThat(outbox.attempts).hasSize(2).containsOnly(outbox.sent.get(0).deliveryKey());
        }

        @Test
        @DisplayName("a message the sender keeps refusing is dropped once the backoff gives up")
        void givesUp() {
            World s = world(b -> b.retry(Duration.ofMinutes(1), Duration.ofMinutes(1), 2));
            Advocate a = s.advocate();
            s.w.captured(a, s.program);
            outbox.failuresLeft = 10;
            s.messages.runOnce();
            s.w.clock.advance(Duration.ofMinutes(1));
            s.messages.runOnce();
            s.w.clock.advance(Duration.ofMinutes(1));
            assertThat(s.messages.runOnce()).isZero();
            assertThat(outbox.attempts).hasSize(2);
            MessageItem item = s.messages.items(a.id(), 1).get(0);
            assertThat(item.status()).isEqualTo(MessageStatus.DROPPED);
            assertThat(item.attempts()).isEqualTo(2);
        }

        @Test
        @DisplayName("sent items are deleted once older than the retention; pending ones never")
        void retention() {
            World s = world(b -> b.retention(Duration.ofDays(7)));
            Advocate a = s.advocate();
            s.w.captured(a, s.program);
            s.messages.runOnce();
            outbox.failuresLeft = 100;
            s.w.clock.advance(Duration.ofDays(1));
            s.w.captured(a, s.program);
            s.messages.runOnce();

            s.w.clock.advance(Duration.ofDays(7));
            s.messages.runOnce();
            List<MessageItem> left = new ArrayList<>(s.messages.items(a.id(), 10));
            assertThat(left).singleElement().satisfies(i -> assertThat(i.status()).isEqualTo(MessageStatus.PENDING));
        }
    }
}
