package io.referrals.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Reward;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.CatalogueItem;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Limit;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.internal.Replays;
import io.referrals.rules.result.RedemptionResult;
import io.referrals.rules.result.RuleOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Invariants of the points ledger, exactly-once payment and caps, over random sequences of events. */
class RewardsProperties {
    private static final Instant FROM = Instant.parse("2026-01-01T00:00:00Z");

    /** One step of a random sequence: what to do, and a number to choose with. */
    record Step(int kind, int pick) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Arbitraries.integers().between(0, 5).flatMap(kind -> Arbitraries.integers().between(0, 40)
                .map(pick -> new Step(kind, pick))).list().ofMinSize(1).ofMaxSize(40);
    }

    private static RuleSet ledgerRules() {
        return RuleSet.builder(Fixture.CUSTOMERS, 1).effectiveFrom(FROM)
                .rule(Rule.builder("review").when(Trigger.repeatableEvent("review")).advocate(Give.points(100))
                        .build())
                .rule(Rule.builder("won").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(250))
                        .clawbackWithin(Duration.ofDays(60)).build())
                .item(CatalogueItem.builder("mug").name("A mug").cost(300).give(Give.perk("mug", "A mug")))
                .pointsExpireAfter(Duration.ofDays(30))
                .build();
    }

    @Property(tries = 60)
    @Label("the balance is always the sum of the ledger, never negative, and a refused redemption writes nothing")
    void ledgerInvariantsHoldForAnySequenceOfEarnRedeemExpireAndReverse(@ForAll("steps") List<Step> steps) {
        Fixture f = new Fixture(ledgerRules());
        Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        List<Referral> won = new ArrayList<>();
        List<String> redemptionKeys = new ArrayList<>();
        int n = 0;
        for (Step s : steps) {
            n++;
            switch (s.kind()) {
                case 0 -> f.rewards.recordEvent(a.id(), Fixture.CUSTOMERS, "review", "review-" + n);
                case 1 -> {
                    Referral r = f.refer(a, Fixture.CUSTOMERS);
                    f.move(r, "won");
                    won.add(r);
                }
                case 2, 5 -> {
                    String key = s.kind() == 5 && !redemptionKeys.isEmpty()
                            ? redemptionKeys.get(s.pick() % redemptionKeys.size()) : "redeem-" + n;
                    int before = f.rewards.ledger(a.id()).size();
                    RedemptionResult result = f.rewards.redeem(a.id(), Fixture.CUSTOMERS, "mug", key);
                    if (result instanceof RedemptionResult.Refused) {
                        assertThat(f.rewards.ledger(a.id())).hasSize(before);
                    } else {
                        redemptionKeys.add(key);
                        RedemptionResult.Redeemed redeemed = (RedemptionResult.Redeemed) result;
                        assertThat(f.rewards.ledger(a.id())).hasSize(redeemed.replayed() ? before : before + 1);
                    }
                }
                case 3 -> {
                    f.clock.advance(Duration.ofDays(1 + s.pick() % 20));
                    f.rewards.expirePoints(a.id(), Fixture.CUSTOMERS);
                }
                default -> {
                    if (!won.isEmpty()) {
                        f.rewards.reverse(won.get(s.pick() % won.size()).id(), Reason.of("refund", "Refunded."));
                    }
                }
            }
            List<LedgerEntry> ledger = f.rewards.ledger(a.id());
            long balance = f.rewards.balance(a.id());
            assertThat(balance).isEqualTo(ledger.stream().mapToLong(LedgerEntry::points).sum());
            assertThat(balance).isNotNegative();
        }
    }

    @Property(tries = 60)
    @Label("replaying stage changes and host events in any order pays each rule-milestone once")
    void replaysInAnyInterleavingPayEachRuleMilestoneOnce(@ForAll("steps") List<Step> steps) {
        RuleSet rules = RuleSet.builder(Fixture.CUSTOMERS, 1).effectiveFrom(FROM)
                .rule(Rule.builder("won").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(250)).build())
                .rule(Rule.builder("review").when(Trigger.event("review")).advocate(Give.points(100)).build())
                .build();
        Fixture f = new Fixture(rules);
        Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        List<Referral> referrals = new ArrayList<>();
        List<Referral> won = new ArrayList<>();
        boolean reviewed = false;
        int n = 0;
        for (Step s : steps) {
            n++;
            switch (s.kind()) {
                case 0 -> referrals.add(f.refer(a, Fixture.CUSTOMERS));
                case 1, 2 -> {
                    List<Referral> open = referrals.stream().filter(r -> !won.contains(r)).toList();
                    if (!open.isEmpty()) {
                        Referral r = open.get(s.pick() % open.size());
                        f.move(r, "won");
                        won.add(r);
                    }
                }
                case 3, 4 -> {
                    if (!won.isEmpty()) {
                        replayWon(f, a, won.get(s.pick() % won.size()));
                    }
                }
                default -> {
                    f.rewards.recordEvent(a.id(), Fixture.CUSTOMERS, "review", "review-" + (n % 3));
                    reviewed = true;
                }
            }
        }
        Map<String, Integer> paid = new HashMap<>();
        for (Reward r : f.rewards.rewardsOf(a.id())) {
            paid.merge(r.ruleId() + "|" + r.source().id() + "|" + r.milestone(), 1, Integer::sum);
        }
        assertThat(paid.values()).allMatch(count -> count == 1);
        assertThat(f.rewards.balance(a.id())).isEqualTo(250L * won.size() + (reviewed ? 100 : 0));
    }

    private static void replayWon(Fixture f, Advocate a, Referral r) {
        Referral current = f.engine.referral(r.id()).orElseThrow();
        f.engine.transactions().inTransaction(w -> {
            RuleOutcome o = Replays.replayStage(f.rewardsEngine.book(), w,
                    f.engine.program(Fixture.CUSTOMERS).orElseThrow(), a, current, "won", Stage.WON);
            assertThat(o.status()).isEqualTo(RuleOutcome.Status.DUPLICATE);
            return null;
        });
    }

    @Property(tries = 60)
    @Label("caps are never exceeded for any sequence of wins under any cap configuration")
    void capsAreNeverExceeded(@ForAll @IntRange(min = 1, max = 5) int perMonth,
            @ForAll @LongRange(min = 100, max = 3000) long budget,
            @ForAll @LongRange(min = 1, max = 700) long points,
            @ForAll @Size(max = 25) List<@IntRange(min = 0, max = 12) Integer> daysBetweenWins) {
        RuleSet rules = RuleSet.builder(Fixture.CUSTOMERS, 1).effectiveFrom(FROM)
                .rule(Rule.builder("won").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(points))
                        .limit(Limit.perAdvocate("monthly").perMonth().maxCount(perMonth))
                        .limit(Limit.pointsBudget("budget", budget)).build())
                .build();
        Fixture f = new Fixture(rules);
        Advocate a = f.advocate("ann", AdvocateKind.CUSTOMER, Fixture.CUSTOMERS);
        for (int days : daysBetweenWins) {
            f.clock.advance(Duration.ofDays(days));
            f.move(f.refer(a, Fixture.CUSTOMERS), "won");
        }
        List<Reward> rewards = f.rewards.rewardsOf(a.id());
        Map<String, Integer> perMonthCount = new HashMap<>();
        long total = 0;
        for (Reward r : rewards) {
            LocalDate d = LocalDate.ofInstant(r.createdAt(), ZoneOffset.UTC);
            perMonthCount.merge(d.getYear() + "-" + d.getMonthValue(), 1, Integer::sum);
            total += ((Incentive.Points) r.incentive()).points();
        }
        assertThat(perMonthCount.values()).allMatch(count -> count <= perMonth);
        assertThat(total).isLessThanOrEqualTo(budget);
        assertThat(f.rewards.balance(a.id())).isEqualTo(total);
    }
}
