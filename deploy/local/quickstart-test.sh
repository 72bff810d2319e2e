#!/usr/bin/env bash
# Runs the quick start end to end, as a newcomer would, so its steps cannot drift from the code: starts
# quickstart.sh on ports and in directories of its own (a quick start already running on 8080/8081/45432/45010/45011
# is left alone), runs the walkthrough it prints, checks what a reviewer sees, and stops every process it started, even
# on failure. .ci/run calls it; it needs what the quick start needs (README: Requirements).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/breakglass-quickstart-test.XXXXXX")
chmod 755 "$work"   # the quick start runs PostgreSQL as the postgres user under it

# Five free ports below the ephemeral range, so no outgoing connection takes one before its server binds it.
read -r port idp_port pg_port moto_port aws_port < <(python3 - <<'PY'
import random, socket
ports = []
while len(ports) < 5:
    candidate = random.randint(20000, 29999)
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", candidate))
        except OSError:
            continue
    if candidate not in ports:
        ports.append(candidate)
print(*ports)
PY
)

quickstart=
finish() {
  status=$?
  if [ -n "$quickstart" ]; then
    # The quick start runs in its own process group: TERM lets it stop its servers, then nothing of it may remain.
    kill -TERM -- "-$quickstart" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 -- "-$quickstart" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$quickstart" 2>/dev/null || true
  fi
  if [ -f "$work/state/pg/postmaster.pid" ]; then
    pg_bin=$(pg_config --bindir)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/state/pg" -m immediate stop >/dev/null 2>&1 || true
    else "$pg_bin/pg_ctl" -D "$work/state/pg" -m immediate stop >/dev/null 2>&1 || true; fi
  fi
  if [ "$status" != 0 ]; then
    echo "quick start test FAILED; its output and logs:"
    tail -40 "$work/quickstart.out" 2>/dev/null || true
    tail -20 "$work/state/logs/breakglass.log" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap finish EXIT

export BREAKGLASS_PORT=$port BREAKGLASS_IDP_PORT=$idp_port BREAKGLASS_PG_PORT=$pg_port BREAKGLASS_MOTO_PORT=$moto_port BREAKGLASS_AWS_PORT=$aws_port
export BREAKGLASS_STATE_DIR="$work/state" BREAKGLASS_DOWNLOAD_DIR="$work/downloads"
export Evidence__DeliveryDelaySeconds=5 Evidence__FinalPassDelaySeconds=15
setsid "$root/deploy/local/quickstart.sh" >"$work/quickstart.out" 2>&1 &
quickstart=$!
for _ in $(seq 1 900); do
  grep -q "BreakGlass is ready" "$work/quickstart.out" && break
  kill -0 "$quickstart" 2>/dev/null || { echo "the quick start exited before it was ready"; exit 1; }
  sleep 1
done
grep -q "BreakGlass is ready" "$work/quickstart.out" || { echo "the quick start was not ready in 15 minutes"; exit 1; }
sleep 1   # the rest of the message
grep -qF "$(head -1 "$work/state/walkthrough.sh")" "$work/quickstart.out" || { echo "the printed steps are not the walkthrough file"; exit 1; }

# The engineer's machine: the CLI's sign-in and the aws profile go to a home of the test's own.
mkdir -p "$work/home"
HOME="$work/home" timeout 600 bash -euo pipefail "$work/state/walkthrough.sh" >"$work/walkthrough.out" 2>&1 \
  || { echo "the walkthrough failed:"; cat "$work/walkthrough.out"; exit 1; }

check() { grep -q -- "$1" "$2" || { echo "expected '$1' in $(basename "$2"):"; cat "$2"; exit 1; }; }
check "drill passed: True" "$work/walkthrough.out"
check "export AWS_ACCESS_KEY_ID=" "$work/walkthrough.out"
check "refused by AWS, as it should be" "$work/walkthrough.out"
check '"changes"' "$work/walkthrough.out"
check 'AWS::S3::Bucket' "$work/walkthrough.out"
check '"decision":"approved"' "$work/walkthrough.out"
check "MANIFEST.sha256\|: OK" "$work/walkthrough.out"
check '"ok":true' "$work/walkthrough.out"
check 'breakglass_grants_issued_total{.*role="prod-admin".*} 1\( \|$\)' "$work/walkthrough.out"
check 'breakglass_revocation_lag_seconds_count{.*role="prod-admin".*} 1\( \|$\)' "$work/walkthrough.out"
[ -f "$work/downloads/pack.zip" ] || { echo "the pack was not downloaded to the download directory"; exit 1; }
git -C "$root" status --porcelain --untracked-files=all | grep -q "pack.zip" && { echo "the quick start wrote a download into the repository"; exit 1; }

# Stopping: TERM, as when it runs in the background; it says "stopping" once and leaves nothing running.
kill -TERM "$quickstart"
for _ in $(seq 1 150); do kill -0 -- "-$quickstart" 2>/dev/null || break; sleep 0.2; done
if kill -0 -- "-$quickstart" 2>/dev/null; then echo "the quick start left processes running after TERM"; exit 1; fi
quickstart=
# pg_ctl starts PostgreSQL in a session of its own: the quick start must have stopped it itself.
for _ in $(seq 1 50); do [ -f "$work/state/pg/postmaster.pid" ] || break; sleep 0.2; done
[ ! -f "$work/state/pg/postmaster.pid" ] || { echo "the quick start left PostgreSQL running"; exit 1; }
[ "$(grep -c "==> stopping" "$work/quickstart.out")" = 1 ] || { echo "expected 'stopping' exactly once"; cat "$work/quickstart.out"; exit 1; }
echo "quick start test passed (ports $port $idp_port $pg_port $moto_port $aws_port)"
