-- requester is the caller's stable identity (Auth:UserClaim, by default the IdP's sub), which decides ownership and
-- separation of duties; requester_name is only how people see them (Auth:DisplayNameClaim, by default email).
-- Grants from before this migration were keyed by email, which is also the best name for them.
ALTER TABLE grants ADD COLUMN requester_name text;
UPDATE grants SET requester_name = requester;
ALTER TABLE grants ALTER COLUMN requester_name SET NOT NULL;
