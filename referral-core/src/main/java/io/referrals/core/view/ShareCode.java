package io.referrals.core.view;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * An active referral code of the advocate, and its share link when the view was built with
 * {@link io.referrals.core.AdvocateViews.Builder#links links}.
 *
 * @param code the code as issued
 * @param link the link that carries the code, or empty
 */
public record ShareCode(String code, Optional<URI> link) {

    /** @throws NullPointerException if an argument is null */
    public ShareCode {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(link, "link");
    }
}
