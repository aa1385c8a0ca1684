package io.referrals.rules;

import io.referrals.core.model.Beneficiary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks that span a rule set: unique ids, references between rules, amount kinds, tier names. */
final class RuleSetChecks {

    /** A problem at a path such as {@code rules[2].advocate.points}. */
    record Problem(String path, String code, String message) {
    }

    /** What an amount comes out in. */
    enum Kind {
        POINTS, MONEY
    }

    private RuleSetChecks() {
    }

    static List<Problem> check(List<Rule> rules, List<Contest> contests, Tiers tiers, List<CatalogueItem> items) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Rule> byId = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            if (byId.putIfAbsent(rules.get(i).id(), rules.get(i)) != null) {
                problems.add(new Problem("rules[" + i + "].id", "duplicate_id",
                        "rule id '" + rules.get(i).id() + "' is used twice"));
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            for (Grant g : r.grants()) {
                String path = "rules[" + i + "]." + (g.beneficiary() == Beneficiary.ADVOCATE ? "advocate" : "referred");
                checkGive(g.give(), g.beneficiary(), byId, tiers, path, problems);
            }
            checkCondition(r.condition(), tiers, "rules[" + i + "].if", problems);
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < contests.size(); i++) {
            if (!ids.add(contests.get(i).id())) {
                problems.add(new Problem("contests[" + i + "].id", "duplicate_id",
                        "contest id '" + contests.get(i).id() + "' is used twice"));
            }
            if (contests.get(i).prize() instanceof Give.Points) {
                checkGive(contests.get(i).prize(), Beneficiary.ADVOCATE, byId, tiers, "contests[" + i + "].prize",
                        problems);
            }
        }
        ids.clear();
        for (int i = 0; i < items.size(); i++) {
            if (!ids.add(items.get(i).id())) {
                problems.add(new Problem("catalogue[" + i + "].id", "duplicate_id",
                        "catalogue item id '" + items.get(i).id() + "' is used twice"));
            }
        }
        return problems;
    }

    private static void checkGive(Give give, Beneficiary side, Map<String, Rule> rules, Tiers tiers, String path,
            List<Problem> problems) {
        Amount amount;
        Kind wanted;
        if (give instanceof Give.Points p) {
            amount = p.amount();
            wanted = Kind.POINTS;
        } else if (give instanceof Give.Cash c) {
            amount = c.amount();
            wanted = Kind.MONEY;
        } else if (give instanceof Give.GiftCard c) {
            amount = c.amount();
            wanted = Kind.MONEY;
        } else if (give instanceof Give.Donation d) {
            amount = d.amount();
            wanted = Kind.MONEY;
        } else {
            return;
        }
        kindOf(amount, side, rules, tiers, path, new HashSet<>(), wanted, problems);
    }

    private static void kindOf(Amount amount, Beneficiary side, Map<String, Rule> rules, Tiers tiers, String path,
            Set<String> seen, Kind wanted, List<Problem> problems) {
        if (amount instanceof Amount.Points) {
            if (wanted != Kind.POINTS) {
                problems.add(new Problem(path, "wrong_amount_kind", "this incentive needs a money amount, not points"));
            }
        } else if (amount instanceof Amount.Fixed || amount instanceof Amount.PercentOfDeal) {
            if (wanted != Kind.MONEY) {
                problems.add(new Problem(path, "wrong_amount_kind", "points need a points amount, not money"));
            }
        } else if (amount instanceof Amount.ByTier t) {
            for (Map.Entry<String, Amount> e : t.tiers().entrySet()) {
                if (tiers.rank(e.getKey()) < 0) {
                    problems.add(new Problem(path + ".byTier." + e.getKey(), "unknown_tier",
                            "tier '" + e.getKey() + "' is not declared in tiers"));
                }
                kindOf(e.getValue(), side, rules, tiers, path + ".byTier." + e.getKey(), seen, wanted, problems);
            }
            kindOf(t.otherwise(), side, rules, tiers, path + ".byTier.otherwise", seen, wanted, problems);
        } else if (amount instanceof Amount.MultiplierOf m) {
            Rule target = rules.get(m.ruleId());
            if (target == null) {
                problems.add(new Problem(path + ".multiplierOf.rule", "unknown_rule",
                        "no rule with id '" + m.ruleId() + "' in this rule set"));
                return;
            }
            if (!seen.add(m.ruleId())) {
                problems.add(new Problem(path + ".multiplierOf.rule", "cycle",
                        "multipliers refer to each other in a cycle through rule '" + m.ruleId() + "'"));
                return;
            }
            Give base = target.grant(side).map(Grant::give).orElse(null);
            Amount baseAmount = base instanceof Give.Points p ? p.amount() : base instanceof Give.Cash c ? c.amount()
                    : base instanceof Give.GiftCard g ? g.amount() : base instanceof Give.Donation d ? d.amount()
                    : null;
            if (baseAmount == null) {
                problems.add(new Problem(path + ".multiplierOf.rule", "no_amount",
                        "rule '" + m.ruleId() + "' gives no amount to the same side to multiply"));
                return;
            }
            kindOf(baseAmount, side, rules, tiers, path, seen, wanted, problems);
        }
    }

    private static void checkCondition(Condition c, Tiers tiers, String path, List<Problem> problems) {
        if (c instanceof Condition.All a) {
            for (int i = 0; i < a.conditions().size(); i++) {
                checkCondition(a.conditions().get(i), tiers, path + ".all[" + i + "]", problems);
            }
        } else if (c instanceof Condition.Any a) {
            for (int i = 0; i < a.conditions().size(); i++) {
                checkCondition(a.conditions().get(i), tiers, path + ".any[" + i + "]", problems);
            }
        } else if (c instanceof Condition.Not n) {
            checkCondition(n.condition(), tiers, path + ".not", problems);
        } else if (c instanceof Condition.TierAtLeast t && tiers.rank(t.tier()) < 0) {
            problems.add(new Problem(path + ".tierAtLeast", "unknown_tier",
                    "tier '" + t.tier() + "' is not declared in tiers"));
        }
    }
}
