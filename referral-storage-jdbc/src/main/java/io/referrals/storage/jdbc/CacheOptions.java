package io.referrals.storage.jdbc;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the store's read caches (code key to code, program id to program, existing enrolments). A cache is local
 * to one store instance, invalidated there on every change and after every transaction that wrote the entry; changes
 * made by other instances are seen once an entry expires. Only values read outside a write of the same entry and
 * outside a host's transaction are cached, so a rolled-back write never reaches a cache. Caches never decide
 * uniqueness or money: conditional writes always go to the database.
 *
 * @param maximumSize entries kept per cache; 0 disables caching
 * @param expireAfterWrite how long an entry may be served, at most
 */
public record CacheOptions(long maximumSize, Duration expireAfterWrite) {

    /**
     * 10,000 entries per cache, each served for at most 10 seconds: with several instances, a program paused or a code
     * revoked by one instance may be seen by the others up to that late. Use {@link #DISABLED} where that matters.
     */
    public static final CacheOptions DEFAULTS = new CacheOptions(10_000, Duration.ofSeconds(10));

    /** No caching: every read goes to the database. */
    public static final CacheOptions DISABLED = new CacheOptions(0, Duration.ZERO);

    /**
     * @throws IllegalArgumentException if {@code maximumSize} or {@code expireAfterWrite} is negative
     */
    public CacheOptions {
        if (maximumSize < 0) {
            throw new IllegalArgumentException("maximumSize must not be negative: " + maximumSize);
        }
        Objects.requireNonNull(expireAfterWrite, "expireAfterWrite");
        if (expireAfterWrite.isNegative()) {
            throw new IllegalArgumentException("expireAfterWrite must not be negative");
        }
    }

    /** True when entries are kept at all. */
    public boolean enabled() {
        return maximumSize > 0 && !expireAfterWrite.isZero();
    }
}
