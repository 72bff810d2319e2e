#!/usr/bin/env bash
# BreakGlass quick start, on one machine, with no AWS account and no IdP:
#   a local PostgreSQL cluster, moto_server (the AWS emulator) behind a small front that records CloudTrail,
#   break-glass roles created for you, a development sign-in provider (OpenID Connect, on http://127.0.0.1:8081),
#   and BreakGlass on http://127.0.0.1:8080.
# Ctrl-C stops everything (in the background: kill "$(cat .local/quickstart.pid)"). State lives in .local/ (delete it
# to start afresh); downloads go outside the repository. Every port and both directories can be overridden
# (BREAKGLASS_PORT, BREAKGLASS_IDP_PORT, BREAKGLASS_PG_PORT, BREAKGLASS_MOTO_PORT, BREAKGLASS_AWS_PORT,
# BREAKGLASS_STATE_DIR, BREAKGLASS_DOWNLOAD_DIR), so a second one — or the CI's run of it,
# deploy/local/quickstart-test.sh — never collides.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
state=${BREAKGLASS_STATE_DIR:-$root/.local}
downloads=${BREAKGLASS_DOWNLOAD_DIR:-${TMPDIR:-/tmp}/breakglass-quickstart}
port=${BREAKGLASS_PORT:-8080}
pg_port=${BREAKGLASS_PG_PORT:-45432}
moto_port=${BREAKGLASS_MOTO_PORT:-45010}
aws_port=${BREAKGLASS_AWS_PORT:-45011}
account=123456789012
idp_port=${BREAKGLASS_IDP_PORT:-8081}
issuer="http://127.0.0.1:$idp_port/"
audience=breakglass-api
mkdir -p "$state/logs" "$state/tokens" "$downloads"
echo $$ >"$state/quickstart.pid"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
pids=()
stopped=
cleanup() {
  # Ctrl-C runs the INT trap and then the EXIT trap: stop once.
  [ -n "$stopped" ] && return; stopped=1
  say "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -z "${pg_bin:-}" ] || as_pg "$pg_bin/pg_ctl" -D "$state/pg" -m fast stop >/dev/null 2>&1 || true
  rm -f "$state/quickstart.pid"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in dotnet moto_server aws pg_config curl openssl; do
  command -v "$tool" >/dev/null || { echo "missing '$tool': see README.md (Requirements)"; exit 1; }
done
pg_bin=$(pg_config --bindir)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
wait_port() { for _ in $(seq 1 300); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "port $1 never opened"; exit 1; }

say "building"
# No build servers: nothing of the quick start's outlives it.
dotnet build "$root/BreakGlass.sln" -c Release -nologo -v quiet --disable-build-servers >/dev/null
bin() { echo "$root/src/$1/bin/Release/net10.0/$1.dll"; }

say "PostgreSQL on 127.0.0.1:$pg_port (password logins only)"
# Three logins, as in production: the superuser (setup only), the migrations role that owns the schema, and the
# service role with data access only (docs/configuration.md). Passwords are generated once, kept in .local/.
if [ -d "$state/pg" ] && [ ! -f "$state/postgres.env" ]; then
  echo "$state/pg was made by an older quick start (no passwords): delete .local/ and run again"; exit 1
fi
if [ ! -f "$state/postgres.env" ]; then
  ( umask 077; printf 'pg_superuser_password=%s\nowner_password=%s\nservice_password=%s\n' \
      "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" >"$state/postgres.env" )
fi
. "$state/postgres.env"
if [ ! -d "$state/pg" ]; then
  mkdir -p "$state/pg"
  ( umask 077; echo "$pg_superuser_password" >"$state/pg-superuser.pw" )
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$state/pg" "$state/pg-superuser.pw"; fi
  as_pg "$pg_bin/initdb" -D "$state/pg" -U postgres --auth=scram-sha-256 --pwfile="$state/pg-superuser.pw" --encoding=UTF8 >/dev/null
  rm -f "$state/pg-superuser.pw"
fi
[ "$(id -u)" = 0 ] && chown postgres:postgres "$state/logs"
as_pg "$pg_bin/pg_ctl" -D "$state/pg" -w -l "$state/logs/postgres.log" \
  -o "-p $pg_port -k $state/pg -c listen_addresses=127.0.0.1" start >/dev/null
as_superuser() { PGPASSWORD="$pg_superuser_password" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -tAq "$@"; }
for login in "breakglass_owner:$owner_password" "breakglass_service:$service_password"; do
  as_superuser -c "SELECT 1 FROM pg_roles WHERE rolname='${login%%:*}'" | grep -q 1 \
    || as_superuser -c "CREATE ROLE ${login%%:*} LOGIN PASSWORD '${login#*:}'"
done
as_superuser -c "SELECT 1 FROM pg_database WHERE datname='breakglass'" | grep -q 1 \
  || as_superuser -c "CREATE DATABASE breakglass OWNER breakglass_owner"

say "AWS emulator (moto) on 127.0.0.1:$moto_port, with a CloudTrail-recording front on 127.0.0.1:$aws_port"
moto_server -H 127.0.0.1 -p "$moto_port" >"$state/logs/moto.log" 2>&1 & pids+=($!)
wait_port "$moto_port"
moto_aws() { AWS_ACCESS_KEY_ID=setup AWS_SECRET_ACCESS_KEY=setup AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url "http://127.0.0.1:$moto_port" "$@"; }
# The front evaluates the conditions of BreakGlass's deny (moto ignores them) with an identity of its own.
moto_aws iam create-user --user-name localaws-front >/dev/null
moto_aws iam put-user-policy --user-name localaws-front --policy-name everything \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
read -r front_key front_secret < <(moto_aws iam create-access-key --user-name localaws-front \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
dotnet "$(bin BreakGlass.LocalAws)" --urls "http://127.0.0.1:$aws_port" --moto "http://127.0.0.1:$moto_port" \
  --admin-access-key-id "$front_key" --admin-secret-access-key "$front_secret" \
  >"$state/logs/local-aws.log" 2>&1 & pids+=($!)
wait_port "$aws_port"

say "creating the broker user, the break-glass roles and the drill role"
moto_aws iam create-user --user-name breakglass-broker >/dev/null
read -r broker_key broker_secret < <(moto_aws iam create-access-key --user-name breakglass-broker \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
broker_arn="arn:aws:iam::$account:user/breakglass-broker"
role_arns=()
for role in prod-admin prod-readonly breakglass-drill; do
  moto_aws iam create-role --role-name "$role" --max-session-duration 3600 --assume-role-policy-document \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"$broker_arn\"},\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\",\"sts:SetSourceIdentity\"]}]}" >/dev/null
  role_arns+=("arn:aws:iam::$account:role/$role")
done
moto_aws iam put-role-policy --role-name prod-admin --policy-name administrator \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
moto_aws iam put-role-policy --role-name prod-readonly --policy-name read-only \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","iam:Get*","iam:List*"],"Resource":"*"}]}'
# The drill role (docs/drills.md): harmless, one read; sts:GetCallerIdentity needs no permission.
moto_aws iam put-role-policy --role-name breakglass-drill --policy-name drill-read \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}'
# The deploy requirement (docs/revocation.md): a break-glass session must not be able to lift its own revocation.
for role in prod-admin prod-readonly breakglass-drill; do
  moto_aws iam put-role-policy --role-name "$role" --policy-name breakglass-protect-revocations --policy-document \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"iam:PutRolePolicy\",\"iam:DeleteRolePolicy\",\"iam:AttachRolePolicy\",\"iam:DetachRolePolicy\",\"iam:UpdateAssumeRolePolicy\",\"iam:PutRolePermissionsBoundary\",\"iam:DeleteRolePermissionsBoundary\"],\"Resource\":\"arn:aws:iam::$account:role/$role\"}]}"
done
moto_aws iam put-user-policy --user-name breakglass-broker --policy-name breakglass-broker --policy-document \
  "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"sts:AssumeRole\",\"sts:TagSession\",\"sts:SetSourceIdentity\",\"iam:PutRolePolicy\",\"iam:GetRolePolicy\",\"iam:DeleteRolePolicy\",\"iam:GetRole\"],\"Resource\":[\"${role_arns[0]}\",\"${role_arns[1]}\",\"${role_arns[2]}\"]},{\"Effect\":\"Allow\",\"Action\":\"cloudtrail:LookupEvents\",\"Resource\":\"*\"}]}"
# From here on moto checks every signature and IAM policy, as AWS would.
curl -fsS -X POST -H 'Content-Type: text/plain' --data 0 "http://127.0.0.1:$moto_port/moto-api/reset-auth" >/dev/null

say "development sign-in provider on $issuer (LOCAL ONLY: anyone on this machine can sign in as anyone)"
# BreakGlass trusts it through OIDC discovery, exactly as it would a company IdP. Its signing key stays in .local/idp.
idp="$state/idp"
if [ ! -f "$state/idp.env" ]; then
  ( umask 077; printf 'web_client_secret=%s\n' "$(openssl rand -hex 16)" >"$state/idp.env" )
fi
. "$state/idp.env"
dotnet "$(bin BreakGlass.DevIssuer)" serve --state "$idp" --port "$idp_port" --audience "$audience" \
  --web-redirect-uri "http://127.0.0.1:$port/signin-oidc" --web-client-secret "$web_client_secret" \
  >"$state/logs/dev-provider.log" 2>&1 & pids+=($!)
wait_port "$idp_port"
# Tokens for curl, signed with the provider's key for its issuer: BreakGlass takes them like the provider's own.
mint() { dotnet "$(bin BreakGlass.DevIssuer)" token "$idp" "$issuer" "$audience" "$1" "$2" 480 >"$state/tokens/$3.jwt"; }
mint alice@example.com oncall alice
mint carol@example.com cto carol
mint dave@example.com auditors dave

say "BreakGlass on http://127.0.0.1:$port"
# The service logs in with data access only; the migrations (run on start here) log in as the schema's owner.
export ConnectionStrings__BreakGlass="Host=127.0.0.1;Port=$pg_port;Database=breakglass;Username=breakglass_service;Password=$service_password"
export ConnectionStrings__BreakGlassMigrations="Host=127.0.0.1;Port=$pg_port;Database=breakglass;Username=breakglass_owner;Password=$owner_password"
export Auth__Authority="$issuer" Auth__Issuer="$issuer" Auth__Audience="$audience"
export Auth__Cli__ClientId=breakglass-cli Auth__Cli__Scopes="openid profile email offline_access"
export Auth__Web__ClientId=breakglass-web Auth__Web__ClientSecret="$web_client_secret"
export Auth__Groups__Requester__0=oncall Auth__Groups__Reviewer__0=cto Auth__Groups__Auditor__0=auditors
export Roles__0__Name=prod-admin Roles__0__RoleArn="${role_arns[0]}" Roles__0__AllowedGroups__0=oncall Roles__0__MaxDurationMinutes=240
export Roles__1__Name=prod-readonly Roles__1__RoleArn="${role_arns[1]}" Roles__1__AllowedGroups__0=oncall Roles__1__MaxDurationMinutes=60
# The drill role is BreakGlass's own: no person is in the group that may use it.
export Roles__2__Name=breakglass-drill Roles__2__RoleArn="${role_arns[2]}" Roles__2__AllowedGroups__0=nobody Roles__2__MaxDurationMinutes=15
export Drills__Role=breakglass-drill Drills__EvidencePollSeconds=${Drills__EvidencePollSeconds:-5}
export Evidence__DeliveryDelaySeconds=${Evidence__DeliveryDelaySeconds:-15} Evidence__FinalPassDelaySeconds=${Evidence__FinalPassDelaySeconds:-45}
export AWS_ENDPOINT_URL="http://127.0.0.1:$aws_port" AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID="$broker_key" AWS_SECRET_ACCESS_KEY="$broker_secret"
export BreakGlass__PublicUrl="http://127.0.0.1:$port"
# Prometheus metrics on /metrics, for a reviewer's or auditor's token only (Metrics:PrometheusAnonymous stays off).
export Metrics__Prometheus=true
export ASPNETCORE_URLS="http://127.0.0.1:$port"
(cd "$root/src/BreakGlass/bin/Release/net10.0" && exec dotnet BreakGlass.dll) >"$state/logs/breakglass.log" 2>&1 & pids+=($!)
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { tail -30 "$state/logs/breakglass.log"; exit 1; }

# `breakglass` on PATH for the aws CLI's credential_process: the CLI just built (README: installing it as a .NET tool).
mkdir -p "$state/bin"
printf '#!/bin/sh\nexec dotnet "%s" "$@"\n' "$(bin BreakGlass.Cli)" >"$state/bin/breakglass" && chmod +x "$state/bin/breakglass"

# The walkthrough is a script as much as it is text: each step runs as printed (deploy/local/quickstart-test.sh runs
# the file in CI), so the steps cannot drift from the code.
cat >"$state/walkthrough.sh" <<STEPS
# 0. Check every path works (agent, deny, trust, CloudTrail) for every role, as carol the reviewer:
curl -s http://127.0.0.1:$port/api/preflight -H "Authorization: Bearer \$(cat $state/tokens/carol.jwt)"; echo
#    Then prove the whole emergency path with a drill: BreakGlass breaks glass on the harmless drill role, uses the key,
#    ends the grant, checks AWS refuses the key and finds its own call in the evidence (docs/drills.md).
drill=\$(curl -fsS -X POST http://127.0.0.1:$port/api/drills -H "Authorization: Bearer \$(cat $state/tokens/carol.jwt)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
until curl -fsS http://127.0.0.1:$port/api/drills/\$drill -H "Authorization: Bearer \$(cat $state/tokens/carol.jwt)" | grep -q '"passed":[tf]'; do sleep 2; done
curl -fsS http://127.0.0.1:$port/api/drills/\$drill -H "Authorization: Bearer \$(cat $state/tokens/carol.jwt)" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("drill passed:", d["passed"]); [print(" ", s["name"], "ok" if s["ok"] else "FAILED", s["seconds"], "s:", s["detail"]) for s in d["stages"]]'

# 1. Break glass as alice with the breakglass CLI (copy-paste into another shell):
export PATH="$state/bin:\$PATH" BREAKGLASS_URL=http://127.0.0.1:$port
export BREAKGLASS_TOKEN=\$(cat $state/tokens/alice.jwt)      # alice's sign-in for a script; a person runs: breakglass login
export AWS_ENDPOINT_URL=http://127.0.0.1:$aws_port AWS_REGION=us-east-1   # the aws CLI talks to the local AWS emulator
breakglass roles
breakglass request prod-admin --for 5m --reason "Checkout is down: restarting the payment workers"
keys=\$(breakglass env prod-admin); echo "\$keys"   # the same credentials as ready-to-paste export AWS_... lines, for another shell

# 2. Use it: the profile it wrote gets credentials from breakglass, renewed before they expire.
#    (S3 object reads and writes show in the evidence only with the S3 trail source: docs/evidence.md, Evidence:S3.)
export AWS_PROFILE=breakglass-prod-admin
aws s3 mb s3://incident-scratch-\$RANDOM && aws s3 ls && aws iam list-roles --query 'Roles[].RoleName'
breakglass status                       # time left, ticket, evidence and review

# 3. End it early (or wait for the window). aws sts get-caller-identity would still answer: AWS allows it under a deny.
breakglass end --reason "payment workers back up"
aws s3 ls || echo "breakglass gives the profile no more credentials"
# AWS itself refuses the keys handed out before the end (an IAM deny takes a moment to apply):
for try in \$(seq 30); do (unset AWS_PROFILE; eval "\$keys"; aws s3 ls >/dev/null 2>&1) || break; sleep 1; done
(unset AWS_PROFILE; eval "\$keys"; aws s3 ls) || echo "refused by AWS, as it should be: the cut-off works"
grant=\$(curl -fsS http://127.0.0.1:$port/api/grants?limit=1 -H "Authorization: Bearer \$BREAKGLASS_TOKEN" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

# 4. The next morning (here: about a minute after the grant ends, when both evidence passes have run), carol, the
#    reviewer, reads the summary first — what was created, changed and deleted, calls after the end — and signs it off:
carol=\$(cat $state/tokens/carol.jwt)
until curl -fsS http://127.0.0.1:$port/api/grants/\$grant/evidence -H "Authorization: Bearer \$carol" | grep -q '"completeness":"complete"'; do sleep 5; done
curl -fsS http://127.0.0.1:$port/api/grants/\$grant/evidence -H "Authorization: Bearer \$carol" >$downloads/evidence.json
python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(json.dumps({"grant": e["grant"], "summary": e["summary"]}, indent=2))' $downloads/evidence.json
sha=\$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sha256"])' $downloads/evidence.json)
curl -fsS -X POST http://127.0.0.1:$port/api/reviews/\$grant/decision -H "Authorization: Bearer \$carol" \\
  -H 'Content-Type: application/json' -d "{\\"decision\\":\\"approved\\",\\"notes\\":\\"restart only\\",\\"evidenceSha256\\":\\"\$sha\\"}"; echo

# 5. dave, the auditor, exports the evidence pack (into $downloads, outside the repository), checks it, and the chain:
dave=\$(cat $state/tokens/dave.jwt)
curl -fsS -o $downloads/pack.zip http://127.0.0.1:$port/api/audit/grants/\$grant/export -H "Authorization: Bearer \$dave"
rm -rf $downloads/pack && python3 -m zipfile -e $downloads/pack.zip $downloads/pack && (cd $downloads/pack && sha256sum -c MANIFEST.sha256)
curl -fsS http://127.0.0.1:$port/api/audit/verify -H "Authorization: Bearer \$dave"; echo

# 6. The operator's view: the Prometheus metrics (a reviewer's or auditor's token; docs/observability.md has the alerts
#    and a Grafana dashboard for them):
curl -fsS http://127.0.0.1:$port/metrics -H "Authorization: Bearer \$dave" | grep -E '^breakglass_(grants_issued_total|open_grants|revocation_lag_seconds_count)'
STEPS

cat <<MSG

BreakGlass is ready on http://127.0.0.1:$port   (logs: $state/logs/, API: http://127.0.0.1:$port/openapi/v1.json)
Sign-in: the development provider on $issuer (alice on-call, carol CTO, dave auditor; development only)
In a browser: http://127.0.0.1:$port/ — sign in as alice to break glass, as carol for /reviews, as dave for /audit.
At a terminal: breakglass login (device flow: open the URL it prints, enter the code, choose alice).

Token for alice@example.com (on-call engineer), also in $state/tokens/alice.jwt:
$(cat "$state/tokens/alice.jwt")

$(cat "$state/walkthrough.sh")

(The same steps are in $state/walkthrough.sh: bash $state/walkthrough.sh runs them all.)
Guides: docs/engineer-guide.md, docs/reviewer-guide.md, docs/auditor-guide.md. Tickets stay "pending" until Linear
is configured (docs/tickets.md).

Ctrl-C stops everything; in the background: kill \$(cat $state/quickstart.pid)
MSG
wait
