-- Referral tracking schema, version 2 (H2 2.x): indexes for reading a program's enrolments and rewards page by page,
-- ordered by advocate id and by reward id, after a cursor. Every statement may run again.

CREATE INDEX IF NOT EXISTS ${prefix}enrolment_program_ix ON ${prefix}enrolment (program_id, advocate_id);
CREATE INDEX IF NOT EXISTS ${prefix}reward_program_id_ix ON ${prefix}reward (program_id, id);
