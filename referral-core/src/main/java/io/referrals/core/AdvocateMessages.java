package io.referrals.core;

import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.PointsBalanceChanged;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.event.RewardApproved;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.StageChanged;
import io.referrals.core.extension.Extension;
import io.referrals.core.extension.Installation;
import io.referrals.core.extension.TransactionRunner;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.messages.Delivery;
import io.referrals.core.messages.Message;
import io.referrals.core.messages.MessageItem;
import io.referrals.core.messages.MessagePolicy;
import io.referrals.core.messages.MessageSender;
import io.referrals.core.messages.MessageStatus;
import io.referrals.core.messages.MessageTemplates;
import io.referrals.core.messages.MessageTopic;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.ReferralId;
import io.referrals.core.storage.StoreTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages to advocates: the events of their referrals and rewards, turned into messages in the advocate's language and
 * handed to the host's {@link MessageSender} (e-mail, Slack, an in-app inbox). An {@link Extension} of the engine,
 * configured with {@link #builder}; immutable and thread-safe.
 *
 * <p>How it works:
 * <ul>
 *   <li><b>Durable.</b> Installed on the engine, it turns each event a unit of work emits into a pending
 *       {@link MessageItem} in the same transaction (a {@link ReferralHook#beforeCommit} hook), whether the engine
 *       delivers events in-process or through the outbox: an event that commits has its item, one that rolls back has
 *       none, and a crash loses nothing. Which events become items is the program's {@link MessagePolicy}: the topics
 *       it covers ({@link MessageTopic}), for advocates not opted out; rewards for the referred party are not
 *       messages to the advocate.</li>
 *   <li><b>Sent by {@link #runOnce()}</b>, which the host schedules (every minute, say, from its scheduler or a
 *       {@code ScheduledExecutorService}; several processes may run it at once, and a run whose transaction loses a race
 *       with another's, as a deadlock or serialisation failure, runs that transaction again). It claims due items, composes one
 *       message per item ({@link Delivery#immediate()}) or one per advocate and program gathering everything pending
 *       ({@link Delivery#minimumInterval}, {@link Delivery#dailyDigest}), sends it outside any transaction, and
 *       records the outcome. Time is the engine's clock.</li>
 *   <li><b>At least once, keyed.</b> An item is marked sent only after the sender returned. A sender that throws, or
 *       a crash before the outcome is recorded, leads to the same message (same {@link Message#deliveryKey()}, same
 *       items) being sent again after the retry delay or the claim's lease, so the sender can drop duplicates. When the
 *       retries give up, the items are {@linkplain MessageStatus#DROPPED dropped} and a WARN is logged.</li>
 *   <li><b>Opt-out.</b> An advocate who is opted out when the event happens gets no item; one who opts out (or is
 *       erased) before the message leaves gets nothing: the items are dropped.</li>
 *   <li><b>Advocate-safe.</b> A prospect appears only by its company name, read when the message is composed (so a
 *       prospect erased meanwhile does not appear). A lost referral's CRM reason is never shown: it is mapped to a
 *       wording ({@link Builder#lossReason}), or the default wording.</li>
 *   <li><b>Bounded.</b> A run claims at most {@linkplain Builder#batchSize the batch size} of items, a digest holds at
 *       most 50 events (the rest follow in the next one), and each run deletes up to 500 sent or dropped items older
 *       than the {@linkplain Builder#retention retention}.</li>
 * </ul>
 */
public final class AdvocateMessages {
    private static final Logger LOG = LoggerFactory.getLogger(AdvocateMessages.class);
    private static final int MAX_DIGEST = 50;
    private static final int RETENTION_BATCH = 500;
    private static final Pattern WORDING = Pattern.compile("[a-z0-9_]{1,64}");

    private final TransactionRunner store;
    private final Clock clock;
    private final Settings settings;

    private AdvocateMessages(Installation installation, Settings settings) {
        this.store = installation.transactions();
        this.clock = installation.clock();
        this.settings = settings;
        installation.hook(new ItemHook());
        LOG.debug("advocate messages installed: {} program policies, {} loss-reason mappings",
                settings.policies.size(), settings.lossWordings.size());
    }

    /** A builder sending through {@code sender}; its {@link Builder#build()} is the extension to install. */
    public static Builder builder(MessageSender sender) {
        return new Builder(sender);
    }

    /** The policy of {@code programId}. */
    public MessagePolicy policy(ProgramId programId) {
        return settings.policy(Objects.requireNonNull(programId, "programId"));
    }

    /** The advocate-safe wording key a CRM loss reason maps to: its mapping, or {@code default}. */
    public String lossWording(String crmReason) {
        return settings.lossWording(Objects.requireNonNull(crmReason, "crmReason"));
    }

    /**
     * Up to {@code limit} of an advocate's message items, newest first, any status: what was and will be sent.
     *
     * @throws IllegalArgumentException if {@code limit} is not 1 to 1000
     */
    public List<MessageItem> items(AdvocateId advocateId, int limit) {
        Objects.requireNonNull(advocateId, "advocateId");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1 to 1000: " + limit);
        }
        return inStore(tx -> tx.messages().ofAdvocate(advocateId, limit));
    }

    /**
     * Sends what is due now, as the class documentation describes, and deletes old finished items. The host calls
     * it on a schedule; it returns quickly when nothing is due. A failing sender is contained (logged at WARN, retried
     * later); a failing store throws.
     *
     * @return how many messages the sender accepted in this run
     */
    public int runOnce() {
        Instant now = clock.instant();
        List<List<MessageItem>> batches = inStore(tx -> claim(tx, now));
        int sent = 0;
        for (List<MessageItem> batch : batches) {
            if (deliver(batch)) {
                sent++;
            }
        }
        int deleted = inStore(tx -> tx.messages().deleteFinished(now.minus(settings.retention),
                RETENTION_BATCH));
        if (!batches.isEmpty() || deleted > 0) {
            LOG.debug("advocate messages: {} of {} messages sent, {} old items deleted", sent, batches.size(), deleted);
        }
        return sent;
    }

    /**
     * One store transaction, run again when it loses a race with another process's run (a deadlock or serialisation
     * failure, which MariaDB reports when two runs claim or record the same items): each is safe to repeat, since a
     * claim lists again and every write is conditional on the item's version.
     */
    private <T> T inStore(Function<StoreTransaction, T> work) {
        return EngineTransactions.retrying(() -> store.inStore(work));
    }

    /** Claims due items in batches: a batch is one message, its id the key of the first item claimed into it. */
    private List<List<MessageItem>> claim(StoreTransaction tx, Instant now) {
        Instant leaseUntil = now.plus(settings.lease);
        List<List<MessageItem>> out = new ArrayList<>();
        Set<String> taken = new java.util.HashSet<>();
        for (MessageItem due : tx.messages().due(now, settings.batchSize)) {
            if (taken.contains(due.key())) {
                continue;
            }
            List<MessageItem> members;
            String batchId;
            if (!due.batchId().isEmpty()) {
                batchId = due.batchId();
                members = tx.messages().batch(batchId, MAX_DIGEST).stream()
                        .filter(m -> m.status() == MessageStatus.PENDING).toList();
            } else if (policy(due.programId()).delivery() instanceof Delivery.Immediate) {
                batchId = due.key();
                members = List.of(due);
            } else {
                members = tx.messages().unbatched(due.advocateId(), due.programId(), MAX_DIGEST);
                if (!members.contains(due)) {
                    members = List.of(due);
                }
                batchId = null;   // the key of the first member this run claims: see below
            }
            List<MessageItem> claimed = new ArrayList<>(members.size());
            for (MessageItem m : members) {
                if (taken.add(m.key())) {
                    // A new batch is named after the first item this run manages to claim, never after one another
                    // run may have claimed meanwhile: two overlapping runs then never send different messages under
                    // one delivery key (which a sender would drop as a duplicate).
                    MessageItem c = m.claimed(batchId == null ? m.key() : batchId, leaseUntil, now);
                    if (tx.messages().update(c)) {
                        claimed.add(c);
                        batchId = c.batchId();
                    }
                }
            }
            if (!claimed.isEmpty()) {
                out.add(claimed);
            }
        }
        return out;
    }

    /** Composes and sends one batch, then records the outcome; true when the sender accepted it. */
    private boolean deliver(List<MessageItem> batch) {
        MessageItem first = batch.get(0);
        Optional<Message> message = inStore(tx -> compose(tx, batch));
        if (message.isEmpty()) {
            record(batch, m -> m.dropped(clock.instant(), "advocate opted out or erased"));
            return false;
        }
        try {
            settings.sender.send(message.get());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException e) {
            int failures = first.attempts() + 1;
            Optional<Duration> delay = settings.delayAfter(failures);
            Instant now = clock.instant();
            String error = e.getClass().getName() + ": " + Objects.toString(e.getMessage(), "");
            if (delay.isPresent()) {
                LOG.warn("message {} to advocate {} failed (attempt {}); retrying at {}", first.batchId(),
                        first.advocateId(), failures, now.plus(delay.get()), e);
                record(batch, m -> m.failed(error, now.plus(delay.get()), now));
            } else {
                LOG.warn("message {} to advocate {} failed {} times; dropped", first.batchId(), first.advocateId(),
                        failures, e);
                record(batch, m -> m.gaveUp(error, now));
            }
            return false;
        }
        Instant at = clock.instant();
        record(batch, m -> m.sent(at));
        return true;
    }

    private void record(List<MessageItem> batch, java.util.function.UnaryOperator<MessageItem> change) {
        inStore(tx -> {
            for (MessageItem m : batch) {
                if (!tx.messages().update(change.apply(m))) {
                    LOG.debug("message item {} changed meanwhile (its claim lapsed); outcome not recorded", m.key());
                }
            }
            return null;
        });
    }

    /** The message of {@code batch}, or empty if the advocate is gone or opted out. */
    private Optional<Message> compose(StoreTransaction tx, List<MessageItem> batch) {
        MessageItem first = batch.get(0);
        Optional<Advocate> advocate = tx.advocates().get(first.advocateId());
        if (advocate.isEmpty() || advocate.get().optedOut()) {
            return Optional.empty();
        }
        Advocate a = advocate.get();
        Locale locale = settings.locale(a);
        String programName = tx.programs().get(first.programId()).map(Program::name).orElse("");
        Map<String, String> common = Map.of("advocateName", a.displayName(), "programName", programName);
        MessageTemplates t = settings.templates;
        List<String> lines = new ArrayList<>(batch.size());
        List<MessageTopic> topics = new ArrayList<>(batch.size());
        Map<String, String> firstValues = null;
        for (MessageItem m : batch) {
            Map<String, String> values = values(tx, t, locale, m, common);
            if (firstValues == null) {
                firstValues = values;
            }
            lines.add(t.render(locale, m.topic().key() + ".line", values));
            topics.add(m.topic());
        }
        String subject;
        StringBuilder body = new StringBuilder();
        body.append(t.render(locale, "greeting", common)).append("\n\n");
        if (batch.size() == 1) {
            subject = t.render(locale, first.topic().key() + ".subject", firstValues);
            body.append(lines.get(0)).append("\n\n");
        } else {
            Map<String, String> digest = new HashMap<>(common);
            digest.put("count", Integer.toString(batch.size()));
            subject = t.render(locale, "digest.subject", digest);
            for (String line : lines) {
                body.append("- ").append(line).append('\n');
            }
            body.append('\n');
        }
        body.append(t.render(locale, "signoff", common));
        return Optional.of(new Message(first.batchId(), a.id(), a.email(), first.programId(), locale, subject,
                body.toString(), topics));
    }

    /** The placeholder values of one item in {@code locale}. */
    private static Map<String, String> values(StoreTransaction tx, MessageTemplates t, Locale locale, MessageItem m,
            Map<String, String> common) {
        Map<String, String> stored = m.values();
        Map<String, String> v = new HashMap<>(common);
        String referral = stored.getOrDefault("referralId", "");
        if (!referral.isEmpty()) {
            v.put("company", tx.referrals().get(ReferralId.of(referral)).map(r -> r.prospect().company())
                    .filter(c -> !c.isEmpty()).orElseGet(() -> t.text(locale, "company.unknown").orElse("")));
        }
        String stage = stored.getOrDefault("stage", "");
        if (!stage.isEmpty()) {
            v.put("stage", t.text(locale, "stage." + stage).orElse(stage));
        }
        String wording = stored.getOrDefault("lossWording", "");
        if (!wording.isEmpty()) {
            v.put("reason", t.text(locale, "loss." + wording).or(() -> t.text(locale, "loss.default")).orElse(""));
        }
        String rewardKind = stored.getOrDefault("rewardKind", "");
        if (!rewardKind.isEmpty()) {
            v.put("reward", t.render(locale, "reward." + rewardKind, Map.of("amount",
                    stored.getOrDefault("rewardAmount", ""), "name", stored.getOrDefault("rewardName", ""))));
        }
        for (String k : List.of("points", "balance")) {
            if (stored.containsKey(k)) {
                v.put(k, stored.get(k));
            }
        }
        return v;
    }

    /** Turns the events of a unit of work into pending items, in its transaction. */
    private final class ItemHook implements ReferralHook {
        @Override
        public void beforeCommit(UnitOfWork work, List<ReferralEvent> events) {
            Map<ProgramId, Optional<Program>> programs = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                ReferralEvent e = events.get(i);
                Draft d = draft(work.store(), programs, e);
                if (d == null || d.advocate.optedOut()) {
                    continue;
                }
                MessagePolicy policy = settings.policy(d.programId);
                if (!policy.covers(d.topic)) {
                    continue;
                }
                Instant lastSent = policy.delivery() instanceof Delivery.MinimumInterval
                        ? work.store().messages().lastSent(d.advocate.id(), d.programId).orElse(null) : null;
                Instant due = policy.delivery().dueAt(work.now(), lastSent);
                // the position first, so that the items of one unit of work sort in the order of their events
                String key = String.format(Locale.ROOT, "%04d/%s/%s", i, e.metadata().id().value(),
                        d.advocate.id().value());
                work.store().messages().insert(MessageItem.pending(key, d.advocate.id(), d.programId, d.topic,
                        d.values, work.now(), due));
            }
        }

        private Draft draft(StoreTransaction tx, Map<ProgramId, Optional<Program>> programs, ReferralEvent e) {
            if (e instanceof ReferralSubmitted s) {
                return referral(s.referral(), MessageTopic.REFERRAL_RECEIVED, Map.of());
            }
            if (e instanceof ReferralReopened r) {
                return referral(r.referral(), MessageTopic.REFERRAL_PROGRESSED,
                        Map.of("stage", r.transition().to().name()));
            }
            if (e instanceof StageChanged c) {
                Optional<Outcome> outcome = programs.computeIfAbsent(c.referral().programId(),
                        id -> tx.programs().get(id)).flatMap(p -> p.pipeline().outcome(c.transition().to()));
                if (outcome.isEmpty()) {
                    return referral(c.referral(), MessageTopic.REFERRAL_PROGRESSED,
                            Map.of("stage", c.transition().to().name()));
                }
                return switch (outcome.get()) {
                    case WON -> referral(c.referral(), MessageTopic.REFERRAL_WON, Map.of());
                    case LOST -> referral(c.referral(), MessageTopic.REFERRAL_LOST,
                            Map.of("lossWording", settings.lossWording(c.transition().reason())));
                    case REJECTED -> null;
                };
            }
            if (e instanceof RewardEarned r) {
                return reward(r.advocate(), r.reward(), MessageTopic.REWARD_EARNED);
            }
            if (e instanceof RewardApproved r) {
                return reward(r.advocate(), r.reward(), MessageTopic.REWARD_APPROVED);
            }
            if (e instanceof RewardFulfilled r) {
                return reward(r.advocate(), r.reward(), MessageTopic.REWARD_FULFILLED);
            }
            if (e instanceof PointsBalanceChanged p && !p.entry().rewardId().isEmpty()) {
                Optional<Reward> reward = tx.rewards().get(RewardId.of(p.entry().rewardId()));
                if (reward.isEmpty()) {
                    return null;
                }
                long points = p.entry().points();
                return new Draft(p.advocate(), reward.get().programId(), MessageTopic.POINTS_CHANGED,
                        Map.of("points", (points > 0 ? "+" : "") + points, "balance", Long.toString(p.balance())));
            }
            return null;
        }

        private Draft referral(ReferralSummary r, MessageTopic topic, Map<String, String> extra) {
            Map<String, String> values = new HashMap<>(extra);
            values.put("referralId", r.referralId().value());
            return new Draft(r.advocate(), r.programId(), topic, values);
        }

        private Draft reward(AdvocateSummary advocate, Reward reward, MessageTopic topic) {
            if (reward.beneficiary() != Beneficiary.ADVOCATE) {
                return null;
            }
            return new Draft(advocate, reward.programId(), topic, describe(reward.incentive()));
        }
    }

    /** How an incentive reads, without words: kind, amount and name for the {@code reward.<kind>} template. */
    static Map<String, String> describe(Incentive incentive) {
        Map<String, String> v = new LinkedHashMap<>();
        if (incentive instanceof Incentive.Points p) {
            v.put("rewardKind", "points");
            v.put("rewardAmount", Long.toString(p.points()));
        } else if (incentive instanceof Incentive.Cash c) {
            v.put("rewardKind", c.accountCredit() ? "credit" : "cash");
            v.put("rewardAmount", money(c.amount()));
        } else if (incentive instanceof Incentive.Discount d) {
            v.put("rewardKind", "discount");
            v.put("rewardAmount", d.percentOff() != null ? d.percentOff().stripTrailingZeros().toPlainString() + "%"
                    : money(d.amountOff()));
        } else if (incentive instanceof Incentive.GiftCard g) {
            v.put("rewardKind", "gift_card");
            v.put("rewardAmount", money(g.amount()));
            v.put("rewardName", g.brand());
        } else if (incentive instanceof Incentive.Donation d) {
            v.put("rewardKind", "donation");
            v.put("rewardAmount", money(d.amount()));
            v.put("rewardName", d.charity());
        } else if (incentive instanceof Incentive.Perk p) {
            v.put("rewardKind", "perk");
            v.put("rewardName", p.description().isEmpty() ? p.kind() : p.description());
        } else if (incentive instanceof Incentive.Custom c) {
            v.put("rewardKind", "custom");
            v.put("rewardName", c.type());
        }
        return v;
    }

    private static String money(Money m) {
        return m.amount().toPlainString() + " " + m.currency().getCurrencyCode();
    }

    /** What one event becomes before the policy is applied. */
    private record Draft(AdvocateSummary advocate, ProgramId programId, MessageTopic topic, Map<String, String> values) {
    }

    /** The built configuration. */
    private record Settings(MessageSender sender, MessageTemplates templates, MessagePolicy defaultPolicy,
            Map<ProgramId, MessagePolicy> policies, Locale defaultLocale, String localeAttribute,
            Map<String, String> lossWordings, Duration retryInitial, Duration retryMax, int maxAttempts,
            Duration lease, int batchSize, Duration retention) {

        /** The delay after {@code failures} failed attempts: doubling from the initial one up to the maximum. */
        Optional<Duration> delayAfter(int failures) {
            if (failures >= maxAttempts) {
                return Optional.empty();
            }
            Duration d = retryInitial;
            for (int i = 1; i < failures && d.compareTo(retryMax) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return Optional.of(d.compareTo(retryMax) > 0 ? retryMax : d);
        }

        MessagePolicy policy(ProgramId id) {
            return policies.getOrDefault(id, defaultPolicy);
        }

        String lossWording(String crmReason) {
            return lossWordings.getOrDefault(normalise(crmReason), "default");
        }

        Locale locale(Advocate a) {
            String tag = a.attributes().getOrDefault(localeAttribute, "").strip();
            if (tag.isEmpty()) {
                return defaultLocale;
            }
            Locale l = Locale.forLanguageTag(tag.replace('_', '-'));
            return l.getLanguage().isEmpty() ? defaultLocale : l;
        }
    }

    private static String normalise(String crmReason) {
        return crmReason.strip().toLowerCase(Locale.ROOT);
    }

    /** Configures {@link AdvocateMessages}. Not thread-safe. */
    public static final class Builder {
        private final MessageSender sender;
        private MessageTemplates templates = MessageTemplates.shipped();
        private MessagePolicy defaultPolicy = MessagePolicy.DEFAULT;
        private final Map<ProgramId, MessagePolicy> policies = new HashMap<>();
        private Locale defaultLocale = Locale.ENGLISH;
        private String localeAttribute = "locale";
        private final Map<String, String> lossWordings = new HashMap<>();
        private Duration retryInitial = Duration.ofMinutes(1);
        private Duration retryMax = Duration.ofHours(6);
        private int maxAttempts = 12;
        private Duration lease = Duration.ofMinutes(5);
        private int batchSize = 100;
        private Duration retention = Duration.ofDays(30);

        private Builder(MessageSender sender) {
            this.sender = Objects.requireNonNull(sender, "sender");
        }

        /** The templates; the default is {@link MessageTemplates#shipped()}. */
        public Builder templates(MessageTemplates templates) {
            this.templates = Objects.requireNonNull(templates, "templates");
            return this;
        }

        /** The policy of programs without their own; the default is {@link MessagePolicy#DEFAULT}. */
        public Builder defaultPolicy(MessagePolicy policy) {
            this.defaultPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The policy of one program. */
        public Builder policy(ProgramId programId, MessagePolicy policy) {
            policies.put(Objects.requireNonNull(programId, "programId"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** The language of advocates who have none; the default is English. */
        public Builder defaultLocale(Locale locale) {
            this.defaultLocale = Objects.requireNonNull(locale, "locale");
            return this;
        }

        /**
         * The advocate attribute ({@link Advocate#attributes()}) holding the advocate's language as a BCP 47 tag such
         * as {@code de} or {@code de-CH}; the default is {@code locale}.
         *
         * @throws IllegalArgumentException if {@code name} is blank
         */
        public Builder localeAttribute(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("localeAttribute must not be blank");
            }
            this.localeAttribute = name;
            return this;
        }

        /**
         * Maps a CRM loss reason (the reason of the transition to a lost stage, compared ignoring case and surrounding
         * blanks) to an advocate-safe wording: the template {@code loss.<wording>}. Shipped wordings: {@code timing},
         * {@code budget}, {@code no_decision}, {@code competitor}, {@code not_a_fit}, {@code unresponsive}; a host adds
         * its own with {@link MessageTemplates.Builder#template}. An unmapped reason reads as {@code loss.default}; the
         * CRM's text itself never reaches an advocate.
         *
         * @throws IllegalArgumentException if {@code wording} is not 1-64 characters of {@code a-z0-9_}
         */
        public Builder lossReason(String crmReason, String wording) {
            Objects.requireNonNull(crmReason, "crmReason");
            Objects.requireNonNull(wording, "wording");
            if (!WORDING.matcher(wording).matches()) {
                throw new IllegalArgumentException("wording must be 1-64 characters of a-z, 0-9 and _: " + wording);
            }
            lossWordings.put(normalise(crmReason), wording);
            return this;
        }

        /**
         * When a failed message is tried again, and when to give up and drop it: after {@code initial}, doubling up to
         * {@code max}, dropped once {@code maxAttempts} attempts have failed. The default is one minute doubling up
         * to six hours, giving up after 12 failed attempts.
         *
         * @throws IllegalArgumentException if a duration is not positive, {@code max} is below {@code initial}, or
         *     {@code maxAttempts} is below 1
         */
        public Builder retry(Duration initial, Duration max, int maxAttempts) {
            positive(initial, "initial");
            positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max must not be below initial");
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
            }
            this.retryInitial = initial;
            this.retryMax = max;
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * How long a claimed message is left to its run before another run may send it again; longer than a run's
         * sending takes. The default is five minutes.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder lease(Duration lease) {
            this.lease = positive(lease, "lease");
            return this;
        }

        /**
         * At most this many due items are claimed per {@link AdvocateMessages#runOnce()}, 1 to 1000; the default is
         * 100.
         *
         * @throws IllegalArgumentException if out of range
         */
        public Builder batchSize(int size) {
            if (size < 1 || size > 1000) {
                throw new IllegalArgumentException("batchSize must be 1 to 1000: " + size);
            }
            this.batchSize = size;
            return this;
        }

        /**
         * How long sent and dropped items are kept before a run deletes them; the default is 30 days. Keep it longer
         * than the longest minimum interval: the last sent item tells when the next message may leave.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder retention(Duration retention) {
            this.retention = positive(retention, "retention");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }

        /**
         * The extension: install it with {@link ReferralEngine.Builder#install}, get the service with
         * {@link ReferralEngine#extension}. Later changes to this builder do not affect it.
         *
         * @throws IllegalStateException if a mapped loss wording has no template in the default locale
         */
        public Extension<AdvocateMessages> build() {
            for (String wording : new LinkedHashSet<>(lossWordings.values())) {
                if (templates.text(defaultLocale, "loss." + wording).isEmpty()) {
                    throw new IllegalStateException("loss wording " + wording + " has no template loss." + wording
                            + " in " + defaultLocale.toLanguageTag());
                }
            }
            Settings s = new Settings(sender, templates, defaultPolicy, Map.copyOf(policies), defaultLocale,
                    localeAttribute, Map.copyOf(lossWordings), retryInitial, retryMax, maxAttempts, lease, batchSize,
                    retention);
            return installation -> new AdvocateMessages(installation, s);
        }
    }
}
