#!/usr/bin/env bash
# CI check of ghl on a real Slurm: starts a single-node cluster from Debian's
# slurm-wlm and munge (installed if missing) with slurm.conf.in in a
# temporary folder, runs the quick plan of the real data as a job array of
# 'ghl trial' (deploy/slurm/ghl-trial.sbatch), aggregates it, checks that the
# result equals a local 'ghl reproduce --quick' (timing aside), does the same
# for the trials run with JOB_COMPLETION_INDEX (Kubernetes' convention), and
# stops the daemons by their pid files. It fails, with the daemons' logs, if Slurm
# cannot start; it never skips. Run as root, without systemd.
#
#   bash deploy/slurm/ci.sh [CWRU_DIR]     (default ../shared/data/cwru)
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
DATA=${1:-$(cd .. && pwd)/shared/data/cwru}
FLAGS=(--data "$DATA" --quick)
LIMIT=${GHL_SLURM_TIMEOUT:-1200} # seconds for the whole job array
DIR=""

fail() {
  echo "FATAL (Slurm CI): $*" >&2
  if [ -n "$DIR" ]; then
    for f in "$DIR"/*.log "$DIR"/munge/*.log "$DIR"/logs/*; do
      [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
    done
  fi
  exit 1
}

stop() { # stop a daemon by its pid file and wait for it
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

teardown() {
  [ -n "$DIR" ] || return 0
  if [ -f "$DIR/slurmctld.pid" ]; then scancel --quiet --full --signal=KILL --partition=ci 2>/dev/null || true; fi
  stop "$DIR/slurmd.pid"
  stop "$DIR/slurmctld.pid"
  stop "$DIR/munge/munged.pid"
  rm -rf "$DIR"
}
trap teardown EXIT

[ "$(id -u)" = 0 ] || fail "run as root (the daemons run as root and munge)"
[ -f "$DATA/97.mat" ] || fail "the real CWRU data is missing at $DATA"
need=""
command -v slurmctld >/dev/null 2>&1 || need="$need slurm-wlm"
command -v munged >/dev/null 2>&1 || need="$need munge"
if [ -n "$need" ]; then
  echo "installing$need from Debian"
  apt-get update -qq || fail "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null || fail "cannot install$need"
fi

DIR=$(mktemp -d /tmp/ghl-slurm.XXXXXX)
chmod 755 "$DIR"
mkdir -p "$DIR/state" "$DIR/spool" "$DIR/munge" "$DIR/logs" "$DIR/bin"

# munge: a fresh key, the daemon as the munge user, everything in $DIR/munge.
id munge >/dev/null 2>&1 || fail "no munge user (is the munge package installed?)"
dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
chown -R munge: "$DIR/munge"
chmod 700 "$DIR/munge"
chmod 400 "$DIR/munge/munge.key"
SOCKET="$DIR/munge/munge.socket"
runuser -u munge -- munged --force --key-file="$DIR/munge/munge.key" --socket="$SOCKET" \
  --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/seed" \
  || fail "munged did not start"
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.2; done
[ -S "$SOCKET" ] || fail "munged made no socket at $SOCKET"
# The munge socket must be reachable by root's Slurm daemons and clients.
chmod 711 "$DIR/munge"

# slurm.conf: this machine as the one node, with what slurmd detects.
HOST=$(hostname -s)
NODE=$(slurmd -C | head -n 1) || fail "slurmd -C cannot describe this machine"
CPUS=$(echo "$NODE" | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p')
# Ports: GHL_SLURMCTLD_PORT / GHL_SLURMD_PORT when given, else Slurm's usual
# 6817/6818 when free, else a free port the kernel picks (so a Slurm already
# running on this machine, or a second CI job, does not make this one fail).
free_port() {
  python3 - "$1" <<'PY'
import socket, sys
def ok(p):
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", p))
        return s.getsockname()[1]
    except OSError:
        return 0
    finally:
        s.close()
print(ok(int(sys.argv[1])) or ok(0))
PY
}
CTLDPORT=${GHL_SLURMCTLD_PORT:-$(free_port 6817)} || fail "cannot find a free port for slurmctld"
DPORT=${GHL_SLURMD_PORT:-$(free_port 6818)} || fail "cannot find a free port for slurmd"
[ "$CTLDPORT" != "$DPORT" ] || DPORT=$(free_port 0)
echo "Slurm ports: slurmctld $CTLDPORT, slurmd $DPORT"
sed -e "s|@HOST@|$HOST|g" -e "s|@DIR@|$DIR|g" -e "s|@CTLDPORT@|$CTLDPORT|" \
  -e "s|@DPORT@|$DPORT|" -e "s|^NodeName=.*|$NODE State=UNKNOWN|" \
  deploy/slurm/slurm.conf.in > "$DIR/slurm.conf"
echo "AuthInfo=socket=$SOCKET" >> "$DIR/slurm.conf"
export SLURM_CONF="$DIR/slurm.conf"

slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 1
done
[ "$state" = idle ] || fail "the node did not become idle within 60 s (state: '${state:-no answer}')"
echo "Slurm up: node $HOST ($CPUS CPUs) idle"

go build -o "$DIR/bin/ghl" ./cmd/ghl
export GHL="$DIR/bin/ghl"
N=$("$GHL" plan "${FLAGS[@]}" --count)
[ "$N" -gt 0 ] || fail "the plan has no trials"
echo "submitting an array of $N trials (two at a time)"
start=$(date +%s)
timeout "$LIMIT" sbatch --wait --array="0-$((N - 1))%2" --cpus-per-task=1 --time=30 \
  --output="$DIR/logs/%A_%a.out" --chdir="$DIR" \
  "$REPO/deploy/slurm/ghl-trial.sbatch" --out "$DIR/split" "${FLAGS[@]}" \
  || fail "the job array failed or ran over ${LIMIT} s"
echo "job array done in $(( $(date +%s) - start )) s"
grep -h '^accuracy=' "$DIR"/logs/*.out | head -n 3
[ "$(grep -l '^accuracy=' "$DIR"/logs/*.out | wc -l)" = "$N" ] || fail "not every task printed its metrics"

"$GHL" aggregate "$DIR/split" "${FLAGS[@]}" > /dev/null || fail "ghl aggregate failed"
"$GHL" reproduce "${FLAGS[@]}" --out "$DIR/local" > /dev/null || fail "local ghl reproduce failed"
go run ./internal/cmd/samerun "$DIR/local" "$DIR/split" || fail "the Slurm run differs from the local one"
echo "Slurm CI: $N trials as a job array give the local reproduce's results"

# The Kubernetes Indexed Job's convention, without a cluster: every index
# from JOB_COMPLETION_INDEX, then aggregate, gives the same run too.
for i in $(seq 0 $((N - 1))); do
  JOB_COMPLETION_INDEX=$i "$GHL" trial --out "$DIR/indexed" "${FLAGS[@]}" > /dev/null 2>> "$DIR/logs/indexed.log" \
    || fail "JOB_COMPLETION_INDEX=$i ghl trial failed"
done
"$GHL" aggregate "$DIR/indexed" "${FLAGS[@]}" --no-report > /dev/null || fail "ghl aggregate of the indexed trials failed"
go run ./internal/cmd/samerun "$DIR/local" "$DIR/indexed" || fail "the JOB_COMPLETION_INDEX run differs from the local one"
