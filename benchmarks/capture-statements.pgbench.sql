\set n random(1, 1000000000)
BEGIN;
SELECT body FROM pgb.pb_advocate WHERE id = 'adv-1';
INSERT INTO pgb.pb_counter (counter_key, amount) VALUES ('prospect-lock|' || :n, 1) ON CONFLICT (counter_key) DO UPDATE SET amount = pgb.pb_counter.amount + EXCLUDED.amount WHERE pgb.pb_counter.amount + EXCLUDED.amount <= 9223372036854775807;
SELECT body FROM pgb.pb_referral WHERE email_key = md5(:n::text) OR domain_key = md5(:n::text) ORDER BY submitted_at, id LIMIT 50;
SELECT body FROM pgb.pb_referral WHERE email_key = 'advkey' OR domain_key = 'advkey' ORDER BY submitted_at, id LIMIT 50;
INSERT INTO pgb.pb_counter (counter_key, amount) VALUES ('velocity|advocate|p|adv-1|' || (:n % 3), 1) ON CONFLICT (counter_key) DO UPDATE SET amount = pgb.pb_counter.amount + EXCLUDED.amount WHERE pgb.pb_counter.amount + EXCLUDED.amount <= 9223372036854775807;
INSERT INTO pgb.pb_counter (counter_key, amount) VALUES ('velocity|code|X|' || (:n % 3), 1) ON CONFLICT (counter_key) DO UPDATE SET amount = pgb.pb_counter.amount + EXCLUDED.amount WHERE pgb.pb_counter.amount + EXCLUDED.amount <= 9223372036854775807;
INSERT INTO pgb.pb_referral (id, program_id, advocate_id, stage, channel, idempotency_key, submitted_at, updated_at, version, body, review, email_key, domain_key) VALUES ('r' || :n, 'p', 'adv-1', 'submitted', 'LINK_OR_CODE', NULL, now(), now(), 1, repeat('x', 1500), 'CLEAR', md5(:n::text), 'samedomain') ON CONFLICT DO NOTHING;
INSERT INTO pgb.pb_stream_seq (stream, last_seq) VALUES ('referral:r' || :n, 1) ON CONFLICT (stream) DO UPDATE SET last_seq = pgb.pb_stream_seq.last_seq + 1 RETURNING last_seq;
INSERT INTO pgb.pb_event (id, stream, seq, event_type, occurred_at, status, attempts, next_attempt_at, last_error, body) VALUES ('e' || :n, 'referral:r' || :n, 1, 'T', now(), 'D', 0, now(), '', repeat('y', 800)) ON CONFLICT DO NOTHING;
COMMIT;
