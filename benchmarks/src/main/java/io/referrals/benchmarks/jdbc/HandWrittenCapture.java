package io.referrals.benchmarks.jdbc;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ReferralId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The capture benchmarks' baseline: the rows a capture writes, inserted by hand-written JDBC in one transaction: the
 * referral row (same 13 columns, a body of the engine's size), the new stream's sequence row and the
 * {@code ReferralSubmitted} event row (same columns and body size). The bodies, the event type and the matching keys'
 * length are copied from a referral the engine captured (the template). Thread-safe.
 */
final class HandWrittenCapture {
    private final String insertReferral;
    private final String insertSequence;
    private final String insertEvent;
    private final String programId;
    private final String advocateId;
    private final String referralBody;
    private final String eventType;
    private final String eventBody;
    private final int keyLength;
    private final Instant start;
    private final AtomicLong seconds = new AtomicLong();

    private HandWrittenCapture(String prefix, String programId, String advocateId, String referralBody,
            String eventType, String eventBody, int keyLength, Instant start) {
        this.insertReferral = "INSERT INTO " + prefix + "referral (id, program_id, advocate_id, stage, channel,"
                + " idempotency_key, submitted_at, updated_at, version, body, review, email_key, domain_key)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertSequence = "INSERT INTO " + prefix + "stream_seq (stream, last_seq) VALUES (?, 1)";
        this.insertEvent = "INSERT INTO " + prefix + "event (id, stream, seq, event_type, occurred_at, status,"
                + " attempts, next_attempt_at, last_error, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        this.programId = programId;
        this.advocateId = advocateId;
        this.referralBody = referralBody;
        this.eventType = eventType;
        this.eventBody = eventBody;
        this.keyLength = keyLength;
        this.start = start;
    }

    /**
     * Copies the template from {@code template}, a referral the engine captured just now (its submission event must be
     * the latest event of the store).
     */
    static HandWrittenCapture from(DataSource dataSource, String prefix, ReferralId template, AdvocateId advocate,
            String programId, Instant start) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            String body;
            int keyLength;
            try (ResultSet rs = st.executeQuery("SELECT body, email_key FROM " + prefix + "referral WHERE id = '"
                    + template.value() + "'")) {
                if (!rs.next()) {
                    throw new IllegalStateException("no referral " + template.value());
                }
                body = rs.getString(1);
                keyLength = rs.getString(2).length();
            }
            try (ResultSet rs = st.executeQuery("SELECT event_type, body FROM " + prefix + "event WHERE stream = '"
                    + "referral:" + template.value() + "' ORDER BY seq")) {
                if (!rs.next() || !rs.getString(1).contains("ReferralSubmitted")) {
                    throw new IllegalStateException("the template's first event is not a ReferralSubmitted");
                }
                return new HandWrittenCapture(prefix, programId, advocate.value(), body, rs.getString(1),
                        rs.getString(2), keyLength, start);
            }
        }
    }

    /** Inserts one referral with its sequence and event row; returns the rows inserted (3). */
    int capture(DataSource dataSource) throws SQLException {
        String id = UUID.randomUUID().toString();
        String stream = "referral:" + id;
        String key = (id.replace("-", "") + id.replace("-", "")).substring(0, keyLength);
        OffsetDateTime now = OffsetDateTime.ofInstant(start.plusSeconds(seconds.incrementAndGet()), ZoneOffset.UTC);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            int rows;
            try (PreparedStatement ps = c.prepareStatement(insertReferral)) {
                ps.setString(1, id);
                ps.setString(2, programId);
                ps.setString(3, advocateId);
                ps.setString(4, "submitted");
                ps.setString(5, "LINK_OR_CODE");
                ps.setString(6, null);
                ps.setObject(7, now);
                ps.setObject(8, now);
                ps.setLong(9, 1);
                ps.setString(10, referralBody);
                ps.setString(11, "CLEAR");
                ps.setString(12, key);
                ps.setString(13, key);
                rows = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(insertSequence)) {
                ps.setString(1, stream);
                rows += ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(insertEvent)) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, stream);
                ps.setLong(3, 1);
                ps.setString(4, eventType);
                ps.setObject(5, now);
                ps.setString(6, "D");
                ps.setInt(7, 0);
                ps.setObject(8, now);
                ps.setString(9, "");
                ps.setString(10, eventBody);
                rows += ps.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            return rows;
        }
    }
}
