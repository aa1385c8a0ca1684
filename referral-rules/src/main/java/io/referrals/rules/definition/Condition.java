package io.referrals.rules.definition;

import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.Money;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Schedule;
import io.referrals.core.model.Seniority;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A condition a {@link Rule} checks before paying, over the prospect, the deal, the referral, the advocate and the
 * time of the event. Conditions combine with {@link #and}, {@link #or} and {@link #not}. Every condition describes
 * itself in words safe to show the advocate ({@link #describe()}); the description never contains a prospect's
 * personal data, only the rule's own thresholds.
 */
public sealed interface Condition {

    /** Words for the advocate, for example {@code "the contact is Director level or above"}. */
    String describe();

    /** Always true: the default condition of a rule. */
    record Always() implements Condition {
        @Override
        public String describe() {
            return "no condition";
        }
    }

    /** Every one of {@code conditions} holds. */
    record All(List<Condition> conditions) implements Condition {
        public All {
            conditions = List.copyOf(conditions);
            if (conditions.isEmpty()) {
                throw new IllegalArgumentException("all needs at least one condition");
            }
        }

        @Override
        public String describe() {
            return join(conditions, " and ");
        }
    }

    /** At least one of {@code conditions} holds. */
    record Any(List<Condition> conditions) implements Condition {
        public Any {
            conditions = List.copyOf(conditions);
            if (conditions.isEmpty()) {
                throw new IllegalArgumentException("any needs at least one condition");
            }
        }

        @Override
        public String describe() {
            return join(conditions, " or ");
        }
    }

    /** {@code condition} does not hold. */
    record Not(Condition condition) implements Condition {
        public Not {
            Objects.requireNonNull(condition, "condition");
        }

        @Override
        public String describe() {
            return "not (" + condition.describe() + ")";
        }
    }

    /** The prospect's seniority is {@code level} or above (an unknown seniority never is). */
    record SeniorityAtLeast(Seniority level) implements Condition {
        public SeniorityAtLeast {
            Objects.requireNonNull(level, "level");
            if (level == Seniority.UNKNOWN) {
                throw new IllegalArgumentException("UNKNOWN is not a seniority threshold");
            }
        }

        @Override
        public String describe() {
            return "the contact is " + words(level.name()) + " level or above";
        }
    }

    /** The prospect's department is one of {@code departments}, compared without case. */
    record DepartmentIn(Set<String> departments) implements Condition {
        public DepartmentIn {
            departments = lowerCase(departments, "departments");
        }

        @Override
        public String describe() {
            return "the contact works in " + String.join(" or ", departments.stream().sorted().toList());
        }
    }

    /** The prospect attribute {@code key} equals one of {@code values}, compared without case. */
    record ProspectAttributeIn(String key, Set<String> values) implements Condition {
        public ProspectAttributeIn {
            requireText(key, "key");
            values = lowerCase(values, "values");
        }

        @Override
        public String describe() {
            return "the prospect's " + key + " is " + String.join(" or ", values.stream().sorted().toList());
        }
    }

    /**
     * The prospect attribute {@code key} is a number of at least {@code min}, for example the company size
     * {@code employees}. A missing or non-numeric attribute does not match.
     */
    record ProspectAttributeAtLeast(String key, BigDecimal min) implements Condition {
        public ProspectAttributeAtLeast {
            requireText(key, "key");
            Objects.requireNonNull(min, "min");
        }

        @Override
        public String describe() {
            return "the prospect's " + key + " is at least " + min.toPlainString();
        }
    }

    /** The deal value is known, in {@code min}'s currency, and at least {@code min}. */
    record DealValueAtLeast(Money min) implements Condition {
        public DealValueAtLeast {
            Objects.requireNonNull(min, "min");
            if (min.isNegative()) {
                throw new IllegalArgumentException("a deal value threshold cannot be negative");
            }
        }

        @Override
        public String describe() {
            return "the deal is worth at least " + min;
        }
    }

    /** The deal value is known and in {@code currency}. */
    record DealCurrency(Currency currency) implements Condition {
        public DealCurrency {
            Objects.requireNonNull(currency, "currency");
        }

        @Override
        public String describe() {
            return "the deal is in " + currency.getCurrencyCode();
        }
    }

    /** The referral came in through one of {@code channels}. */
    record ChannelIn(Set<Channel> channels) implements Condition {
        public ChannelIn {
            channels = nonEmpty(channels, "channels");
        }

        @Override
        public String describe() {
            return "the referral came in by " + String.join(" or ",
                    channels.stream().map(c -> words(c.name())).sorted().toList());
        }
    }

    /** The referral belongs to one of {@code programs}. */
    record ProgramIn(Set<ProgramId> programs) implements Condition {
        public ProgramIn {
            programs = nonEmpty(programs, "programs");
        }

        @Override
        public String describe() {
            return "the referral is in an eligible program";
        }
    }

    /** The advocate is one of {@code kinds} (customer, partner, ...). */
    record AdvocateKindIn(Set<AdvocateKind> kinds) implements Condition {
        public AdvocateKindIn {
            kinds = nonEmpty(kinds, "kinds");
        }

        @Override
        public String describe() {
            return "you are a " + String.join(" or ", kinds.stream().map(k -> words(k.name())).sorted().toList());
        }
    }

    /** The advocate has the segment (tag) {@code segment}. */
    record AdvocateSegment(String segment) implements Condition {
        public AdvocateSegment {
            requireText(segment, "segment");
        }

        @Override
        public String describe() {
            return "you are in the " + segment + " segment";
        }
    }

    /** The advocate belongs to the account {@code accountId}. */
    record AdvocateAccount(String accountId) implements Condition {
        public AdvocateAccount {
            requireText(accountId, "accountId");
        }

        @Override
        public String describe() {
            return "you belong to an eligible account";
        }
    }

    /** The advocate's tier (see {@link Tiers}) is {@code tier} or a higher one. */
    record TierAtLeast(String tier) implements Condition {
        public TierAtLeast {
            Names.requireName(tier, "tier");
        }

        @Override
        public String describe() {
            return "your tier is " + tier + " or higher";
        }
    }

    /** The event happens inside {@code window} (a campaign). */
    record Within(Schedule window) implements Condition {
        public Within {
            Objects.requireNonNull(window, "window");
        }

        @Override
        public String describe() {
            return "it happens during the campaign (" + window.startsAt() + " to " + window.endsAt() + ")";
        }
    }

    // ---- factories and combinators ---------------------------------------------------------------------------------

    static Condition always() {
        return new Always();
    }

    static Condition all(Condition... conditions) {
        return new All(List.of(conditions));
    }

    static Condition any(Condition... conditions) {
        return new Any(List.of(conditions));
    }

    static Condition not(Condition condition) {
        return new Not(condition);
    }

    static Condition seniorityAtLeast(Seniority level) {
        return new SeniorityAtLeast(level);
    }

    static Condition department(String... departments) {
        return new DepartmentIn(Set.of(departments));
    }

    static Condition prospectAttribute(String key, String... values) {
        return new ProspectAttributeIn(key, Set.of(values));
    }

    static Condition prospectAttributeAtLeast(String key, long min) {
        return new ProspectAttributeAtLeast(key, BigDecimal.valueOf(min));
    }

    static Condition dealValueAtLeast(Money min) {
        return new DealValueAtLeast(min);
    }

    static Condition channel(Channel... channels) {
        return new ChannelIn(Set.of(channels));
    }

    static Condition advocateKind(AdvocateKind... kinds) {
        return new AdvocateKindIn(Set.of(kinds));
    }

    static Condition segment(String segment) {
        return new AdvocateSegment(segment);
    }

    static Condition tierAtLeast(String tier) {
        return new TierAtLeast(tier);
    }

    static Condition within(Schedule window) {
        return new Within(window);
    }

    /** This condition and {@code other}. */
    default Condition and(Condition other) {
        return new All(List.of(this, other));
    }

    /** This condition or {@code other}. */
    default Condition or(Condition other) {
        return new Any(List.of(this, other));
    }

    private static String join(List<Condition> conditions, String separator) {
        StringBuilder sb = new StringBuilder();
        for (Condition c : conditions) {
            if (sb.length() > 0) {
                sb.append(separator);
            }
            sb.append(c instanceof All || c instanceof Any ? "(" + c.describe() + ")" : c.describe());
        }
        return sb.toString();
    }

    private static String words(String enumName) {
        String s = enumName.toLowerCase(Locale.ROOT).replace('_', ' ');
        return s.equals("c level") ? "C-level" : s.equals("vp") ? "VP" : Character.toUpperCase(s.charAt(0))
                + s.substring(1);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static Set<String> lowerCase(Set<String> values, String name) {
        Set<String> copy = nonEmpty(values, name);
        copy.forEach(v -> requireText(v, name));
        return Set.copyOf(copy.stream().map(v -> v.strip().toLowerCase(Locale.ROOT)).toList());
    }

    private static <T> Set<T> nonEmpty(Set<T> values, String name) {
        Set<T> copy = Set.copyOf(values);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return copy;
    }
}
