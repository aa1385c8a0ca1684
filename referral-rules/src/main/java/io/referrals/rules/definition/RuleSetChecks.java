package io.referrals.rules.definition;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Beneficiary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of composite definitions: every problem is collected as a {@link FieldError} at its path, and the whole
 * list is thrown at once as a {@link ValidationException}. Also the checks that span a rule set: unique ids,
 * references between rules, amount kinds, tier names.
 */
final class RuleSetChecks {

    /** What an amount comes out in. */
    enum Kind {
        POINTS, MONEY
    }

    private RuleSetChecks() {
    }

    // ---- collecting problems ---------------------------------------------------------------------------------------

    /** Throws every problem of {@code problems} at once, if there is any. */
    static void throwIfAny(List<FieldError> problems) {
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    /** The problems of a part at {@code path}, each moved under that path (for example {@code rules[2].when}). */
    static List<FieldError> under(String path, List<FieldError> problems) {
        List<FieldError> moved = new ArrayList<>(problems.size());
        for (FieldError e : problems) {
            moved.add(new FieldError(e.field().isEmpty() ? path : e.field().startsWith("[") ? path + e.field()
                    : path + "." + e.field(), e.code(), e.message()));
        }
        return moved;
    }

    /** A name problem at {@code field}, if {@code value} is not a name. */
    static void name(String value, String field, String what, List<FieldError> problems) {
        if (!Names.isName(value)) {
            problems.add(new FieldError(field, value == null ? "required" : "invalid_value",
                    what + " must be 1-64 lower-case letters, digits and _.-"));
        }
    }

    /** A problem at {@code field} if {@code d} is negative. */
    static void notNegative(Duration d, String field, List<FieldError> problems) {
        if (d.isNegative()) {
            problems.add(new FieldError(field, "invalid_value", field + " cannot be negative"));
        }
    }

    // ---- amounts ---------------------------------------------------------------------------------------------------

    /** The amount of {@code give}, or {@code null} for a give without one (discount, perk, custom). */
    static Amount amountOf(Give give) {
        return give instanceof Give.Points p ? p.amount() : give instanceof Give.Cash c ? c.amount()
                : give instanceof Give.GiftCard g ? g.amount() : give instanceof Give.Donation d ? d.amount() : null;
    }

    /**
     * Whether {@code give} gives the same whatever the event: a fixed number of points, a fixed sum of money, or no
     * amount at all (a discount, a perk, a custom incentive). Contest prizes and catalogue items must.
     */
    static boolean hasFixedAmount(Give give) {
        Amount a = amountOf(give);
        if (a == null) {
            return true;
        }
        return give instanceof Give.Points ? a instanceof Amount.Points : a instanceof Amount.Fixed;
    }

    // ---- across a rule set -----------------------------------------------------------------------------------------

    static List<FieldError> check(List<Rule> rules, List<Contest> contests, Tiers tiers, List<CatalogueItem> items) {
        List<FieldError> problems = new ArrayList<>();
        Map<String, Rule> byId = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            if (byId.putIfAbsent(rules.get(i).id(), rules.get(i)) != null) {
                problems.add(new FieldError("rules[" + i + "].id", "duplicate_id",
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
                problems.add(new FieldError("contests[" + i + "].id", "duplicate_id",
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
                problems.add(new FieldError("catalogue[" + i + "].id", "duplicate_id",
                        "catalogue item id '" + items.get(i).id() + "' is used twice"));
            }
        }
        return problems;
    }

    private static void checkGive(Give give, Beneficiary side, Map<String, Rule> rules, Tiers tiers, String path,
            List<FieldError> problems) {
        Amount amount = amountOf(give);
        if (amount == null) {
            return;
        }
        Kind wanted = give instanceof Give.Points ? Kind.POINTS : Kind.MONEY;
        kindOf(amount, side, rules, tiers, path, new HashSet<>(), wanted, problems);
    }

    private static void kindOf(Amount amount, Beneficiary side, Map<String, Rule> rules, Tiers tiers, String path,
            Set<String> seen, Kind wanted, List<FieldError> problems) {
        if (amount instanceof Amount.Points) {
            if (wanted != Kind.POINTS) {
                problems.add(new FieldError(path, "wrong_amount_kind",
                        "this incentive needs a money amount, not points"));
            }
        } else if (amount instanceof Amount.Fixed || amount instanceof Amount.PercentOfDeal) {
            if (wanted != Kind.MONEY) {
                problems.add(new FieldError(path, "wrong_amount_kind", "points need a points amount, not money"));
            }
        } else if (amount instanceof Amount.ByTier t) {
            for (Map.Entry<String, Amount> e : t.tiers().entrySet()) {
                if (tiers.rank(e.getKey()) < 0) {
                    problems.add(new FieldError(path + ".byTier." + e.getKey(), "unknown_tier",
                            "tier '" + e.getKey() + "' is not declared in tiers"));
                }
                kindOf(e.getValue(), side, rules, tiers, path + ".byTier." + e.getKey(), seen, wanted, problems);
            }
            kindOf(t.otherwise(), side, rules, tiers, path + ".byTier.otherwise", seen, wanted, problems);
        } else if (amount instanceof Amount.MultiplierOf m) {
            Rule target = rules.get(m.ruleId());
            if (target == null) {
                problems.add(new FieldError(path + ".multiplierOf.rule", "unknown_rule",
                        "no rule with id '" + m.ruleId() + "' in this rule set"));
                return;
            }
            if (!seen.add(m.ruleId())) {
                problems.add(new FieldError(path + ".multiplierOf.rule", "cycle",
                        "multipliers refer to each other in a cycle through rule '" + m.ruleId() + "'"));
                return;
            }
            Amount baseAmount = target.grant(side).map(g -> amountOf(g.give())).orElse(null);
            if (baseAmount == null) {
                problems.add(new FieldError(path + ".multiplierOf.rule", "no_amount",
                        "rule '" + m.ruleId() + "' gives no amount to the same side to multiply"));
                return;
            }
            kindOf(baseAmount, side, rules, tiers, path, seen, wanted, problems);
        }
    }

    private static void checkCondition(Condition c, Tiers tiers, String path, List<FieldError> problems) {
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
            problems.add(new FieldError(path + ".tierAtLeast", "unknown_tier",
                    "tier '" + t.tier() + "' is not declared in tiers"));
        }
    }
}
