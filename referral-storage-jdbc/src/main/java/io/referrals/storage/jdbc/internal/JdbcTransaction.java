package io.referrals.storage.jdbc.internal;

import io.referrals.core.error.StorageException;
import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramStats;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.EventId;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.AskStatus;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import io.referrals.storage.jdbc.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One store transaction on one connection. Used by one thread; closed when the store's {@code inTransaction} ends.
 * Every statement is prepared, executed and closed here; every {@link SQLException} leaves as a library exception.
 */
public final class JdbcTransaction implements StoreTransaction {
    private static final int MAX_ERROR_LENGTH = 1000;
    private static final int MERGE_ATTEMPTS = 10;

    private final Connection connection;
    private final Sql sql;
    private final Dialect dialect;
    private final Caches caches;
    private final JdbcInsights insights;
    private final boolean fillCaches;
    private final Set<ProgramId> wrotePrograms = new HashSet<>(2);
    private final Set<String> wroteCodes = new HashSet<>(2);
    private final Set<String> wroteEnrolments = new HashSet<>(2);
    /** PostgreSQL only, else null: writes held until the next other statement or the commit. */
    private final WriteBehind later;
    /** The last sequence this transaction reserved per stream: it holds the stream's row, so the next is known. */
    private final Map<String, Long> reserved = new HashMap<>(4);
    /** Streams of the referrals this transaction inserted, which have no sequence yet. */
    private final Set<String> newStreams = new HashSet<>(2);
    /** Streams whose sequence write {@link #later} holds. */
    private final Set<String> heldSequences = new HashSet<>(2);
    private boolean open = true;

    /**
     * @param fillCaches false inside a host's transaction, whose uncommitted writes must never reach a cache
     */
    public JdbcTransaction(Connection connection, Sql sql, Caches caches, boolean fillCaches) {
        this.connection = connection;
        this.sql = sql;
        this.dialect = sql.dialect;
        this.caches = caches;
        this.fillCaches = fillCaches;
        this.insights = new JdbcInsights(connection, sql);
        this.later = dialect == Dialect.POSTGRESQL ? new WriteBehind() : null;
    }

    /** Ends the transaction's use and invalidates what it wrote in the caches (after commit or rollback). */
    public void close() {
        open = false;
        if (later != null) {
            later.discard();
        }
        caches.invalidatePrograms(wrotePrograms);
        caches.invalidateCodes(wroteCodes);
        caches.invalidateEnrolments(wroteEnrolments);
    }

    /** Fails once the transaction is over; then sends the writes held, so that what follows sees them. */
    private void check() {
        checkOpen();
        flush();
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("the transaction is over");
        }
    }

    /**
     * Sends the writes held back (PostgreSQL): before any other statement, and by the store before it commits.
     *
     * @throws DuplicateKeyException when a held insert met a unique key
     */
    public void flush() {
        if (later == null || later.isEmpty()) {
            return;
        }
        heldSequences.clear();
        try {
            later.flush(connection);
        } catch (SQLException e) {
            throw Db.translate(e, "flush");
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> Optional<T> one(String statement, Binder binder, Row<T> row, String what) {
        checkOpen();
        try {
            return query(statement, binder, rs -> rs.next() ? Optional.of(row.map(rs)) : Optional.empty());
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    private <T> List<T> list(String statement, Binder binder, Row<T> row, String what) {
        checkOpen();
        try {
            return query(statement, binder, rs -> {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            });
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    /** Runs a query and reads its rows; on PostgreSQL the writes held go ahead of it (see {@link #run}). */
    private <T> T query(String statement, Binder binder, Rows<T> rows) throws SQLException {
        return run(statement, binder, (ps, hasRows) -> {
            if (!hasRows) {
                throw new IllegalStateException("a query returned no rows: " + statement);
            }
            try (ResultSet rs = ps.getResultSet()) {
                return rows.read(rs);
            }
        });
    }

    /** Runs a write and returns its update count; on PostgreSQL the writes held go ahead of it (see {@link #run}). */
    private int exec(String statement, Binder binder) throws SQLException {
        return run(statement, binder, (ps, hasRows) -> {
            if (hasRows) {
                throw new IllegalStateException("a write returned rows: " + statement);
            }
            return ps.getUpdateCount();
        });
    }

    @FunctionalInterface
    private interface Outcome<T> {
        T read(PreparedStatement ps, boolean hasRows) throws SQLException;
    }

    /**
     * Runs one statement. On PostgreSQL the writes held go ahead of it in the same round trip, as the first of two
     * statements in one JDBC statement, which the server runs in order: the statement sees their rows, and a held
     * write's clash is thrown once both have run.
     */
    private <T> T run(String statement, Binder binder, Outcome<T> outcome) throws SQLException {
        WriteBehind.Held held = takeHeld();
        int[] counts = null;
        T result;
        try (PreparedStatement ps = connection.prepareStatement(held == null ? statement
                : held.sql() + ";\n" + statement)) {
            if (held == null) {
                binder.bind(ps);
            } else {
                held.bind(ps);
                binder.bind(WriteBehind.shifted(ps, held.parameters()));
            }
            boolean hasRows = ps.execute();
            if (held != null) {
                try (ResultSet rs = ps.getResultSet()) {
                    counts = held.counts(rs);
                }
                hasRows = ps.getMoreResults();
            }
            result = outcome.read(ps, hasRows);
        }
        if (held != null) {
            held.check(counts);
        }
        return result;
    }

    /** The writes held, taken out to go ahead of the next statement; null when none (or not PostgreSQL). */
    private WriteBehind.Held takeHeld() {
        if (later == null || later.isEmpty()) {
            return null;
        }
        heldSequences.clear();
        return later.take();
    }

    private int update(String statement, Binder binder, String what) {
        checkOpen();
        try {
            return exec(statement, binder);
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    /**
     * Runs an insert guarded by unique keys. A clash (an exception, or on PostgreSQL an update count of 0 from
     * {@code ON CONFLICT DO NOTHING}, which keeps the transaction usable) becomes a {@link DuplicateKeyException}
     * naming the key: {@code other} when the driver's message names {@code otherConstraint} or {@code isPrimary}
     * says the primary key is free, otherwise {@code primary}.
     */
    private void insert(String statement, Binder binder, String what, UniqueKey primary, String otherConstraint,
            UniqueKey other, PrimaryProbe isPrimary) {
        checkOpen();
        try {
            if (exec(statement, binder) == 0) {
                throw new DuplicateKeyException(other == null || isPrimary == null || isPrimary.taken()
                        ? primary : other);
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                boolean isOther = other != null && message.contains(sql.constraint(otherConstraint));
                throw new DuplicateKeyException(isOther ? other : primary);
            }
            throw Db.translate(e, what);
        }
    }

    private void insert(String statement, Binder binder, String what, UniqueKey key) {
        insert(statement, binder, what, key, null, null, null);
    }

    /** Holds back an insert guarded by one unique key on PostgreSQL ({@link WriteBehind}); elsewhere runs it now. */
    private void insertOrHold(String statement, WriteBehind.Params params, String what, UniqueKey key) {
        if (later == null) {
            insert(statement, ps -> params.bind(ps, 1), what, key);
            return;
        }
        checkOpen();
        later.add(statement, params, () -> new DuplicateKeyException(key));
    }

    @FunctionalInterface
    private interface PrimaryProbe {
        boolean taken() throws SQLException;
    }

    private boolean exists(String statement, String id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(statement)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        Db.setInstant(ps, index, value, dialect);
    }

    private Instant instant(ResultSet rs, int index) throws SQLException {
        return Db.getInstant(rs, index, dialect);
    }

    // ---- programs -------------------------------------------------------------------------------------------------

    @Override
    public void insertProgram(Program program) {
        wrotePrograms.add(program.id());
        insert(sql.insertProgram, ps -> {
            ps.setString(1, program.id().value());
            ps.setString(2, program.name());
            ps.setString(3, program.status().name());
            ps.setLong(4, program.version());
            ps.setString(5, Json.write(program));
        }, "insertProgram", UniqueKey.PROGRAM_ID);
    }

    @Override
    public boolean updateProgram(Program program) {
        wrotePrograms.add(program.id());
        return update(sql.updateProgram, ps -> {
            ps.setString(1, program.name());
            ps.setString(2, program.status().name());
            ps.setLong(3, program.version());
            ps.setString(4, Json.write(program));
            ps.setString(5, program.id().value());
            ps.setLong(6, program.version() - 1);
        }, "updateProgram") == 1;
    }

    @Override
    public Optional<Program> program(ProgramId id) {
        Objects.requireNonNull(id, "id");
        check();
        boolean cacheable = !wrotePrograms.contains(id);
        if (cacheable) {
            Optional<Program> cached = caches.program(id);
            if (cached.isPresent()) {
                return cached;
            }
        }
        Optional<Program> p = one(sql.program, ps -> ps.setString(1, id.value()),
                rs -> Json.read(rs.getString(1), Program.class), "program");
        if (cacheable && fillCaches) {
            p.ifPresent(caches::putProgram);
        }
        return p;
    }

    @Override
    public List<Program> programs() {
        return list(sql.programs, ps -> { }, rs -> Json.read(rs.getString(1), Program.class), "programs");
    }

    // ---- advocates ------------------------------------------------------------------------------------------------

    @Override
    public void insertAdvocate(Advocate advocate) {
        insert(sql.insertAdvocate, ps -> {
            ps.setString(1, advocate.id().value());
            ps.setString(2, advocate.externalId());
            setInstant(ps, 3, advocate.registeredAt());
            ps.setLong(4, advocate.version());
            ps.setString(5, Json.write(advocate));
            JdbcInsights.bindAdvocate(ps, 6, advocate);
        }, "insertAdvocate", UniqueKey.ADVOCATE_ID, "advocate_ext_uk", UniqueKey.ADVOCATE_EXTERNAL_ID,
                () -> exists(sql.advocateExists, advocate.id().value()));
        try {
            insights.writeSegments(advocate, false);
        } catch (SQLException e) {
            throw Db.translate(e, "insertAdvocate");
        }
    }

    @Override
    public boolean updateAdvocate(Advocate advocate) {
        check();
        try {
            boolean updated = exec(sql.updateAdvocate, ps -> {
                ps.setString(1, advocate.externalId());
                ps.setLong(2, advocate.version());
                ps.setString(3, Json.write(advocate));
                JdbcInsights.bindAdvocate(ps, 4, advocate);
                ps.setString(6, advocate.id().value());
                ps.setLong(7, advocate.version() - 1);
            }) == 1;
            if (updated) {
                insights.writeSegments(advocate, true);
            }
            return updated;
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new DuplicateKeyException(UniqueKey.ADVOCATE_EXTERNAL_ID);
            }
            throw Db.translate(e, "updateAdvocate");
        }
    }

    @Override
    public Optional<Advocate> advocate(AdvocateId id) {
        return one(sql.advocate, ps -> ps.setString(1, id.value()),
                rs -> Json.read(rs.getString(1), Advocate.class), "advocate");
    }

    @Override
    public Optional<Advocate> advocateByExternalId(String externalId) {
        return one(sql.advocateByExternalId, ps -> ps.setString(1, externalId),
                rs -> Json.read(rs.getString(1), Advocate.class), "advocateByExternalId");
    }

    @Override
    public void insertEnrolment(Enrolment enrolment) {
        wroteEnrolments.add(Caches.enrolmentKey(enrolment.advocateId(), enrolment.programId()));
        insert(sql.insertEnrolment, ps -> {
            ps.setString(1, enrolment.advocateId().value());
            ps.setString(2, enrolment.programId().value());
            setInstant(ps, 3, enrolment.enrolledAt());
        }, "insertEnrolment", UniqueKey.ENROLMENT);
    }

    private Enrolment enrolmentRow(ResultSet rs) throws SQLException {
        return new Enrolment(AdvocateId.of(rs.getString(1)), ProgramId.of(rs.getString(2)), instant(rs, 3));
    }

    @Override
    public Optional<Enrolment> enrolment(AdvocateId advocateId, ProgramId programId) {
        check();
        String key = Caches.enrolmentKey(advocateId, programId);
        boolean cacheable = !wroteEnrolments.contains(key);
        if (cacheable) {
            Optional<Enrolment> cached = caches.enrolment(key);
            if (cached.isPresent()) {
                return cached;
            }
        }
        Optional<Enrolment> e = one(sql.enrolment, ps -> {
            ps.setString(1, advocateId.value());
            ps.setString(2, programId.value());
        }, this::enrolmentRow, "enrolment");
        if (cacheable && fillCaches) {
            e.ifPresent(caches::putEnrolment);
        }
        return e;
    }

    @Override
    public List<Enrolment> enrolments(AdvocateId advocateId) {
        return list(sql.enrolments, ps -> ps.setString(1, advocateId.value()), this::enrolmentRow, "enrolments");
    }

    // ---- codes ----------------------------------------------------------------------------------------------------

    private void bindCode(PreparedStatement ps, int from, ReferralCode c) throws SQLException {
        ps.setString(from, c.code());
        ps.setString(from + 1, c.advocateId().value());
        ps.setString(from + 2, c.programId().value());
        ps.setBoolean(from + 3, c.vanity());
        ps.setString(from + 4, c.status().name());
        setInstant(ps, from + 5, c.issuedAt());
        setInstant(ps, from + 6, c.statusChangedAt());
    }

    private ReferralCode codeRow(ResultSet rs) throws SQLException {
        return new ReferralCode(rs.getString(1), AdvocateId.of(rs.getString(2)), ProgramId.of(rs.getString(3)),
                rs.getBoolean(4), CodeStatus.valueOf(rs.getString(5)), instant(rs, 6), instant(rs, 7));
    }

    @Override
    public void insertCode(ReferralCode code) {
        wroteCodes.add(code.key());
        insert(sql.insertCode, ps -> {
            ps.setString(1, code.key());
            bindCode(ps, 2, code);
        }, "insertCode", UniqueKey.CODE);
    }

    @Override
    public Optional<ReferralCode> code(String key) {
        Objects.requireNonNull(key, "key");
        check();
        boolean cacheable = !wroteCodes.contains(key);
        if (cacheable) {
            Optional<ReferralCode> cached = caches.code(key);
            if (cached.isPresent()) {
                return cached;
            }
        }
        Optional<ReferralCode> c = one(sql.code, ps -> ps.setString(1, key), this::codeRow, "code");
        if (cacheable && fillCaches) {
            c.ifPresent(caches::putCode);
        }
        return c;
    }

    @Override
    public boolean updateCode(ReferralCode expected, ReferralCode updated) {
        check();
        wroteCodes.add(updated.key());
        if (!expected.key().equals(updated.key())) {
            return false;
        }
        return update(sql.updateCode, ps -> {
            bindCode(ps, 1, updated);
            ps.setString(8, updated.key());
            ps.setString(9, expected.status().name());
            setInstant(ps, 10, expected.statusChangedAt());
        }, "updateCode") == 1;
    }

    @Override
    public List<ReferralCode> codes(AdvocateId advocateId) {
        return list(sql.codes, ps -> ps.setString(1, advocateId.value()), this::codeRow, "codes");
    }

    // ---- referrals ------------------------------------------------------------------------------------------------

    @Override
    public void insertReferral(Referral r) {
        PrimaryProbe idTaken = () -> exists(sql.referralExists, r.id().value());
        if (later != null) {
            checkOpen();
            newStreams.add(EventStreams.of(r.id()));
            later.add(sql.insertReferral, (ps, from) -> bindReferralInsert(ps, from, r),
                    () -> new DuplicateKeyException(idTaken.taken() ? UniqueKey.REFERRAL_ID
                            : UniqueKey.IDEMPOTENCY_KEY));
            return;
        }
        insert(sql.insertReferral, ps -> bindReferralInsert(ps, 1, r), "insertReferral", UniqueKey.REFERRAL_ID,
                "referral_idem_uk", UniqueKey.IDEMPOTENCY_KEY, idTaken);
    }

    /** Binds every column of {@link Sql#insertReferral}, the first at {@code from}. */
    private void bindReferralInsert(PreparedStatement ps, int from, Referral r) throws SQLException {
        ps.setString(from, r.id().value());
        ps.setString(from + 1, r.programId().value());
        ps.setString(from + 2, r.advocateId().value());
        ps.setString(from + 3, r.stage().name());
        ps.setString(from + 4, r.channel().name());
        ps.setString(from + 5, r.idempotencyKey().isEmpty() ? null : r.idempotencyKey());
        setInstant(ps, from + 6, r.submittedAt());
        setInstant(ps, from + 7, r.updatedAt());
        ps.setLong(from + 8, r.version());
        ps.setString(from + 9, Json.writeReferral(r));
        bindReferralScreening(ps, from + 10, r);
        JdbcInsights.bindReferral(ps, from + 13, r);
    }

    private static void bindReferralScreening(PreparedStatement ps, int from, Referral r) throws SQLException {
        ps.setString(from, r.review().name());
        ps.setString(from + 1, r.prospectEmailKey().isEmpty() ? null : r.prospectEmailKey());
        ps.setString(from + 2, r.prospectDomainKey().isEmpty() ? null : r.prospectDomainKey());
    }

    /**
     * Sends the referrals in JDBC batches. A clash anywhere is reported like {@link #insertReferral}'s, after which
     * the caller's transaction is rolled back.
     */
    @Override
    public void insertReferrals(List<Referral> referrals) {
        if (referrals.isEmpty()) {
            return;
        }
        check();
        try (PreparedStatement ps = connection.prepareStatement(sql.insertReferral)) {
            int pending = 0;
            for (Referral r : referrals) {
                bindReferralInsert(ps, 1, r);
                ps.addBatch();
                if (++pending == BATCH) {
                    checkBatch(ps.executeBatch(), referrals);
                    pending = 0;
                }
            }
            if (pending > 0) {
                checkBatch(ps.executeBatch(), referrals);
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                throw new DuplicateKeyException(message.contains(sql.constraint("referral_idem_uk"))
                        ? UniqueKey.IDEMPOTENCY_KEY : UniqueKey.REFERRAL_ID);
            }
            throw Db.translate(e, "insertReferrals");
        }
    }

    private static final int BATCH = 500;

    /** On PostgreSQL a clash is an update count of 0 ({@code ON CONFLICT DO NOTHING}): tell which key clashed. */
    private void checkBatch(int[] counts, List<Referral> all) throws SQLException {
        for (int c : counts) {
            if (c == 0) {
                for (Referral r : all) {
                    if (!r.idempotencyKey().isEmpty()) {
                        Optional<Referral> holder = referralByIdempotencyKey(r.idempotencyKey());
                        if (holder.isPresent() && !holder.get().id().equals(r.id())) {
                            throw new DuplicateKeyException(UniqueKey.IDEMPOTENCY_KEY);
                        }
                    }
                }
                throw new DuplicateKeyException(UniqueKey.REFERRAL_ID);
            }
        }
    }

    /** Writes nothing (false) for a changed idempotency key or dedupe key: those never change. */
    @Override
    public boolean updateReferral(Referral r) {
        return update(sql.updateReferral, ps -> {
            ps.setString(1, r.programId().value());
            ps.setString(2, r.advocateId().value());
            ps.setString(3, r.stage().name());
            ps.setString(4, r.channel().name());
            setInstant(ps, 5, r.updatedAt());
            ps.setLong(6, r.version());
            ps.setString(7, Json.writeReferral(r));
            bindReferralScreening(ps, 8, r);
            JdbcInsights.bindReferral(ps, 11, r);
            ps.setString(14, r.id().value());
            ps.setLong(15, r.version() - 1);
            ps.setString(16, r.idempotencyKey());
        }, "updateReferral") == 1;
    }

    @Override
    public Optional<Referral> referral(ReferralId id) {
        return one(sql.referral, ps -> ps.setString(1, id.value()), rs -> Json.readReferral(rs.getString(1)),
                "referral");
    }

    @Override
    public Optional<Referral> referralByIdempotencyKey(String idempotencyKey) {
        if (idempotencyKey.isEmpty()) {
            return Optional.empty();
        }
        return one(sql.referralByIdempotencyKey, ps -> ps.setString(1, idempotencyKey),
                rs -> Json.readReferral(rs.getString(1)), "referralByIdempotencyKey");
    }

    @Override
    public List<Referral> referrals(ReferralQuery query) {
        StringBuilder where = new StringBuilder();
        List<String> args = new ArrayList<>(4);
        query.programId().ifPresent(p -> condition(where, args, "program_id", p.value()));
        query.advocateId().ifPresent(a -> condition(where, args, "advocate_id", a.value()));
        query.stage().ifPresent(s -> condition(where, args, "stage", s.name()));
        query.review().ifPresent(r -> condition(where, args, "review", r.name()));
        query.after().ifPresent(a -> {
            where.append(where.length() == 0 ? " WHERE " : " AND ").append("id > ?");
            args.add(a.value());
        });
        String statement = "SELECT body FROM " + sql.t("referral") + where + " ORDER BY id LIMIT ?";
        return list(statement, ps -> {
            for (int i = 0; i < args.size(); i++) {
                ps.setString(i + 1, args.get(i));
            }
            ps.setInt(args.size() + 1, query.limit());
        }, rs -> Json.readReferral(rs.getString(1)), "referrals");
    }

    private static void condition(StringBuilder where, List<String> args, String column, String value) {
        where.append(where.length() == 0 ? " WHERE " : " AND ").append(column).append(" = ?");
        args.add(value);
    }

    @Override
    public void appendTimelineEntry(TimelineEntry e) {
        insertOrHold(sql.insertTimeline, (ps, from) -> bindTimeline(ps, from, e), "appendTimelineEntry",
                UniqueKey.TIMELINE_ENTRY);
    }

    @Override
    public void appendTimelineEntries(List<TimelineEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        check();
        try (PreparedStatement ps = connection.prepareStatement(sql.insertTimeline)) {
            int pending = 0;
            for (TimelineEntry e : entries) {
                bindTimeline(ps, 1, e);
                ps.addBatch();
                if (++pending == BATCH) {
                    requireInserted(ps.executeBatch());
                    pending = 0;
                }
            }
            if (pending > 0) {
                requireInserted(ps.executeBatch());
            }
        } catch (SQLException e) {
            if (Db.isUniqueViolation(e)) {
                throw new DuplicateKeyException(UniqueKey.TIMELINE_ENTRY);
            }
            throw Db.translate(e, "appendTimelineEntries");
        }
    }

    /** Binds every column of {@link Sql#insertTimeline}, the first at {@code from}. */
    private void bindTimeline(PreparedStatement ps, int from, TimelineEntry e) throws SQLException {
        ps.setString(from, e.referralId().value());
        ps.setInt(from + 1, e.sequence());
        ps.setString(from + 2, e.from().name());
        ps.setString(from + 3, e.to().name());
        setInstant(ps, from + 4, e.at());
        ps.setString(from + 5, e.cause().kind().name());
        ps.setString(from + 6, e.cause().actor());
        ps.setString(from + 7, e.reason());
        ps.setString(from + 8, e.externalRef());
    }

    private static void requireInserted(int[] counts) {
        for (int c : counts) {
            if (c == 0) {
                throw new DuplicateKeyException(UniqueKey.TIMELINE_ENTRY);
            }
        }
    }

    @Override
    public List<TimelineEntry> timeline(ReferralId id) {
        return list(sql.timeline, ps -> ps.setString(1, id.value()), rs -> new TimelineEntry(
                ReferralId.of(rs.getString(1)), rs.getInt(2), Stage.of(rs.getString(3)), Stage.of(rs.getString(4)),
                instant(rs, 5), new TransitionCause(TransitionCause.Kind.valueOf(rs.getString(6)), rs.getString(7)),
                rs.getString(8), rs.getString(9)), "timeline");
    }

    // ---- events and outbox ----------------------------------------------------------------------------------------

    @Override
    public long nextSequence(String stream) {
        Objects.requireNonNull(stream, "stream");
        checkOpen();
        if (later != null) {
            Long last = reserved.get(stream);
            if (last == null && newStreams.contains(stream)) {
                last = 0L;
            }
            if (last != null) {
                return holdSequence(stream, last + 1);
            }
        }
        check();
        try {
            switch (dialect) {
                case MARIADB -> {
                    try (PreparedStatement ps = connection.prepareStatement(sql.nextSequence,
                            Statement.RETURN_GENERATED_KEYS)) {
                        ps.setString(1, stream);
                        ps.executeUpdate();
                        try (ResultSet rs = ps.getGeneratedKeys()) {
                            if (!rs.next()) {
                                throw new IllegalStateException("the database returned no sequence for a stream");
                            }
                            return rs.getLong(1);
                        }
                    }
                }
                case POSTGRESQL -> {
                    long next = querySequence(stream);
                    reserved.put(stream, next);
                    return next;
                }
                default -> {
                    for (int attempt = 1; ; attempt++) {
                        try {
                            return querySequence(stream);
                        } catch (SQLException e) {
                            // two first reservations of a new stream raced; the loser now finds the row
                            if (!Db.isUniqueViolation(e) || attempt == MERGE_ATTEMPTS) {
                                throw e;
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw Db.translate(e, "nextSequence");
        }
    }

    /**
     * Reserves {@code next}, known to be the stream's next sequence (the transaction holds the stream's row, or
     * inserted the stream's referral), with a write held back; one write per stream, set to its latest value.
     */
    private long holdSequence(String stream, long next) {
        reserved.put(stream, next);
        if (heldSequences.add(stream)) {
            long expected = next - 1;
            later.add(sql.setSequence, (ps, from) -> {
                ps.setString(from, stream);
                ps.setLong(from + 1, reserved.get(stream));
                ps.setLong(from + 2, expected);
            }, () -> new StorageException("the last sequence of stream " + stream + " was not " + expected
                    + " as this transaction expected", null));
        }
        return next;
    }

    private long querySequence(String stream) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql.nextSequence)) {
            ps.setString(1, stream);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Override
    public void appendEvent(ReferralEvent event, boolean pending, Instant dueAt) {
        Objects.requireNonNull(dueAt, "dueAt");
        insertOrHold(sql.insertEvent, (ps, from) -> bindEvent(ps, from, event, pending, dueAt), "appendEvent",
                UniqueKey.EVENT);
    }

    /** Binds every column of {@link Sql#insertEvent}, the first at {@code from}. */
    private void bindEvent(PreparedStatement ps, int from, ReferralEvent event, boolean pending, Instant dueAt)
            throws SQLException {
        ps.setString(from, event.metadata().id().value());
        ps.setString(from + 1, event.metadata().stream());
        ps.setLong(from + 2, event.metadata().sequence());
        ps.setString(from + 3, Json.eventType(event));
        setInstant(ps, from + 4, event.metadata().occurredAt());
        ps.setString(from + 5, pending ? "P" : "D");
        ps.setInt(from + 6, 0);
        setInstant(ps, from + 7, dueAt);
        ps.setString(from + 8, "");
        ps.setString(from + 9, Json.write(event));
    }

    private OutboxEntry entryRow(ResultSet rs, int from) throws SQLException {
        ReferralEvent event = Json.readEvent(rs.getString(from), rs.getString(from + 1));
        OutboxStatus status = switch (rs.getString(from + 2)) {
            case "P" -> OutboxStatus.PENDING;
            case "D" -> OutboxStatus.DELIVERED;
            default -> OutboxStatus.PARKED;
        };
        return new OutboxEntry(event, status, rs.getInt(from + 3), instant(rs, from + 4), rs.getString(from + 5));
    }

    @Override
    public List<OutboxEntry> events(String stream) {
        return list(sql.events, ps -> ps.setString(1, stream), rs -> entryRow(rs, 1), "events");
    }

    @Override
    public List<OutboxEntry> claimDueEvents(Instant now, int limit, Instant leaseUntil) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        if (dialect == Dialect.POSTGRESQL) {
            List<long[]> order = new ArrayList<>();
            List<OutboxEntry> claimed = list(sql.claimAndLease, ps -> {
                setInstant(ps, 1, leaseUntil);
                setInstant(ps, 2, now);
                ps.setInt(3, limit);
            }, rs -> {
                order.add(new long[] {rs.getLong(1), order.size()});
                OutboxEntry e = entryRow(rs, 2);
                return new OutboxEntry(e.event(), e.status(), e.attempts(), leaseUntil, e.lastError());
            }, "claimDueEvents");
            order.sort(Comparator.comparingLong(o -> o[0]));
            List<OutboxEntry> oldestFirst = new ArrayList<>(claimed.size());
            order.forEach(o -> oldestFirst.add(claimed.get((int) o[1])));
            return oldestFirst;
        }
        List<OutboxEntry> due = list(sql.claim, ps -> {
            setInstant(ps, 1, now);
            ps.setInt(2, limit);
        }, rs -> entryRow(rs, 2), "claimDueEvents");
        if (due.isEmpty()) {
            return due;
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.lease)) {
            for (OutboxEntry e : due) {
                setInstant(ps, 1, leaseUntil);
                ps.setString(2, e.event().metadata().id().value());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            List<OutboxEntry> claimed = new ArrayList<>(due.size());
            for (int i = 0; i < due.size(); i++) {
                if (counts.length <= i || counts[i] != 0) {
                    OutboxEntry e = due.get(i);
                    claimed.add(new OutboxEntry(e.event(), e.status(), e.attempts(), leaseUntil, e.lastError()));
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw Db.translate(e, "claimDueEvents");
        }
    }

    @Override
    public boolean markEventDelivered(EventId id) {
        return update(sql.delivered, ps -> ps.setString(1, id.value()), "markEventDelivered") == 1;
    }

    @Override
    public boolean markEventFailed(EventId id, String error, Instant retryAt, boolean park) {
        Objects.requireNonNull(retryAt, "retryAt");
        String e = error == null ? "" : error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH)
                : error;
        return update(sql.failed, ps -> {
            ps.setString(1, e);
            setInstant(ps, 2, retryAt);
            ps.setString(3, park ? "X" : "P");
            ps.setString(4, id.value());
        }, "markEventFailed") == 1;
    }

    @Override
    public List<OutboxEntry> parkedEvents(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return list(sql.parked, ps -> ps.setInt(1, limit), rs -> entryRow(rs, 1), "parkedEvents");
    }

    @Override
    public boolean requeueEvent(EventId id, Instant dueAt) {
        Objects.requireNonNull(dueAt, "dueAt");
        return update(sql.requeue, ps -> {
            setInstant(ps, 1, dueAt);
            ps.setString(2, id.value());
        }, "requeueEvent") == 1;
    }

    // ---- rewards, ledger, limits -----------------------------------------------------------------------------------

    @Override
    public void insertReward(Reward r) {
        insertOrHold(sql.insertReward, (ps, from) -> bindRewardInsert(ps, from, r), "insertReward", UniqueKey.REWARD);
    }

    /** Binds every column of {@link Sql#insertReward}, the first at {@code from}. */
    private void bindRewardInsert(PreparedStatement ps, int from, Reward r) throws SQLException {
        ps.setString(from, r.id().value());
        ps.setString(from + 1, r.dedupeKey());
        ps.setString(from + 2, r.advocateId().value());
        ps.setString(from + 3, r.source().kind().name());
        ps.setString(from + 4, r.source().id());
        ps.setString(from + 5, r.status().name());
        setInstant(ps, from + 6, r.createdAt());
        setInstant(ps, from + 7, r.holdUntil());
        ps.setLong(from + 8, r.version());
        ps.setString(from + 9, Json.write(r));
        JdbcInsights.bindReward(ps, from + 10, r);
    }

    @Override
    public boolean updateReward(Reward r) {
        return update(sql.updateReward, ps -> {
            ps.setString(1, r.advocateId().value());
            ps.setString(2, r.status().name());
            setInstant(ps, 3, r.createdAt());
            setInstant(ps, 4, r.holdUntil());
            ps.setLong(5, r.version());
            ps.setString(6, Json.write(r));
            JdbcInsights.bindReward(ps, 7, r);
            ps.setString(12, r.id().value());
            ps.setLong(13, r.version() - 1);
            ps.setString(14, r.dedupeKey());
        }, "updateReward") == 1;
    }

    private static Reward rewardRow(ResultSet rs) throws SQLException {
        return Json.read(rs.getString(1), Reward.class);
    }

    private static final Comparator<Reward> BY_CREATION =
            Comparator.comparing(Reward::createdAt).thenComparing(r -> r.id().value());

    @Override
    public Optional<Reward> reward(RewardId id) {
        return one(sql.reward, ps -> ps.setString(1, id.value()), JdbcTransaction::rewardRow, "reward");
    }

    @Override
    public Optional<Reward> rewardByDedupeKey(String dedupeKey) {
        return one(sql.rewardByDedupeKey, ps -> ps.setString(1, dedupeKey), JdbcTransaction::rewardRow,
                "rewardByDedupeKey");
    }

    @Override
    public List<Reward> rewardsOfReferral(ReferralId id) {
        List<Reward> out = list(sql.rewardsOfReferral, ps -> ps.setString(1, id.value()),
                JdbcTransaction::rewardRow, "rewardsOfReferral");
        out.removeIf(r -> r.source().kind() != RewardSource.Kind.REFERRAL);
        out.sort(BY_CREATION);
        return out;
    }

    @Override
    public List<Reward> rewardsOfAdvocate(AdvocateId id) {
        List<Reward> out = list(sql.rewardsOfAdvocate, ps -> ps.setString(1, id.value()),
                JdbcTransaction::rewardRow, "rewardsOfAdvocate");
        out.sort(BY_CREATION);
        return out;
    }

    @Override
    public List<Reward> rewardsDue(RewardStatus status, Instant dueBy, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return list(sql.rewardsDue, ps -> {
            ps.setString(1, status.name());
            setInstant(ps, 2, dueBy);
            ps.setInt(3, limit);
        }, JdbcTransaction::rewardRow, "rewardsDue");
    }

    @Override
    public boolean appendLedgerEntry(LedgerEntry entry) {
        checkOpen();
        String advocate = entry.advocateId().value();
        // the entry first, so that a replayed key is reported as a duplicate whatever the balance
        insertLedger(entry);
        try {
            if (entry.points() > 0) {
                creditBalance(advocate, entry.points());
                return true;
            }
            // the conditional update is the atomic "never below zero" check
            if (exec(sql.debit, ps -> {
                ps.setLong(1, entry.points());
                ps.setString(2, advocate);
                ps.setLong(3, entry.points());
            }) == 1) {
                return true;
            }
            exec(sql.deleteLedger, ps -> ps.setString(1, entry.id().value()));
            return false;
        } catch (SQLException e) {
            throw Db.translate(e, "appendLedgerEntry");
        }
    }

    private void insertLedger(LedgerEntry e) {
        insert(sql.insertLedger, ps -> {
            ps.setString(1, e.id().value());
            ps.setString(2, e.advocateId().value());
            ps.setString(3, e.kind().name());
            ps.setLong(4, e.points());
            ps.setString(5, e.rewardId());
            ps.setString(6, e.idempotencyKey());
            setInstant(ps, 7, e.at());
            ps.setString(8, e.reason());
        }, "appendLedgerEntry", UniqueKey.LEDGER_ENTRY);
    }

    private void creditBalance(String advocate, long points) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                exec(sql.credit, ps -> {
                    ps.setString(1, advocate);
                    ps.setLong(2, points);
                });
                return;
            } catch (SQLException e) {
                // H2's MERGE: two first credits of one advocate raced; the loser now finds the row
                if (!Db.isUniqueViolation(e) || attempt == MERGE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public long pointsBalance(AdvocateId advocateId) {
        return one(sql.balance, ps -> ps.setString(1, advocateId.value()), rs -> rs.getLong(1), "pointsBalance")
                .orElse(0L);
    }

    @Override
    public List<LedgerEntry> ledger(AdvocateId advocateId) {
        List<LedgerEntry> out = list(sql.ledger, ps -> ps.setString(1, advocateId.value()), rs -> new LedgerEntry(
                LedgerEntryId.of(rs.getString(1)), AdvocateId.of(rs.getString(2)),
                LedgerEntry.Kind.valueOf(rs.getString(3)), rs.getLong(4), rs.getString(5), rs.getString(6),
                instant(rs, 7), rs.getString(8)), "ledger");
        out.sort(Comparator.comparing(LedgerEntry::at).thenComparing(e -> e.id().value()));
        return out;
    }

    @Override
    public boolean tryConsume(String key, long amount, long capacity) {
        Objects.requireNonNull(key, "key");
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be positive: " + amount);
        }
        check();
        if (amount > capacity) {
            return false;
        }
        try {
            if (dialect == Dialect.POSTGRESQL) {
                return exec(sql.tryConsume, ps -> {
                    ps.setString(1, key);
                    ps.setLong(2, amount);
                    ps.setLong(3, capacity);
                }) == 1;
            }
            if (dialect == Dialect.H2) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        return exec(sql.tryConsume, ps -> {
                            ps.setString(1, key);
                            ps.setLong(2, amount);
                            ps.setLong(3, capacity);
                        }) == 1;
                    } catch (SQLException e) {
                        // two first uses of one counter raced; the row exists now
                        if (!Db.isUniqueViolation(e) || attempt == MERGE_ATTEMPTS) {
                            throw e;
                        }
                    }
                }
            }
            exec(sql.ensureCounter, ps -> ps.setString(1, key));
            return exec(sql.consume, ps -> {
                ps.setLong(1, amount);
                ps.setString(2, key);
                ps.setLong(3, amount);
                ps.setLong(4, capacity);
            }) == 1;
        } catch (SQLException e) {
            throw Db.translate(e, "tryConsume");
        }
    }

    @Override
    public List<Boolean> tryConsumeEach(List<Consumption> consumptions) {
        check();
        // One statement on PostgreSQL; a key named twice would be one row updated twice by it, which PostgreSQL
        // refuses, and other dialects take two statements per counter anyway: successive calls then.
        List<Consumption> possible = consumptions.stream().filter(c -> c.amount() <= c.capacity()).toList();
        Set<String> keys = new HashSet<>();
        boolean distinct = consumptions.stream().allMatch(c -> keys.add(c.key()));
        if (dialect != Dialect.POSTGRESQL || !distinct || possible.isEmpty()) {
            List<Boolean> applied = new ArrayList<>(consumptions.size());
            for (Consumption c : consumptions) {
                applied.add(tryConsume(c.key(), c.amount(), c.capacity()));
            }
            return List.copyOf(applied);
        }
        int n = possible.size();
        Set<String> done = new HashSet<>(list(sql.tryConsumeEach(n), ps -> {
            for (int i = 0; i < n; i++) {
                Consumption c = possible.get(i);
                ps.setString(1 + 2 * i, c.key());
                ps.setLong(2 + 2 * i, c.amount());
                ps.setString(1 + 2 * n + 2 * i, c.key());
                ps.setLong(2 + 2 * n + 2 * i, c.capacity());
            }
        }, rs -> rs.getString(1), "tryConsumeEach"));
        return consumptions.stream().map(c -> c.amount() <= c.capacity() && done.contains(c.key())).toList();
    }

    @Override
    public void release(String key, long amount) {
        update(sql.release, ps -> {
            ps.setLong(1, amount);
            ps.setLong(2, amount);
            ps.setString(3, key);
        }, "release");
    }

    @Override
    public long counter(String key) {
        return one(sql.counter, ps -> ps.setString(1, key), rs -> rs.getLong(1), "counter").orElse(0L);
    }

    // ---- eligibility and privacy ----------------------------------------------------------------------------------

    @Override
    public List<Referral> referralsByProspectKeys(Set<String> keys, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (keys.size() > MAX_PROSPECT_KEYS) {
            throw new IllegalArgumentException("at most " + MAX_PROSPECT_KEYS + " keys: " + keys.size());
        }
        List<String> wanted = Set.copyOf(keys).stream().filter(k -> !k.isEmpty()).sorted().toList();
        if (wanted.isEmpty()) {
            return List.of();
        }
        int n = wanted.size();
        return list(sql.referralsByProspectKeys(n), ps -> {
            for (int i = 0; i < n; i++) {
                ps.setString(1 + i, wanted.get(i));
                ps.setString(1 + n + i, wanted.get(i));
            }
            ps.setInt(1 + 2 * n, limit);
        }, rs -> Json.readReferral(rs.getString(1)), "referralsByProspectKeys");
    }

    @Override
    public boolean replaceEvent(ReferralEvent event) {
        EventMetadata m = event.metadata();
        Optional<Boolean> same = one(sql.eventHead, ps -> ps.setString(1, m.id().value()),
                rs -> rs.getString(1).equals(m.stream()) && rs.getLong(2) == m.sequence()
                        && instant(rs, 3).equals(m.occurredAt()), "replaceEvent");
        if (same.isEmpty()) {
            return false;
        }
        if (!same.get()) {
            throw new IllegalArgumentException("a replacement must keep the event's stream, sequence and time");
        }
        return update(sql.replaceEvent, ps -> {
            ps.setString(1, Json.write(event));
            ps.setString(2, Json.eventType(event));
            ps.setString(3, m.id().value());
        }, "replaceEvent") == 1;
    }

    // ---- insights and moments of delight (issue 6): SQL in JdbcInsights ---------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    private <T> T insights(Work<T> work, String what) {
        check();
        try {
            return work.run();
        } catch (SQLException e) {
            throw Db.translate(e, what);
        }
    }

    @Override
    public ProgramStats programStats(InsightsQuery query) {
        Objects.requireNonNull(query, "query");
        Optional<Program> program = program(query.programId());
        if (program.isEmpty()) {
            return ProgramStats.empty();
        }
        return insights(() -> insights.programStats(query, program.get()), "programStats");
    }

    @Override
    public void insertMoment(Moment moment) {
        Objects.requireNonNull(moment, "moment");
        insights(() -> {
            insights.insertMoment(moment);
            return null;
        }, "insertMoment");
    }

    @Override
    public Optional<Moment> moment(MomentId id) {
        return insights(() -> insights.moment(id), "moment");
    }

    @Override
    public List<Moment> moments(AdvocateId advocateId) {
        return insights(() -> insights.moments(advocateId), "moments");
    }

    @Override
    public List<Moment> momentsForAsking(ProgramId programId, Instant occurredSince, Instant askedSince) {
        Objects.requireNonNull(occurredSince, "occurredSince");
        Objects.requireNonNull(askedSince, "askedSince");
        return insights(() -> insights.momentsForAsking(programId, occurredSince, askedSince), "momentsForAsking");
    }

    @Override
    public void insertAsk(Ask ask) {
        Objects.requireNonNull(ask, "ask");
        insights(() -> {
            insights.insertAsk(ask);
            return null;
        }, "insertAsk");
    }

    @Override
    public boolean updateAsk(Ask ask) {
        return insights(() -> insights.updateAsk(ask), "updateAsk");
    }

    @Override
    public Optional<Ask> ask(AskId id) {
        return insights(() -> insights.ask(id), "ask");
    }

    @Override
    public List<Ask> asks(AdvocateId advocateId, ProgramId programId) {
        return insights(() -> insights.asks(advocateId, programId), "asks");
    }

    @Override
    public List<Ask> pendingAsks(ProgramId programId, Instant askedBefore, int limit) {
        Objects.requireNonNull(askedBefore, "askedBefore");
        return insights(() -> insights.pendingAsks(programId, askedBefore, limit), "pendingAsks");
    }

    @Override
    public Map<AskStatus, Long> askCounts(ProgramId programId, ReportPeriod period) {
        return insights(() -> insights.askCounts(programId, period), "askCounts");
    }
}
