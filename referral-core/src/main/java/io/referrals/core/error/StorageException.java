package io.referrals.core.error;

import java.util.Optional;

/** The store failed. The SQLState of the underlying database error is kept when there was one. */
public final class StorageException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final String sqlState;

    public StorageException(String message, String sqlState, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
    }

    public StorageException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** The five-character SQLState reported by the database, when the failure came from one. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }
}
