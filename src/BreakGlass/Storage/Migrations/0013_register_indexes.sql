-- The exception register at a year of grants (docs/benchmarks.md, "A large register"): every page is read newest
-- first by (requested_at, id), and a page asked for by cursor starts right after the previous page's last grant,
-- (requested_at, id) < (cursor): with an equality filter in front, that is one range of these indexes, read backwards,
-- so a page reads its own rows and stops however deep it is. Drills' grants are never in the register (0012), nor here.
CREATE INDEX grants_register_idx ON grants (requested_at, id) WHERE drill_id IS NULL;
CREATE INDEX grants_register_role_idx ON grants (lower(role_name), requested_at, id) WHERE drill_id IS NULL;
-- The status filter, and the decision filter, which reads the status (ReviewRecords.CurrentDecisionIs).
CREATE INDEX grants_register_status_idx ON grants (status, requested_at, id) WHERE drill_id IS NULL;
-- The requester filter matches the stable identity (grants_requester_idx) or the display name, case-insensitively.
CREATE INDEX grants_register_requester_name_idx ON grants (lower(requester_name), requested_at) WHERE drill_id IS NULL;
