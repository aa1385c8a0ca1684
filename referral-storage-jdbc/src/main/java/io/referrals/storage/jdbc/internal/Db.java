package io.referrals.storage.jdbc.internal;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.ReferralException;
import io.referrals.core.error.StorageException;
import io.referrals.storage.jdbc.Dialect;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Binding of instants and translation of {@link SQLException}s into the library's exceptions. */
public final class Db {
    /** The earliest instant a time column holds (MariaDB's DATETIME starts at year 1000). */
    static final Instant MIN = Instant.parse("1000-01-01T00:00:00Z");
    /** The latest instant a time column holds. */
    static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Db() {
    }

    /**
     * Binds an instant as a UTC timestamp at microsecond precision, clamped to years 1000-9999. MariaDB's DATETIME
     * gets the UTC wall-clock value, so neither the session nor the JVM time zone plays a part.
     */
    static void setInstant(PreparedStatement ps, int index, Instant value, Dialect dialect) throws SQLException {
        Instant v = value.isBefore(MIN) ? MIN : value.isAfter(MAX) ? MAX : value.truncatedTo(ChronoUnit.MICROS);
        if (dialect == Dialect.MARIADB) {
            ps.setObject(index, LocalDateTime.ofInstant(v, ZoneOffset.UTC));
        } else {
            ps.setObject(index, OffsetDateTime.ofInstant(v, ZoneOffset.UTC));
        }
    }

    /** Reads an instant bound by {@link #setInstant}. */
    static Instant getInstant(ResultSet rs, int index, Dialect dialect) throws SQLException {
        if (dialect == Dialect.MARIADB) {
            return rs.getObject(index, LocalDateTime.class).toInstant(ZoneOffset.UTC);
        }
        return rs.getObject(index, OffsetDateTime.class).toInstant();
    }

    /** True for a violated unique or primary key. */
    static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || e.getErrorCode() == 1062 || e.getErrorCode() == 1586
                || ("23000".equals(state) && e.getErrorCode() == 1022);
    }

    /** True when the database rolled the transaction back to break a deadlock or a serialisation conflict. */
    static boolean isConcurrencyFailure(SQLException e) {
        String state = e.getSQLState();
        return "40001".equals(state) || "40P01".equals(state) || e.getErrorCode() == 1213
                || e.getErrorCode() == 90131;
    }

    /**
     * The library's exception for a failed statement: a retryable {@link ConflictException} for a deadlock or
     * serialisation failure, otherwise a {@link StorageException} keeping the SQLState. Integrity violations may
     * quote row values (personal data), so their driver message is not kept, only SQLState and vendor code.
     */
    public static ReferralException translate(SQLException e, String what) {
        if (isConcurrencyFailure(e)) {
            return new ConflictException("transaction", what + " lost a race with a concurrent transaction"
                    + " (SQLState " + e.getSQLState() + ")", true);
        }
        String state = e.getSQLState();
        Throwable cause = e;
        if (state != null && state.startsWith("23")) {
            cause = new SQLException("integrity constraint violated (message withheld)", state, e.getErrorCode());
        }
        return new StorageException(what + " failed (SQLState " + state + ", vendor code " + e.getErrorCode() + ")",
                state, cause);
    }
}
