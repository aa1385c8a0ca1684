package io.referrals.storage.jdbc.internal;

import io.referrals.core.storage.ReferralRecords;
import io.referrals.storage.jdbc.Dialect;
import java.util.Collections;

/** The statements of one dialect and table prefix, built once per store. */
public final class Sql {
    final Dialect dialect;
    final String prefix;

    /** The table prefix. */
    public String prefix() {
        return prefix;
    }

    /**
     * PostgreSQL: {@code n} conditional upserts in one statement, returning the keys of those applied. Each row
     * carries its own capacity, which EXCLUDED cannot: the WHERE looks it up by key. A conflicting row is locked even
     * when the WHERE rejects the update, as in the single-row form; rows are taken in list order.
     */
    String tryConsumeEach(int n) {
        return "INSERT INTO " + counterTable + " AS c (counter_key, amount) VALUES "
                + String.join(", ", Collections.nCopies(n, "(?, ?)")) + " ON CONFLICT (counter_key)"
                + " DO UPDATE SET amount = c.amount + EXCLUDED.amount WHERE c.amount + EXCLUDED.amount <="
                + " CASE EXCLUDED.counter_key" + " WHEN ? THEN CAST(? AS BIGINT)".repeat(n) + " END"
                + " RETURNING counter_key";
    }

    /**
     * The referrals whose email or domain key is in a list of {@code n} keys; then the limit. {@code fresh}: the
     * transaction reads the latest committed rows with each statement (READ COMMITTED), so a plain read sees a
     * concurrent capture of the same prospect that committed while this one waited for the prospect's lock. Otherwise
     * (MariaDB at REPEATABLE READ, only inside a host's transaction) a locking read, which takes gap locks.
     */
    String referralsByProspectKeys(int n, boolean fresh) {
        return fresh || dialect != Dialect.MARIADB ? referralsByProspectKeys[n] : lockingReferralsByProspectKeys[n];
    }

    /**
     * The undelivered events of {@code n} streams, oldest first, at most a limit: position, then the columns of an
     * outbox entry. The events after a claimed stream's earliest one are chosen from these.
     */
    String undeliveredOfStreams(int n) {
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < n; i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        return "SELECT e.pos, e.event_type, e.body, e.status, e.attempts, e.next_attempt_at, e.last_error FROM "
                + t("event") + " e WHERE e.stream IN (" + in + ") AND e.status <> 'D' ORDER BY e.pos LIMIT ?";
    }
    /**
     * The two statements of a newest-first read of an advocate's rows, read along an index on (advocate, time, id)
     * (schema version 6): {@code first} (advocate, limit) and {@code before} a cursor (advocate, the advocate again
     * unless {@code rowValue}, the cursor's time, the time again unless {@code rowValue}, the cursor's id, limit).
     * PostgreSQL and H2 take the cursor as a row-value comparison, {@code (time, id) < (?, ?)}, which both use as the
     * start of the index range. MariaDB makes a range only of its OR form, and even then prefers a lookup of
     * {@code advocate_id = ?} that filters by the cursor (reading every newer row first) when one advocate holds most
     * rows of the table; stated as a range of advocates one wide, with ORDER BY naming the advocate column, the range
     * is its only choice. H2 reads an index in one direction, so its index is kept newest first, and ORDER BY names the
     * advocate column too, as the index does.
     */
    record NewestFirst(String first, String before, boolean rowValue) {
    }

    /** Appended to inserts that may break a unique key: PostgreSQL reports the clash by an update count of 0. */
    private final String onConflict;

    final String insertProgram;
    final String updateProgram;
    final String program;
    final String programs;

    final String insertAdvocate;
    final String updateAdvocate;
    final String advocate;
    final String advocateExists;
    final String advocateByExternalId;
    final String insertEnrolment;
    final String enrolment;
    final String enrolments;
    /** A page of a program's enrolments after an advocate id: index {@code enrolment_program_ix} (version 2). */
    final String enrolmentsInProgram;

    final String insertCode;
    final String code;
    final String updateCode;
    final String codes;

    final String insertReferral;
    final String eventHead;
    final String replaceEvent;
    /** Indexed by the number of keys, 1 to {@link ReferralRecords#MAX_PROSPECT_KEYS}. */
    private final String[] referralsByProspectKeys;
    /** MariaDB at REPEATABLE READ: the same, as locking reads; indexed likewise. */
    private final String[] lockingReferralsByProspectKeys;
    final String updateReferral;
    final String referral;
    final String referralExists;
    final String referralByIdempotencyKey;
    /** An advocate's referrals, newest first: index {@code referral_advocate_page_ix} (version 6). */
    final NewestFirst referralsOfAdvocatePage;
    final String insertTimeline;
    final String timeline;
    /** The last entry of each referral named in {@code %IN%} (to be replaced by the placeholders). */
    final String latestTimeline;

    final String nextSequence;
    /**
     * PostgreSQL: sets a stream's last sequence to a value the transaction knows to be next (stream, new last, last
     * expected now); creates the stream when the last expected is 0. No row is changed when the stream is elsewhere.
     */
    final String setSequence;
    final String insertEvent;
    final String events;
    final String claim;
    final String lease;
    /** PostgreSQL: claim and lease in one statement. */
    final String claimAndLease;
    final String delivered;
    final String failed;
    final String parked;
    final String requeue;
    /** Pending and parked events: status, count and oldest occurrence, grouped by status. */
    final String outboxStatistics;
    /** Deletes delivered events that occurred before a time, oldest first, at most a limit. */
    final String deleteDelivered;

    final String insertReward;
    final String updateReward;
    final String reward;
    final String rewardByDedupeKey;
    final String rewardsOfReferral;
    final String rewardsOfAdvocate;
    /** A page of a program's rewards after an id: index {@code reward_program_id_ix} (version 2). */
    final String rewardsOfProgram;
    /** Due rewards by next attempt: index {@code reward_next_attempt_ix} (version 3). */
    final String rewardsDue;
    /** An advocate's rewards, newest first: index {@code reward_advocate_page_ix} (version 6). */
    final NewestFirst rewardsOfAdvocatePage;

    final String insertLedger;
    final String deleteLedger;
    final String credit;
    final String debit;
    final String balance;
    final String ledger;
    /** An advocate's ledger, newest first: index {@code ledger_advocate_page_ix} (version 6). */
    final NewestFirst ledgerPage;

    /** PostgreSQL and H2: one conditional upsert. MariaDB: {@link #ensureCounter} then {@link #consume}. */
    final String tryConsume;
    private final String counterTable;
    final String ensureCounter;
    final String consume;
    final String release;
    final String counter;

    public Sql(Dialect dialect, String prefix) {
        this.dialect = dialect;
        this.prefix = prefix;
        this.onConflict = dialect == Dialect.POSTGRESQL ? " ON CONFLICT DO NOTHING" : "";
        String program = t("program");
        insertProgram = insert(program, "id, name, status, version, body", 5);
        updateProgram = "UPDATE " + program + " SET name = ?, status = ?, version = ?, body = ? WHERE id = ?"
                + " AND version = ?";
        this.program = "SELECT body FROM " + program + " WHERE id = ?";
        programs = "SELECT body FROM " + program + " ORDER BY id";

        String advocate = t("advocate");
        insertAdvocate = insert(advocate, "id, external_id, registered_at, version, body, kind, opted_out", 7);
        updateAdvocate = "UPDATE " + advocate + " SET external_id = ?, version = ?, body = ?, kind = ?, opted_out = ?"
                + " WHERE id = ? AND version = ?";
        this.advocate = "SELECT body FROM " + advocate + " WHERE id = ?";
        advocateExists = "SELECT 1 FROM " + advocate + " WHERE id = ?";
        advocateByExternalId = "SELECT body FROM " + advocate + " WHERE external_id = ?";
        String enrolment = t("enrolment");
        insertEnrolment = insert(enrolment, "advocate_id, program_id, enrolled_at", 3);
        this.enrolment = "SELECT advocate_id, program_id, enrolled_at FROM " + enrolment
                + " WHERE advocate_id = ? AND program_id = ?";
        enrolments = "SELECT advocate_id, program_id, enrolled_at FROM " + enrolment
                + " WHERE advocate_id = ? ORDER BY program_id";
        // Pages read from an index on (program_id, <order>) in its order, without sorting, if ORDER BY names both of
        // its columns on H2 and only the second on MariaDB (which sorts when program_id, compared with a parameter of
        // the connection's collation, is named too); PostgreSQL takes either.
        String programFirst = dialect == Dialect.H2 ? "program_id, " : "";
        enrolmentsInProgram = "SELECT advocate_id, program_id, enrolled_at FROM " + enrolment
                + " WHERE program_id = ? AND advocate_id > ? ORDER BY " + programFirst + "advocate_id LIMIT ?";

        String code = t("code");
        String codeCols = "code, advocate_id, program_id, vanity, status, issued_at, status_changed_at";
        insertCode = insert(code, "code_key, " + codeCols, 8);
        this.code = "SELECT " + codeCols + " FROM " + code + " WHERE code_key = ?";
        updateCode = "UPDATE " + code + " SET code = ?, advocate_id = ?, program_id = ?, vanity = ?, status = ?,"
                + " issued_at = ?, status_changed_at = ? WHERE code_key = ? AND status = ? AND status_changed_at = ?";
        codes = "SELECT " + codeCols + " FROM " + code + " WHERE advocate_id = ? ORDER BY issued_at, code_key";

        String referral = t("referral");
        insertReferral = insert(referral, "id, program_id, advocate_id, stage, channel, idempotency_key,"
                + " submitted_at, updated_at, version, body, review, email_key, domain_key, outcome, deal_amount,"
                + " deal_currency", 16);
        updateReferral = "UPDATE " + referral + " SET program_id = ?, advocate_id = ?, stage = ?, channel = ?,"
                + " updated_at = ?, version = ?, body = ?, review = ?, email_key = ?, domain_key = ?, outcome = ?,"
                + " deal_amount = ?, deal_currency = ?"
                + " WHERE id = ? AND version = ? AND COALESCE(idempotency_key, '') = ?";
        // H2 answers "email_key IN (...) OR domain_key IN (...)" with a scan of the table; a union uses both
        // indexes. The store runs its own MariaDB transactions at READ COMMITTED, where a plain select sees a
        // concurrent capture of the same prospect that the caller has just waited for. At REPEATABLE READ (a host's
        // transaction) a plain select reads the transaction's snapshot, which may predate that capture: a locking read
        // sees it, at the price of gap locks, on which captures of different prospects can deadlock.
        referralsByProspectKeys = new String[ReferralRecords.MAX_PROSPECT_KEYS + 1];
        lockingReferralsByProspectKeys = new String[ReferralRecords.MAX_PROSPECT_KEYS + 1];
        for (int n = 1; n <= ReferralRecords.MAX_PROSPECT_KEYS; n++) {
            String in = " IN (" + String.join(", ", Collections.nCopies(n, "?")) + ")";
            referralsByProspectKeys[n] = switch (dialect) {
                case H2 -> "SELECT body FROM (SELECT id, submitted_at, body FROM " + referral + " WHERE email_key"
                        + in + " UNION SELECT id, submitted_at, body FROM " + referral + " WHERE domain_key" + in
                        + ") r ORDER BY submitted_at DESC, id DESC LIMIT ?";
                case MARIADB, POSTGRESQL -> "SELECT body FROM " + referral + " WHERE email_key" + in + " OR domain_key"
                        + in + " ORDER BY submitted_at DESC, id DESC LIMIT ?";
            };
            lockingReferralsByProspectKeys[n] = referralsByProspectKeys[n] + " LOCK IN SHARE MODE";
        }
        this.referral = "SELECT body FROM " + referral + " WHERE id = ?";
        referralExists = "SELECT 1 FROM " + referral + " WHERE id = ?";
        referralByIdempotencyKey = "SELECT body FROM " + referral + " WHERE idempotency_key = ?";
        referralsOfAdvocatePage = newestFirst("body", referral, "submitted_at");
        String timeline = t("timeline");
        String timelineCols = "referral_id, seq, from_stage, to_stage, moved_at, cause_kind, cause_actor, reason,"
                + " external_ref, kind";
        insertTimeline = insert(timeline, timelineCols, 10);
        this.timeline = "SELECT " + timelineCols + " FROM " + timeline + " WHERE referral_id = ? ORDER BY seq";
        latestTimeline = "SELECT " + timelineCols + " FROM " + timeline + " t WHERE t.referral_id IN (%IN%)"
                + " AND t.seq = (SELECT MAX(l.seq) FROM " + timeline + " l WHERE l.referral_id = t.referral_id)";

        String seq = t("stream_seq");
        nextSequence = switch (dialect) {
            case POSTGRESQL -> "INSERT INTO " + seq + " (stream, last_seq) VALUES (?, 1) ON CONFLICT (stream)"
                    + " DO UPDATE SET last_seq = " + seq + ".last_seq + 1 RETURNING last_seq";
            case MARIADB -> "INSERT INTO " + seq + " (stream, last_seq) VALUES (?, LAST_INSERT_ID(1))"
                    + " ON DUPLICATE KEY UPDATE last_seq = LAST_INSERT_ID(last_seq + 1)";
            case H2 -> "SELECT last_seq FROM FINAL TABLE (MERGE INTO " + seq + " t USING (VALUES (CAST(? AS"
                    + " VARCHAR(255)))) v(s) ON t.stream = v.s WHEN MATCHED THEN UPDATE SET last_seq = t.last_seq + 1"
                    + " WHEN NOT MATCHED THEN INSERT (stream, last_seq) VALUES (v.s, 1))";
        };
        setSequence = dialect != Dialect.POSTGRESQL ? null : "INSERT INTO " + seq + " AS s (stream, last_seq) VALUES"
                + " (?, ?) ON CONFLICT (stream) DO UPDATE SET last_seq = EXCLUDED.last_seq WHERE s.last_seq = ?";
        String event = t("event");
        String entryCols = "event_type, body, status, attempts, next_attempt_at, last_error";
        eventHead = "SELECT stream, seq, occurred_at FROM " + t("event") + " WHERE id = ?";
        replaceEvent = "UPDATE " + t("event") + " SET body = ?, event_type = ? WHERE id = ?";
        insertEvent = insert(event, "id, stream, seq, event_type, occurred_at, status, attempts, next_attempt_at,"
                + " last_error, body", 10);
        events = "SELECT " + entryCols + " FROM " + event + " WHERE stream = ? ORDER BY seq";
        claim = "SELECT e.pos, e.event_type, e.body, e.status, e.attempts, e.next_attempt_at, e.last_error FROM "
                + event + " e WHERE e.status = 'P' AND e.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM " + event
                + " b WHERE b.stream = e.stream AND b.seq < e.seq AND b.status <> 'D') ORDER BY e.pos LIMIT ?"
                + (dialect == Dialect.POSTGRESQL ? " FOR UPDATE OF e SKIP LOCKED" : " FOR UPDATE SKIP LOCKED");
        lease = "UPDATE " + event + " SET next_attempt_at = ? WHERE id = ? AND status = 'P'";
        claimAndLease = "UPDATE " + event + " u SET next_attempt_at = ? WHERE u.id IN (SELECT e.id FROM " + event
                + " e WHERE e.status = 'P' AND e.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM " + event
                + " b WHERE b.stream = e.stream AND b.seq < e.seq AND b.status <> 'D') ORDER BY e.pos LIMIT ?"
                + " FOR UPDATE OF e SKIP LOCKED) RETURNING u.pos, u.event_type, u.body, u.status, u.attempts,"
                + " u.next_attempt_at, u.last_error";
        delivered = "UPDATE " + event + " SET status = 'D' WHERE id = ? AND status = 'P'";
        failed = "UPDATE " + event + " SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ?"
                + " WHERE id = ? AND status = 'P'";
        parked = "SELECT " + entryCols + " FROM " + event + " WHERE status = 'X' ORDER BY pos LIMIT ?";
        requeue = "UPDATE " + event + " SET status = 'P', next_attempt_at = ? WHERE id = ? AND status = 'X'";
        outboxStatistics = "SELECT status, COUNT(*), MIN(occurred_at) FROM " + event + " WHERE status IN ('P', 'X')"
                + " GROUP BY status";
        // Oldest first along an index on pos of delivered events: event_delivered_ix (version 3) on PostgreSQL,
        // event_parked_ix (status, pos) elsewhere. MariaDB deletes with ORDER BY and LIMIT; the others through a
        // subquery (PostgreSQL skipping rows a concurrent retention run holds).
        deleteDelivered = switch (dialect) {
            case MARIADB -> "DELETE FROM " + event + " WHERE status = 'D' AND occurred_at < ? ORDER BY pos LIMIT ?";
            case POSTGRESQL -> "DELETE FROM " + event + " WHERE id IN (SELECT id FROM " + event + " WHERE status = 'D'"
                    + " AND occurred_at < ? ORDER BY pos LIMIT ? FOR UPDATE SKIP LOCKED)";
            case H2 -> "DELETE FROM " + event + " WHERE pos IN (SELECT pos FROM " + event + " WHERE status = 'D'"
                    + " AND occurred_at < ? ORDER BY status, pos LIMIT ?)";
        };

        String reward = t("reward");
        insertReward = insert(reward, "id, dedupe_key, advocate_id, source_kind, source_id, status, created_at,"
                + " hold_until, next_attempt_at, version, body, program_id, incentive, points, amount, currency", 16);
        updateReward = "UPDATE " + reward + " SET advocate_id = ?, status = ?, created_at = ?, hold_until = ?,"
                + " next_attempt_at = ?, version = ?, body = ?, program_id = ?, incentive = ?, points = ?,"
                + " amount = ?, currency = ? WHERE id = ? AND version = ? AND dedupe_key = ?";
        this.reward = "SELECT body FROM " + reward + " WHERE id = ?";
        rewardByDedupeKey = "SELECT body FROM " + reward + " WHERE dedupe_key = ?";
        rewardsOfReferral = "SELECT body FROM " + reward + " WHERE source_kind = 'REFERRAL' AND source_id = ?"
                + " ORDER BY created_at, id";
        rewardsOfAdvocate = "SELECT body FROM " + reward + " WHERE advocate_id = ? ORDER BY created_at, id";
        rewardsOfProgram = "SELECT body FROM " + reward + " WHERE program_id = ? AND id > ? ORDER BY " + programFirst
                + "id LIMIT ?";
        rewardsDue = "SELECT body FROM " + reward + " WHERE status = ? AND next_attempt_at <= ?"
                + " ORDER BY next_attempt_at, id LIMIT ?";
        rewardsOfAdvocatePage = newestFirst("body", reward, "created_at");

        String ledger = t("ledger");
        String ledgerCols = "id, advocate_id, kind, points, reward_id, idempotency_key, entry_at, reason";
        insertLedger = insert(ledger, ledgerCols, 8);
        deleteLedger = "DELETE FROM " + ledger + " WHERE id = ?";
        String balance = t("balance");
        credit = switch (dialect) {
            case POSTGRESQL -> "INSERT INTO " + balance + " (advocate_id, points) VALUES (?, ?) ON CONFLICT"
                    + " (advocate_id) DO UPDATE SET points = " + balance + ".points + EXCLUDED.points";
            case MARIADB -> "INSERT INTO " + balance + " (advocate_id, points) VALUES (?, ?)"
                    + " ON DUPLICATE KEY UPDATE points = points + VALUES(points)";
            case H2 -> "MERGE INTO " + balance + " t USING (VALUES (CAST(? AS VARCHAR(128)), CAST(? AS BIGINT)))"
                    + " v(a, p) ON t.advocate_id = v.a WHEN MATCHED THEN UPDATE SET points = t.points + v.p"
                    + " WHEN NOT MATCHED THEN INSERT (advocate_id, points) VALUES (v.a, v.p)";
        };
        debit = "UPDATE " + balance + " SET points = points + ? WHERE advocate_id = ? AND points + ? >= 0";
        this.balance = "SELECT points FROM " + balance + " WHERE advocate_id = ?";
        this.ledger = "SELECT " + ledgerCols + " FROM " + ledger + " WHERE advocate_id = ? ORDER BY entry_at, id";
        ledgerPage = newestFirst(ledgerCols, ledger, "entry_at");

        String counter = t("counter");
        tryConsume = switch (dialect) {
            case POSTGRESQL -> "INSERT INTO " + counter + " (counter_key, amount) VALUES (?, ?) ON CONFLICT"
                    + " (counter_key) DO UPDATE SET amount = " + counter + ".amount + EXCLUDED.amount WHERE "
                    + counter + ".amount + EXCLUDED.amount <= ?";
            // H2 locks a matched row, then evaluates the WHEN condition on its latest committed version
            case H2 -> "MERGE INTO " + counter + " t USING (VALUES (CAST(? AS VARCHAR(255)), CAST(? AS BIGINT),"
                    + " CAST(? AS BIGINT))) v(k, a, c) ON t.counter_key = v.k WHEN MATCHED AND t.amount + v.a <= v.c"
                    + " THEN UPDATE SET amount = t.amount + v.a WHEN NOT MATCHED THEN INSERT (counter_key, amount)"
                    + " VALUES (v.k, v.a)";
            case MARIADB -> null;
        };
        counterTable = counter;
        ensureCounter = "INSERT INTO " + counter + " (counter_key, amount) VALUES (?, 0)"
                + " ON DUPLICATE KEY UPDATE amount = amount";
        consume = "UPDATE " + counter + " SET amount = amount + ? WHERE counter_key = ? AND amount + ? <= ?";
        release = "UPDATE " + counter + " SET amount = CASE WHEN amount > ? THEN amount - ? ELSE 0 END"
                + " WHERE counter_key = ?";
        this.counter = "SELECT amount FROM " + counter + " WHERE counter_key = ?";
    }

    /** A table name with the prefix. */
    String t(String table) {
        return prefix + table;
    }

    /** A unique constraint's name with the prefix, as it appears (in any case) in a driver's message. */
    String constraint(String name) {
        return prefix + name;
    }

    private NewestFirst newestFirst(String columns, String table, String time) {
        String select = "SELECT " + columns + " FROM " + table;
        String order = time + " DESC, id DESC LIMIT ?";
        return switch (dialect) {
            case H2 -> new NewestFirst(select + " WHERE advocate_id = ? ORDER BY advocate_id, " + order,
                    select + " WHERE advocate_id = ? AND (" + time + ", id) < (?, ?) ORDER BY advocate_id, " + order,
                    true);
            case POSTGRESQL -> new NewestFirst(select + " WHERE advocate_id = ? ORDER BY " + order,
                    select + " WHERE advocate_id = ? AND (" + time + ", id) < (?, ?) ORDER BY " + order, true);
            case MARIADB -> new NewestFirst(select + " WHERE advocate_id = ? ORDER BY " + order,
                    select + " WHERE advocate_id >= ? AND advocate_id <= ? AND (" + time + " < ? OR (" + time
                            + " = ? AND id < ?)) ORDER BY advocate_id DESC, " + order, false);
        };
    }

    private String insert(String table, String columns, int n) {
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns)
                .append(") VALUES (");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(')').append(onConflict).toString();
    }
}
