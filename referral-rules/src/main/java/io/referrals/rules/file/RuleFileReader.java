package io.referrals.rules.file;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Schedule;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.rules.definition.Amount;
import io.referrals.rules.definition.CatalogueItem;
import io.referrals.rules.definition.Condition;
import io.referrals.rules.definition.Contest;
import io.referrals.rules.definition.Give;
import io.referrals.rules.definition.Limit;
import io.referrals.rules.definition.Rule;
import io.referrals.rules.definition.RuleSet;
import io.referrals.rules.definition.Tiers;
import io.referrals.rules.definition.Trigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Turns a parsed rule file into a {@link RuleSet}, collecting every problem with its location. Single use. */
final class RuleFileReader {
    private final String source;
    private final Map<String, JsonLocation> locations;
    private final Map<ProgramId, Program> programs;
    private final List<RuleFileException.Problem> problems = new ArrayList<>();
    private Program program;

    RuleFileReader(String source, Map<String, JsonLocation> locations, Map<ProgramId, Program> programs) {
        this.source = source;
        this.locations = locations;
        this.programs = programs;
    }

    RuleSet ruleSet(JsonNode root) {
        RuleSet result = null;
        if (object(root, "$", "program", "version", "effectiveFrom", "migratesInFlight", "pointsExpireAfter",
                "tiers", "rules", "contests", "catalogue")) {
            String programId = text(root, "program", "$", true);
            if (programId != null) {
                program = programs.get(safeProgramId(programId));
                if (program == null) {
                    problem("program", "unknown_program", "no program '" + programId + "' is known to this reader");
                }
            }
            long version = integer(root, "version", "$", true, 1, Integer.MAX_VALUE);
            Instant from = instant(root, "effectiveFrom", "$", Instant.EPOCH);
            boolean migrates = bool(root, "migratesInFlight", "$");
            Duration expiry = duration(root, "pointsExpireAfter", "$", Duration.ZERO);
            Tiers tiers = root.has("tiers") ? tiers(root.get("tiers"), "tiers") : Tiers.NONE;
            List<Rule> rules = list(root, "rules", "$", true, this::rule);
            List<Contest> contests = list(root, "contests", "$", false, this::contest);
            List<CatalogueItem> items = list(root, "catalogue", "$", false, this::item);
            // the checks across the set (duplicate ids, references, amount kinds, tiers) are the rule set's own
            if (problems.isEmpty() && tiers != null && program != null) {
                result = attempt("$", () -> new RuleSet(program.id(), (int) version, from, migrates, rules,
                        contests, tiers, items, expiry));
            }
        }
        if (!problems.isEmpty() || result == null) {
            if (problems.isEmpty()) {
                problem("$", "invalid_value", "the rule set is incomplete");
            }
            throw new RuleFileException(problems);
        }
        return result;
    }

    // ---- sections ---------------------------------------------------------------------------------------------------

    private Tiers tiers(JsonNode n, String path) {
        if (!object(n, path, "stage", "levels")) {
            return null;
        }
        Stage stage = stage(n.get("stage"), path + ".stage");
        List<Tiers.Level> levels = list(n, "levels", path, true, (l, p) -> {
            if (!object(l, p, "name", "atLeast")) {
                return null;
            }
            String name = text(l, "name", p, true);
            long atLeast = integer(l, "atLeast", p, true, 1);
            return name == null ? null : attempt(p, () -> new Tiers.Level(name, atLeast));
        });
        if (stage == null) {
            return null;
        }
        return attempt(path, () -> new Tiers(stage, levels));
    }

    private Rule rule(JsonNode n, String path) {
        if (!object(n, path, "id", "name", "when", "if", "advocate", "referred", "limits", "holdFor",
                "clawbackWithin", "whenReopened")) {
            return null;
        }
        String id = text(n, "id", path, true);
        String name = text(n, "name", path, false);
        Trigger trigger = n.has("when") ? trigger(n.get("when"), path + ".when") : null;
        if (!n.has("when")) {
            problem(path + ".when", "required", "a rule needs a trigger ('when')", path);
        }
        Condition condition = n.has("if") ? condition(n.get("if"), path + ".if") : Condition.always();
        Give advocate = n.has("advocate") ? give(n.get("advocate"), path + ".advocate") : null;
        Give referred = n.has("referred") ? give(n.get("referred"), path + ".referred") : null;
        if (!n.has("advocate") && !n.has("referred")) {
            problem(path, "required", "a rule gives something: add 'advocate' or 'referred'");
        }
        List<Limit> limits = list(n, "limits", path, false, this::limit);
        Duration hold = duration(n, "holdFor", path, Duration.ZERO);
        Duration clawback = duration(n, "clawbackWithin", path, Duration.ZERO);
        Rule.WhenReopened reopened = n.has("whenReopened")
                ? enumValue(n.get("whenReopened"), path + ".whenReopened", Rule.WhenReopened.class)
                : Rule.WhenReopened.KEEP_REVERSED;
        if (id == null || trigger == null || condition == null || n.has("advocate") && advocate == null
                || n.has("referred") && referred == null || limits.contains(null) || reopened == null) {
            return null;
        }
        return attempt(path, () -> {
            Rule.Builder b = Rule.builder(id).name(name == null ? "" : name).when(trigger).only(condition)
                    .holdFor(hold).clawbackWithin(clawback).whenReopened(reopened);
            if (advocate != null) {
                b.advocate(advocate);
            }
            if (referred != null) {
                b.referred(referred);
            }
            limits.forEach(b::limit);
            return b.build();
        });
    }

    private Trigger trigger(JsonNode n, String path) {
        if (!object(n, path, "submitted", "stageReached", "nthReferral", "event", "repeatable")
                || !exactlyOne(n, path, "submitted", "stageReached", "nthReferral", "event")) {
            return null;
        }
        if (n.has("submitted")) {
            if (!n.get("submitted").isBoolean() || !n.get("submitted").booleanValue()) {
                problem(path + ".submitted", "invalid_value", "'submitted' can only be true");
                return null;
            }
            return Trigger.submitted();
        }
        if (n.has("stageReached")) {
            Set<Stage> stages = new LinkedHashSet<>(strings(n, "stageReached", path, s -> s).stream()
                    .map(s -> stage(s, path + ".stageReached")).toList());
            if (stages.contains(null) || stages.isEmpty()) {
                return null;
            }
            return attempt(path, () -> new Trigger.StageReached(stages));
        }
        if (n.has("nthReferral")) {
            JsonNode t = n.get("nthReferral");
            String p = path + ".nthReferral";
            if (!object(t, p, "stage", "n")) {
                return null;
            }
            Stage stage = stage(t.get("stage"), p + ".stage");
            long count = integer(t, "n", p, true, 1, Integer.MAX_VALUE);
            return stage == null ? null : attempt(p, () -> new Trigger.NthReferral(stage, (int) count));
        }
        String type = text(n, "event", path, true);
        boolean repeatable = bool(n, "repeatable", path);
        return type == null ? null : attempt(path + ".event", () -> new Trigger.CustomEvent(type, repeatable));
    }

    private Condition condition(JsonNode n, String path) {
        String[] kinds = {"all", "any", "not", "seniorityAtLeast", "department", "prospectAttribute",
            "dealValueAtLeast", "dealCurrency", "channel", "program", "advocateKind", "segment", "account",
            "tierAtLeast", "between"};
        if (!object(n, path, kinds) || !exactlyOne(n, path, kinds)) {
            return null;
        }
        String kind = firstPresent(n, kinds);
        JsonNode v = n.get(kind);
        String p = path + "." + kind;
        switch (kind) {
            case "all":
            case "any": {
                List<Condition> parts = list(n, kind, path, true, this::condition);
                if (parts.contains(null) || parts.isEmpty()) {
                    return null;
                }
                return kind.equals("all") ? new Condition.All(parts) : new Condition.Any(parts);
            }
            case "not": {
                Condition inner = condition(v, p);
                return inner == null ? null : Condition.not(inner);
            }
            case "seniorityAtLeast": {
                Seniority s = enumValue(v, p, Seniority.class);
                return s == null ? null : attempt(p, () -> new Condition.SeniorityAtLeast(s));
            }
            case "department": {
                List<String> values = strings(n, kind, path, s -> s);
                return values.isEmpty() ? null : attempt(p, () -> new Condition.DepartmentIn(Set.copyOf(values)));
            }
            case "prospectAttribute": {
                if (!object(v, p, "key", "in", "atLeast") || !exactlyOne(v, p, "in", "atLeast")) {
                    return null;
                }
                String key = text(v, "key", p, true);
                if (key == null) {
                    return null;
                }
                if (v.has("in")) {
                    List<String> values = strings(v, "in", p, s -> s);
                    return values.isEmpty() ? null
                            : attempt(p, () -> new Condition.ProspectAttributeIn(key, Set.copyOf(values)));
                }
                BigDecimal min = decimal(v, "atLeast", p);
                return min == null ? null : attempt(p, () -> new Condition.ProspectAttributeAtLeast(key, min));
            }
            case "dealValueAtLeast": {
                Money m = money(v, p);
                return m == null ? null : attempt(p, () -> new Condition.DealValueAtLeast(m));
            }
            case "dealCurrency": {
                Currency c = currency(v, p);
                return c == null ? null : new Condition.DealCurrency(c);
            }
            case "channel": {
                List<Channel> values = strings(n, kind, path, s -> s).stream()
                        .map(s -> enumValue(s, Channel.class)).toList();
                if (values.contains(null)) {
                    problem(p, "invalid_value", "channels are " + names(Channel.values()));
                    return null;
                }
                return values.isEmpty() ? null : attempt(p, () -> new Condition.ChannelIn(Set.copyOf(values)));
            }
            case "program": {
                List<String> values = strings(n, kind, path, s -> s);
                List<ProgramId> ids = new ArrayList<>();
                for (String s : values) {
                    ProgramId id = safeProgramId(s);
                    if (id == null || !programs.containsKey(id)) {
                        problem(p, "unknown_program", "no program '" + s + "' is known to this reader");
                        return null;
                    }
                    ids.add(id);
                }
                return ids.isEmpty() ? null : new Condition.ProgramIn(Set.copyOf(ids));
            }
            case "advocateKind": {
                List<AdvocateKind> values = strings(n, kind, path, s -> s).stream()
                        .map(s -> enumValue(s, AdvocateKind.class)).toList();
                if (values.contains(null)) {
                    problem(p, "invalid_value", "advocate kinds are " + names(AdvocateKind.values()));
                    return null;
                }
                return values.isEmpty() ? null : attempt(p, () -> new Condition.AdvocateKindIn(Set.copyOf(values)));
            }
            case "segment": {
                String s = scalarText(v, p);
                return s == null ? null : attempt(p, () -> new Condition.AdvocateSegment(s));
            }
            case "account": {
                String s = scalarText(v, p);
                return s == null ? null : attempt(p, () -> new Condition.AdvocateAccount(s));
            }
            case "tierAtLeast": {
                String s = scalarText(v, p);
                return s == null ? null : attempt(p, () -> new Condition.TierAtLeast(s));
            }
            default: {
                if (!object(v, p, "from", "until")) {
                    return null;
                }
                Instant from = instant(v, "from", p, Instant.MIN);
                Instant until = instant(v, "until", p, Instant.MAX);
                return attempt(p, () -> new Condition.Within(new Schedule(from, until)));
            }
        }
    }

    private Give give(JsonNode n, String path) {
        String[] kinds = {"points", "cash", "credit", "discount", "perk", "giftCard", "donation", "custom"};
        if (!object(n, path, kinds) || !exactlyOne(n, path, kinds)) {
            return null;
        }
        String kind = firstPresent(n, kinds);
        JsonNode v = n.get(kind);
        String p = path + "." + kind;
        switch (kind) {
            case "points": {
                Amount a = amount(v, p, true);
                return a == null ? null : new Give.Points(a);
            }
            case "cash":
            case "credit": {
                Amount a = amount(v, p, false);
                return a == null ? null : new Give.Cash(a, kind.equals("credit"));
            }
            case "discount": {
                if (!object(v, p, "percentOff", "amountOff", "pool") || !exactlyOne(v, p, "percentOff", "amountOff")) {
                    return null;
                }
                String pool = text(v, "pool", p, false);
                BigDecimal percent = v.has("percentOff") ? decimal(v, "percentOff", p) : null;
                Money amount = v.has("amountOff") ? money(v.get("amountOff"), p + ".amountOff") : null;
                if (percent == null && amount == null) {
                    return null;
                }
                return attempt(p, () -> new Give.Discount(percent, amount, pool));
            }
            case "perk": {
                if (!object(v, p, "kind", "description")) {
                    return null;
                }
                String k = text(v, "kind", p, true);
                String d = text(v, "description", p, false);
                return k == null ? null : attempt(p, () -> new Give.Perk(k, d));
            }
            case "giftCard": {
                if (!object(v, p, "amount", "brand")) {
                    return null;
                }
                Amount a = v.has("amount") ? amount(v.get("amount"), p + ".amount", false) : missing(p, "amount");
                String brand = text(v, "brand", p, false);
                return a == null ? null : new Give.GiftCard(a, brand);
            }
            case "donation": {
                if (!object(v, p, "amount", "charity")) {
                    return null;
                }
                Amount a = v.has("amount") ? amount(v.get("amount"), p + ".amount", false) : missing(p, "amount");
                String charity = text(v, "charity", p, true);
                return a == null || charity == null ? null : attempt(p, () -> new Give.Donation(a, charity));
            }
            default: {
                if (!object(v, p, "type", "payload")) {
                    return null;
                }
                String type = text(v, "type", p, true);
                Map<String, String> payload = new HashMap<>();
                if (v.has("payload")) {
                    JsonNode pl = v.get("payload");
                    if (!pl.isObject()) {
                        problem(p + ".payload", "wrong_type", "payload must be an object of texts");
                        return null;
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> it = pl.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        String s = scalarText(e.getValue(), p + ".payload." + e.getKey());
                        if (s != null) {
                            payload.put(e.getKey(), s);
                        }
                    }
                }
                return type == null ? null : attempt(p, () -> new Give.Custom(type, payload));
            }
        }
    }

    /** An amount: a whole number of points, or {@code {amount, currency}}, {@code {percentOfDeal}}, ... */
    private Amount amount(JsonNode v, String p, boolean points) {
        if (points && v.isNumber()) {
            RuleNumbers.Read<Long> n = RuleNumbers.whole(v, 1, Long.MAX_VALUE,
                    "expected a whole number of points or an object");
            if (!n.ok()) {
                problem(p, n.code(), n.code().equals("invalid_value") ? "points must be at least 1" : n.message());
                return null;
            }
            return new Amount.Points(n.value());
        }
        if (!v.isObject()) {
            problem(p, "wrong_type", points ? "expected a whole number of points or an object"
                    : "expected an amount object");
            return null;
        }
        String[] kinds = points ? new String[] {"multiplierOf", "byTier"}
                : new String[] {"amount", "percentOfDeal", "multiplierOf", "byTier"};
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(kinds));
        allowed.add("currency");
        allowed.add("otherwise");
        if (!object(v, p, allowed.toArray(new String[0])) || !exactlyOne(v, p, kinds)) {
            return null;
        }
        if (v.has("amount")) {
            Money m = money(v, p);
            return m == null ? null : attempt(p, () -> new Amount.Fixed(m));
        }
        if (v.has("percentOfDeal")) {
            BigDecimal pct = decimal(v, "percentOfDeal", p);
            return pct == null ? null : attempt(p + ".percentOfDeal", () -> new Amount.PercentOfDeal(pct));
        }
        if (v.has("multiplierOf")) {
            JsonNode m = v.get("multiplierOf");
            String mp = p + ".multiplierOf";
            if (!object(m, mp, "rule", "factor")) {
                return null;
            }
            String rule = text(m, "rule", mp, true);
            BigDecimal factor = decimal(m, "factor", mp);
            if (rule == null || factor == null) {
                return null;
            }
            if (factor.signum() <= 0) {
                problem(mp + ".factor", "invalid_value", "a multiplier must be more than zero");
                return null;
            }
            return attempt(mp, () -> new Amount.MultiplierOf(rule, factor));
        }
        JsonNode t = v.get("byTier");
        String tp = p + ".byTier";
        if (!t.isObject()) {
            problem(tp, "wrong_type", "byTier must be an object of tier names to amounts");
            return null;
        }
        Map<String, Amount> tiers = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Amount a = amount(e.getValue(), tp + "." + e.getKey(), points);
            if (a != null) {
                tiers.put(e.getKey(), a);
            }
        }
        if (!v.has("otherwise")) {
            problem(p + ".otherwise", "required", "byTier needs an 'otherwise' amount for advocates without a tier", p);
            return null;
        }
        Amount otherwise = amount(v.get("otherwise"), p + ".otherwise", points);
        return otherwise == null ? null : attempt(tp, () -> new Amount.ByTier(tiers, otherwise));
    }

    private Limit limit(JsonNode n, String path) {
        String[] kinds = {"perAdvocate", "perReferral", "budget", "maxWinners"};
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(kinds));
        allowed.add("key");
        if (!object(n, path, allowed.toArray(new String[0])) || !exactlyOne(n, path, kinds)) {
            return null;
        }
        String key = text(n, "key", path, true);
        if (key == null) {
            return null;
        }
        if (n.has("perAdvocate")) {
            JsonNode v = n.get("perAdvocate");
            String p = path + ".perAdvocate";
            if (!object(v, p, "period", "maxCount", "maxPoints", "maxAmount", "perAccount")) {
                return null;
            }
            Limit.Period period = period(v, p);
            long maxCount = integer(v, "maxCount", p, false, 1);
            Limit.Value value = value(v, p);
            boolean perAccount = bool(v, "perAccount", p);
            if (period == null || value == null) {
                return null;
            }
            return attempt(p, () -> new Limit.PerAdvocate(key, period, Math.max(0, maxCount), value, perAccount));
        }
        if (n.has("perReferral")) {
            long max = integer(n, "perReferral", path, true, 1);
            return max < 1 ? null : attempt(path, () -> new Limit.PerReferral(key, max));
        }
        if (n.has("maxWinners")) {
            long max = integer(n, "maxWinners", path, true, 1);
            return max < 1 ? null : attempt(path, () -> new Limit.MaxWinners(key, max));
        }
        JsonNode v = n.get("budget");
        String p = path + ".budget";
        if (!object(v, p, "maxPoints", "maxAmount")) {
            return null;
        }
        Limit.Value value = value(v, p);
        if (value instanceof Limit.Value.None) {
            problem(p, "required", "a budget needs maxPoints or maxAmount");
            return null;
        }
        return value == null ? null : attempt(p, () -> new Limit.Budget(key, value));
    }

    private Limit.Value value(JsonNode v, String p) {
        if (v.has("maxPoints") && v.has("maxAmount")) {
            problem(p, "invalid_value", "give either maxPoints or maxAmount, not both");
            return null;
        }
        if (v.has("maxPoints")) {
            long points = integer(v, "maxPoints", p, true, 1);
            return points < 1 ? null : new Limit.Value.InPoints(points);
        }
        if (v.has("maxAmount")) {
            Money m = money(v.get("maxAmount"), p + ".maxAmount");
            return m == null ? null : attempt(p + ".maxAmount", () -> new Limit.Value.InMoney(m));
        }
        return new Limit.Value.None();
    }

    private Limit.Period period(JsonNode v, String p) {
        String s = text(v, "period", p, true);
        if (s == null) {
            return null;
        }
        if (s.equals("ever")) {
            return new Limit.Period.Ever();
        }
        for (Limit.Period.Unit u : Limit.Period.Unit.values()) {
            if (u.name().toLowerCase(Locale.ROOT).equals(s)) {
                return new Limit.Period.Calendar(u);
            }
        }
        try {
            Duration d = Duration.parse(s);
            return attempt(p + ".period", () -> new Limit.Period.Rolling(d));
        } catch (DateTimeParseException e) {
            problem(p + ".period", "invalid_value",
                    "period is day, week, month, quarter, year, ever, or an ISO-8601 duration such as P30D");
            return null;
        }
    }

    private Contest contest(JsonNode n, String path) {
        if (!object(n, path, "id", "name", "startsAt", "endsAt", "metric", "stage", "topN", "prize")) {
            return null;
        }
        String id = text(n, "id", path, true);
        String name = text(n, "name", path, false);
        Instant start = instant(n, "startsAt", path, null);
        Instant end = instant(n, "endsAt", path, null);
        Contest.Metric metric = n.has("metric") ? enumValue(n.get("metric"), path + ".metric", Contest.Metric.class)
                : missing(path, "metric");
        Stage stage = n.has("stage") ? stage(n.get("stage"), path + ".stage") : Stage.SUBMITTED;
        if (metric == Contest.Metric.STAGE_REACHED && !n.has("stage")) {
            problem(path + ".stage", "required", "a stage_reached contest names its stage", path);
        }
        long topN = integer(n, "topN", path, true, 1, Integer.MAX_VALUE);
        Give prize = n.has("prize") ? give(n.get("prize"), path + ".prize") : missing(path, "prize");
        if (id == null || start == null || end == null || metric == null || stage == null || prize == null
                || topN < 1) {
            return null;
        }
        if (!start.isBefore(end)) {
            problem(path + ".endsAt", "invalid_value", "a contest must start before it ends");
            return null;
        }
        return attempt(path, () -> new Contest(id, name == null ? "" : name, Schedule.between(start, end), metric,
                stage, (int) topN, prize));
    }

    private CatalogueItem item(JsonNode n, String path) {
        if (!object(n, path, "id", "name", "cost", "give", "stock")) {
            return null;
        }
        String id = text(n, "id", path, true);
        String name = text(n, "name", path, false);
        long cost = integer(n, "cost", path, true, 1);
        Give give = n.has("give") ? give(n.get("give"), path + ".give") : missing(path, "give");
        long stock = n.has("stock") ? integer(n, "stock", path, true, 1) : CatalogueItem.UNLIMITED;
        if (id == null || give == null || cost < 1 || stock < 1) {
            return null;
        }
        return attempt(path, () -> new CatalogueItem(id, name == null ? "" : name, cost, give, stock));
    }

    // ---- scalars ----------------------------------------------------------------------------------------------------

    private boolean object(JsonNode n, String path, String... allowed) {
        if (n == null || !n.isObject()) {
            problem(path, "wrong_type", "expected an object");
            return false;
        }
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) {
                problem(child(path, f), "unknown_field", "unknown field '" + f + "'; expected one of "
                        + String.join(", ", allowed));
            }
        }
        return true;
    }

    private static String firstPresent(JsonNode n, String... kinds) {
        for (String k : kinds) {
            if (n.has(k)) {
                return k;
            }
        }
        throw new IllegalStateException("checked by exactlyOne");
    }

    private boolean exactlyOne(JsonNode n, String path, String... kinds) {
        int found = 0;
        for (String k : kinds) {
            if (n.has(k)) {
                found++;
            }
        }
        if (found != 1) {
            problem(path, found == 0 ? "required" : "invalid_value", "expected exactly one of "
                    + String.join(", ", kinds));
            return false;
        }
        return true;
    }

    private String text(JsonNode n, String field, String path, boolean required) {
        JsonNode v = n.get(field);
        if (v == null) {
            if (required) {
                problem(child(path, field), "required", "'" + field + "' is required", path);
            }
            return null;
        }
        return scalarText(v, child(path, field));
    }

    private String scalarText(JsonNode v, String path) {
        if (!v.isTextual()) {
            problem(path, "wrong_type", "expected a text");
            return null;
        }
        if (v.textValue().isBlank()) {
            problem(path, "invalid_value", "must not be blank");
            return null;
        }
        return v.textValue();
    }

    private long integer(JsonNode n, String field, String path, boolean required, long min) {
        return integer(n, field, path, required, min, Long.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max} (see {@link RuleNumbers}); -1 after a problem. */
    private long integer(JsonNode n, String field, String path, boolean required, long min, long max) {
        JsonNode v = n.get(field);
        String p = child(path, field);
        if (v == null) {
            if (required) {
                problem(p, "required", "'" + field + "' is required", path);
            }
            return required ? -1 : 0;
        }
        RuleNumbers.Read<Long> read = RuleNumbers.whole(v, min, max, "expected a whole number");
        if (!read.ok()) {
            problem(p, read.code(), read.message());
            return -1;
        }
        return read.value();
    }

    private BigDecimal decimal(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        String p = child(path, field);
        if (v == null) {
            problem(p, "required", "'" + field + "' is required", path);
            return null;
        }
        RuleNumbers.Read<BigDecimal> read = RuleNumbers.decimal(v);
        if (!read.ok()) {
            problem(p, read.code(), read.message());
        }
        return read.value();
    }

    private boolean bool(JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean()) {
            problem(child(path, field), "wrong_type", "expected true or false");
            return false;
        }
        return v.booleanValue();
    }

    private Duration duration(JsonNode n, String field, String path, Duration otherwise) {
        String s = text(n, field, path, false);
        if (s == null) {
            return otherwise;
        }
        try {
            Duration d = Duration.parse(s);
            if (d.isNegative()) {
                problem(child(path, field), "invalid_value", "a duration cannot be negative");
                return otherwise;
            }
            return d;
        } catch (DateTimeParseException e) {
            problem(child(path, field), "invalid_value", "expected an ISO-8601 duration such as P30D or PT1H");
            return otherwise;
        }
    }

    private Instant instant(JsonNode n, String field, String path, Instant otherwise) {
        String s = text(n, field, path, otherwise == null);
        if (s == null) {
            return otherwise;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            problem(child(path, field), "invalid_value", "expected an ISO-8601 instant such as 2026-01-01T00:00:00Z");
            return otherwise;
        }
    }

    private Money money(JsonNode v, String p) {
        if (!v.isObject()) {
            problem(p, "wrong_type", "expected an object with amount and currency");
            return null;
        }
        BigDecimal amount = null;
        JsonNode a = v.get("amount");
        if (a == null) {
            problem(p + ".amount", "required", "'amount' is required", p);
        } else if (a.isNumber() || a.isTextual()) {
            RuleNumbers.Read<BigDecimal> read = a.isNumber() ? RuleNumbers.decimal(a)
                    : RuleNumbers.decimal(a.textValue());
            if (!read.ok()) {
                problem(p + ".amount", read.code(), read.message());
            }
            amount = read.value();
        } else {
            problem(p + ".amount", "wrong_type", "expected a number or a decimal text");
        }
        Currency currency = v.has("currency") ? currency(v.get("currency"), p + ".currency") : null;
        if (!v.has("currency")) {
            problem(p + ".currency", "required", "'currency' is required", p);
        }
        if (amount == null || currency == null) {
            return null;
        }
        if (amount.signum() < 0) {
            problem(p + ".amount", "invalid_value", "an amount cannot be negative");
            return null;
        }
        return new Money(amount, currency);
    }

    private Currency currency(JsonNode v, String p) {
        String s = scalarText(v, p);
        if (s == null) {
            return null;
        }
        try {
            return Currency.getInstance(s);
        } catch (IllegalArgumentException e) {
            problem(p, "invalid_value", "not an ISO 4217 currency code");
            return null;
        }
    }

    private Stage stage(JsonNode v, String p) {
        if (v == null) {
            problem(p, "required", "a stage is required");
            return null;
        }
        String s = scalarText(v, p);
        return s == null ? null : stage(s, p);
    }

    private Stage stage(String s, String p) {
        if (program == null) {
            return Stage.isWellFormed(s) ? Stage.of(s) : null;
        }
        return program.pipeline().stage(s).orElseGet(() -> {
            problem(p, "unknown_stage", "stage '" + s + "' is not in the pipeline of program '"
                    + program.id() + "': " + String.join(", ", program.pipeline().stages().stream()
                    .map(Stage::name).toList()));
            return null;
        });
    }

    private <E extends Enum<E>> E enumValue(JsonNode v, String p, Class<E> type) {
        String s = scalarText(v, p);
        if (s == null) {
            return null;
        }
        E e = enumValue(s, type);
        if (e == null) {
            problem(p, "invalid_value", "expected one of " + names(type.getEnumConstants()));
        }
        return e;
    }

    private static <E extends Enum<E>> E enumValue(String s, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        return null;
    }

    private static String names(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
    }

    private List<String> strings(JsonNode n, String field, String path, Function<String, String> f) {
        JsonNode v = n.get(field);
        String p = child(path, field);
        List<String> out = new ArrayList<>();
        if (v.isTextual()) {
            String s = scalarText(v, p);
            if (s != null) {
                out.add(f.apply(s));
            }
            return out;
        }
        if (!v.isArray() || v.isEmpty()) {
            problem(p, "wrong_type", "expected a text or a non-empty list of texts");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            String s = scalarText(v.get(i), p + "[" + i + "]");
            if (s != null) {
                out.add(f.apply(s));
            }
        }
        return out;
    }

    private interface Element<T> {
        T read(JsonNode n, String path);
    }

    private <T> List<T> list(JsonNode n, String field, String path, boolean required, Element<T> element) {
        JsonNode v = n.get(field);
        String p = child(path, field);
        List<T> out = new ArrayList<>();
        if (v == null) {
            if (required) {
                problem(p, "required", "'" + field + "' is required", path);
            }
            return out;
        }
        if (!v.isArray()) {
            problem(p, "wrong_type", "expected a list");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            T t = element.read(v.get(i), p + "[" + i + "]");
            out.add(t);
        }
        return out;
    }

    private <T> T missing(String path, String field) {
        problem(child(path, field), "required", "'" + field + "' is required", path);
        return null;
    }

    private interface Maker<T> {
        T make();
    }

    /** What {@code maker} makes, or {@code null} having recorded why it refused, every problem at its own path. */
    private <T> T attempt(String path, Maker<T> maker) {
        try {
            return maker.make();
        } catch (ValidationException e) {
            for (FieldError f : e.errors()) {
                problem(f.field().isEmpty() ? path : f.field().startsWith("[") ? path + f.field()
                        : child(path, f.field()), f.code(), f.message(), path);
            }
            return null;
        } catch (IllegalArgumentException | NullPointerException e) {
            problem(path, "invalid_value", String.valueOf(e.getMessage()));
            return null;
        }
    }

    private static ProgramId safeProgramId(String s) {
        try {
            return ProgramId.of(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String child(String path, String field) {
        return path.equals("$") ? field : path + "." + field;
    }

    private void problem(String path, String code, String message) {
        problem(path, code, message, path);
    }

    /** A problem at {@code path}, located at {@code path} or, if that is absent from the file, at {@code near}. */
    private void problem(String path, String code, String message, String near) {
        JsonLocation l = locate(path);
        if (l == null) {
            l = locate(near);
        }
        problems.add(new RuleFileException.Problem(source, path, l == null ? 0 : l.getLineNr(),
                l == null ? 0 : l.getColumnNr(), code, message));
    }

    private JsonLocation locate(String path) {
        String p = path;
        while (true) {
            JsonLocation l = locations.get(p);
            if (l != null || p.equals("$")) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut <= 0 ? "$" : p.substring(0, cut);
        }
    }
}
