-- Referral tracking schema, version 2 (PostgreSQL 15+): indexes for reading a program's enrolments and rewards page
-- by page, ordered by advocate id and by reward id, after a cursor.

CREATE INDEX ${prefix}enrolment_program_ix ON ${prefix}enrolment (program_id, advocate_id);
CREATE INDEX ${prefix}reward_program_id_ix ON ${prefix}reward (program_id, id);
