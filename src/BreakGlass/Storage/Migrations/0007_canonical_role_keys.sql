-- role_denies and role_cutoffs are keyed by the role's canonical ARN (RoleArn.Canonical: partition lower-cased, path dropped, name
-- lower-cased), since IAM role names are unique per account whatever their case and path: one role, one deny.
-- Rows written before were keyed by the configured spelling; re-key them the same way.
UPDATE role_denies
SET role_arn = 'arn:' || lower(split_part(role_arn, ':', 2)) || ':iam::' || split_part(role_arn, ':', 5) || ':role/'
               || lower(regexp_replace(split_part(role_arn, ':', 6), '^.*/', ''))
WHERE role_arn LIKE 'arn:%:iam::%:role/%';

-- role_cutoffs likewise (one row per role): where two spellings of one role both have a cut-off, the later wins.
DELETE FROM role_cutoffs c USING role_cutoffs d
WHERE 'arn:' || lower(split_part(c.role_arn, ':', 2)) || ':iam::' || split_part(c.role_arn, ':', 5) || ':role/'
          || lower(regexp_replace(split_part(c.role_arn, ':', 6), '^.*/', ''))
    = 'arn:' || lower(split_part(d.role_arn, ':', 2)) || ':iam::' || split_part(d.role_arn, ':', 5) || ':role/'
          || lower(regexp_replace(split_part(d.role_arn, ':', 6), '^.*/', ''))
  AND (c.revoke_sessions_issued_before, c.role_arn) < (d.revoke_sessions_issued_before, d.role_arn);
UPDATE role_cutoffs
SET role_arn = 'arn:' || lower(split_part(role_arn, ':', 2)) || ':iam::' || split_part(role_arn, ':', 5) || ':role/'
               || lower(regexp_replace(split_part(role_arn, ':', 6), '^.*/', ''))
WHERE role_arn LIKE 'arn:%:iam::%:role/%';
