-- role_denies is keyed by the role's canonical ARN (RoleArn.Canonical: partition lower-cased, path dropped, name
-- lower-cased), since IAM role names are unique per account whatever their case and path: one role, one deny.
-- Rows written before were keyed by the configured spelling; re-key them the same way.
UPDATE role_denies
SET role_arn = 'arn:' || lower(split_part(role_arn, ':', 2)) || ':iam::' || split_part(role_arn, ':', 5) || ':role/'
               || lower(regexp_replace(split_part(role_arn, ':', 6), '^.*/', ''))
WHERE role_arn LIKE 'arn:%:iam::%:role/%';
