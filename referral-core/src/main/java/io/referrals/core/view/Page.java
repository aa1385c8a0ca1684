package io.referrals.core.view;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a newest-first list of the advocate's view.
 *
 * @param items the lines of this page, newest first
 * @param next the opaque cursor of the next page (URL-safe, to pass back unchanged to
 *     {@link io.referrals.core.AdvocateViews}), or empty when this is the last page
 * @param <T> the kind of line
 */
public record Page<T>(List<T> items, Optional<String> next) {

    /** @throws NullPointerException if an argument or an item is null */
    public Page {
        items = List.copyOf(items);
        Objects.requireNonNull(next, "next");
    }

    /** Whether there is a page after this one. */
    public boolean hasNext() {
        return next.isPresent();
    }
}
