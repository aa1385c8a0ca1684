package io.referrals.rules.definition;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Something an advocate can exchange points for. Build one with {@link #builder(String)}:
 *
 * <pre>{@code
 * CatalogueItem.builder("gift-card-50").name("50 USD gift card").cost(1500)
 *         .give(Give.giftCard(Amount.money(50, "USD"), "")).stock(100).build()
 * }</pre>
 *
 * @param id the item's id, unique in its rule set
 * @param name a name safe to show the advocate; the id when blank
 * @param cost its price in points, at least 1
 * @param give what the advocate gets: a fixed amount, never points
 * @param stock how many can be redeemed in all, or {@link #UNLIMITED}
 */
public record CatalogueItem(String id, String name, long cost, Give give, long stock) {
    /** No stock limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /**
     * @throws NullPointerException if {@code name} is null
     * @throws ValidationException naming every problem: an id that is not a name, a cost or stock below 1, no give,
     *     a give without a fixed amount, or points
     */
    public CatalogueItem {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            name = id;
        }
        RuleSetChecks.throwIfAny(problems(id, cost, give, stock));
    }

    /** A builder for an item with this id, to complete with its cost and what it gives; stock unlimited. */
    public static Builder builder(String id) {
        return new Builder(Names.requireName(id, "catalogue item id"));
    }

    private static List<FieldError> problems(String id, long cost, Give give, long stock) {
        List<FieldError> problems = new ArrayList<>();
        RuleSetChecks.name(id, "id", "a catalogue item id", problems);
        String item = "item '" + id + "'";
        if (cost < 1) {
            problems.add(new FieldError("cost", cost == 0 ? "required" : "invalid_value",
                    item + ": cost must be at least 1 point"));
        }
        if (give == null) {
            problems.add(new FieldError("give", "required", item + " needs something to give"));
        } else if (give instanceof Give.Points) {
            problems.add(new FieldError("give", "invalid_value", item + ": points cannot be bought with points"));
        } else if (!RuleSetChecks.hasFixedAmount(give)) {
            problems.add(new FieldError("give", "invalid_value",
                    item + ": the give needs a fixed amount (points or money)"));
        }
        if (stock < 1) {
            problems.add(new FieldError("stock", "invalid_value", item + ": stock must be at least 1"));
        }
        return problems;
    }

    /**
     * Builds a {@link CatalogueItem}. Each method refuses a bad argument at once; a missing cost or give is reported
     * by {@link #build()}, or with every other problem of the rule set it is added to. Not thread-safe.
     */
    public static final class Builder {
        private final String id;
        private String name = "";
        private long cost;
        private Give give;
        private long stock = UNLIMITED;

        private Builder(String id) {
            this.id = id;
        }

        /** A name safe to show the advocate; the id by default. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Its price in points.
         *
         * @throws IllegalArgumentException if {@code points} is less than 1
         */
        public Builder cost(long points) {
            if (points < 1) {
                throw new IllegalArgumentException("cost must be at least 1 point: " + points);
            }
            this.cost = points;
            return this;
        }

        /** What the advocate gets: a fixed amount of money, or an incentive without an amount; never points. */
        public Builder give(Give give) {
            this.give = Objects.requireNonNull(give, "give");
            return this;
        }

        /**
         * How many can be redeemed in all; unlimited by default.
         *
         * @throws IllegalArgumentException if {@code stock} is less than 1
         */
        public Builder stock(long stock) {
            if (stock < 1) {
                throw new IllegalArgumentException("stock must be at least 1: " + stock);
            }
            this.stock = stock;
            return this;
        }

        /**
         * The item.
         *
         * @throws ValidationException naming every problem
         */
        public CatalogueItem build() {
            RuleSetChecks.throwIfAny(problems());
            return new CatalogueItem(id, name, cost, give, stock);
        }

        /** Every problem {@link #build()} would report; empty if it would succeed. */
        List<FieldError> problems() {
            return CatalogueItem.problems(id, cost, give, stock);
        }
    }
}
