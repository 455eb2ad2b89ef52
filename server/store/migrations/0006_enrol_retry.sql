-- An enrolment whose answer is lost can be retried with the same code for a
-- few minutes and gets the same credential: the credential is derived from
-- the code and a server key (server_keys, "enrol"; server/credential.FromEnrolCode), so the
-- server still keeps only hashes. enrol_used_at is when the code was first
-- traded; the code's hash stays until a new code or a revocation replaces
-- it, so that a retry finds its counter.
ALTER TABLE counters ADD COLUMN enrol_used_at TEXT;
