package io.referrals.storage.jdbc.simulation;

import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.OwnershipPolicy;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Reward;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.Amount;
import io.referrals.rules.definition.CatalogueItem;
import io.referrals.rules.definition.Contest;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Limit;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Trigger;
import io.referrals.rules.spi.RewardApprover;
import io.referrals.rules.spi.RewardFulfiller;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated business: two programs and their rules (milestone points, a held customer reward with clawback, a
 * gift card and a welcome discount issued by the fulfiller, a monthly cap, a points budget, a partner commission with
 * a yearly cap per account, a limited challenge, a contest, a catalogue, expiring points), and the host's approver and
 * fulfiller, which defer and fail for days. Everything random here is drawn from the seed.
 */
final class World {
    static final Instant START = Instant.parse("2026-01-05T08:00:00Z");
    static final ProgramId CUSTOMERS = ProgramId.of("customers");
    static final ProgramId PARTNERS = ProgramId.of("partners");
    static final byte[] SECRET = "simulation-match-key-secret-0123456789".getBytes(StandardCharsets.UTF_8);

    static final long MONTHLY_WELCOMES = 2;
    static final long WELCOME_POINTS = 100;
    static final long BUDGET_POINTS = 30_000;
    static final long CHALLENGE_WINNERS = 3;
    static final Money COMMISSION_CAP = Money.of("20000.00", "USD");
    static final String CONTEST = "spring-push";
    static final Instant CONTEST_START = START.plus(Duration.ofDays(10));
    static final Instant CONTEST_END = START.plus(Duration.ofDays(40));
    static final int CONTEST_TOP = 3;
    static final Duration POINTS_EXPIRE = Duration.ofDays(75);

    private World() {
    }

    static List<Program> programs() {
        return List.of(
                Program.builder(CUSTOMERS, "Customer referrals", ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE)
                        .build(),
                Program.builder(PARTNERS, "Partner program", ProgramKind.PARTNER).status(ProgramStatus.ACTIVE)
                        .build());
    }

    /** A partner's referral takes a prospect over from a customer's: the customer's referral is flagged. */
    static EligibilityPolicy eligibility() {
        return EligibilityPolicy.builder().ownership(OwnershipPolicy.partnerOverCustomer()).advocateLimits()
                .codeLimits().build();
    }

    static RuleSet customerRules() {
        return RuleSet.builder(CUSTOMERS, 1).effectiveFrom(START.minus(Duration.ofDays(30)))
                .rule(Rule.builder("welcome").when(Trigger.submitted()).advocate(Give.points(WELCOME_POINTS))
                        .limit(Limit.perAdvocate("monthly").perMonth().maxCount(MONTHLY_WELCOMES)))
                .rule(Rule.builder("milestone").when(Trigger.stageReached(Stage.CONTACTED, Stage.QUALIFIED))
                        .advocate(Give.points(200)).clawbackWithin(Duration.ofDays(60)))
                .rule(Rule.builder("customer").when(Trigger.stageReached(Stage.WON)).advocate(Give.points(1500))
                        .referred(Give.percentDiscount(10, "WELCOME"))
                        .holdFor(Duration.ofDays(7)).clawbackWithin(Duration.ofDays(60))
                        .limit(Limit.pointsBudget("budget", BUDGET_POINTS)))
                .rule(Rule.builder("gift").when(Trigger.stageReached(Stage.WON))
                        .advocate(Give.giftCard(Amount.money(50, "USD"), "Amazon")).holdFor(Duration.ofDays(3))
                        .clawbackWithin(Duration.ofDays(60)))
                .rule(Rule.builder("webinar").when(Trigger.event("webinar_hosted")).advocate(Give.points(300))
                        .limit(Limit.maxWinners("webinar", CHALLENGE_WINNERS)))
                .contest(Contest.builder(CONTEST).between(CONTEST_START, CONTEST_END)
                        .metric(Contest.Metric.REFERRALS_SUBMITTED).topN(CONTEST_TOP).prize(Give.points(2500)))
                .item(CatalogueItem.builder("swag").name("Swag box").cost(400)
                        .give(Give.perk("swag", "A box of swag")).stock(25))
                .pointsExpireAfter(POINTS_EXPIRE)
                .build();
    }

    static RuleSet partnerRules() {
        return RuleSet.builder(PARTNERS, 1).effectiveFrom(START.minus(Duration.ofDays(30)))
                .rule(Rule.builder("commission").when(Trigger.stageReached(Stage.WON))
                        .advocate(Give.cash(Amount.percentOfDeal(10))).holdFor(Duration.ofDays(14))
                        .clawbackWithin(Duration.ofDays(90))
                        .limit(Limit.perAdvocate("commission-cap").perYear().perAccount().maxValue(COMMISSION_CAP)))
                .build();
    }

    /**
     * The host's approver: approves most rewards at once, rejects a few, and defers some for one to five days (asked
     * again and again meanwhile, as a finance team that reviews weekly would). Thread-safe; deterministic per reward.
     */
    static final class Approver implements RewardApprover {
        private final long salt;
        private final java.time.Clock clock;
        private final Map<String, Instant> firstAsked = new HashMap<>();
        int asked;

        Approver(long salt, java.time.Clock clock) {
            this.salt = salt;
            this.clock = clock;
        }

        @Override
        public synchronized Verdict review(Reward reward) {
            asked++;
            SplittableRandom r = new SplittableRandom(salt ^ reward.id().value().hashCode());
            int roll = r.nextInt(100);
            if (roll < 5) {
                return Verdict.reject("finance_review", "Your reward did not pass review.");
            }
            if (roll < 30) {
                Instant first = firstAsked.computeIfAbsent(reward.id().value(), k -> clock.instant());
                Duration wait = Duration.ofDays(1 + r.nextInt(5));
                return clock.instant().isBefore(first.plus(wait)) ? Verdict.DEFER : Verdict.APPROVE;
            }
            return Verdict.APPROVE;
        }
    }

    /**
     * The host's fulfiller: a billing system with outages of days, during which every call fails, and occasional
     * failures otherwise. Records every call, to check that no attempt of a reward is made twice. Thread-safe.
     */
    static final class Fulfiller implements RewardFulfiller {
        private final SplittableRandom random;
        private final java.time.Clock clock;
        private Instant outageUntil = Instant.MIN;
        final List<String> calls = new ArrayList<>();
        final Map<String, Integer> fulfilled = new HashMap<>();

        Fulfiller(long seed, java.time.Clock clock) {
            this.random = new SplittableRandom(seed);
            this.clock = clock;
        }

        synchronized void outage(Duration length) {
            outageUntil = clock.instant().plus(length);
        }

        synchronized boolean inOutage() {
            return clock.instant().isBefore(outageUntil);
        }

        @Override
        public synchronized Result fulfil(Request request) {
            calls.add(request.reward().id().value() + "#" + request.attempt());
            if (inOutage()) {
                return Result.failed("billing system unavailable");
            }
            if (random.nextInt(100) < 10) {
                return Result.failed("billing timeout");
            }
            fulfilled.merge(request.reward().id().value(), 1, Integer::sum);
            return new Result.Fulfilled(request.discountPool().isEmpty() ? ""
                    : request.discountPool() + "-" + request.reward().id().value().substring(0, 8));
        }
    }
}
