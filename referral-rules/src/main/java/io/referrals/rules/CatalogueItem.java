package io.referrals.rules;

import java.util.Objects;

/**
 * Something an advocate can exchange points for.
 *
 * @param id the item's id, unique in its rule set
 * @param name a name safe to show the advocate
 * @param cost its price in points, at least 1
 * @param give what the advocate gets; never points
 * @param stock how many can be redeemed in all, or {@link #UNLIMITED}
 */
public record CatalogueItem(String id, String name, long cost, Give give, long stock) {
    /** No stock limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    public CatalogueItem {
        Names.requireName(id, "catalogue item id");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            name = id;
        }
        if (cost < 1) {
            throw new IllegalArgumentException("item " + id + ": cost must be at least 1 point");
        }
        Objects.requireNonNull(give, "give");
        if (CompiledRule.fixedIncentive(give) == null) {
            throw new IllegalArgumentException(id + ": the give needs a fixed amount (points or money)");
        }
        if (give instanceof Give.Points) {
            throw new IllegalArgumentException("item " + id + ": points cannot be bought with points");
        }
        if (stock < 1) {
            throw new IllegalArgumentException("item " + id + ": stock must be at least 1");
        }
    }
}
