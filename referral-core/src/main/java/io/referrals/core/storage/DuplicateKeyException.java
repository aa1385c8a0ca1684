package io.referrals.core.storage;

import io.referrals.core.error.ConflictException;

/**
 * A store refused an insert that would break one of its {@link UniqueKey}s. The transaction that saw it is rolled
 * back by the engine.
 */
public final class DuplicateKeyException extends ConflictException {
    private static final long serialVersionUID = 1L;

    private final UniqueKey key;

    public DuplicateKeyException(UniqueKey key) {
        super(key.name().toLowerCase(java.util.Locale.ROOT), "unique key violated: " + key, false);
        this.key = key;
    }

    /** Which uniqueness rule was violated. */
    public UniqueKey key() {
        return key;
    }
}
