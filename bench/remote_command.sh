#!/bin/sh
# The cost of one remote command over SSH, and where it goes (issue 17): a throwaway sshd on a
# free loopback port (generated host and user keys, all in a temp dir), a daemon on a temp home
# with 10 `sleep` agents, and per run (median of RUNS, after one warm-up round):
#   local   sabot agents status --json                      (a local CLI JVM, no ssh)
#   ssh     ssh HOST true                                   (the ssh handshake alone)
#   bridge  ssh HOST 'sabot bridge --home H' </dev/null     (ssh + the remote JVM up to its banner and out)
#   remote  sabot --host ssh://USER@127.0.0.1:PORT?home=H agents status --json   (the whole command)
#   remote-cm  the same, the user's ssh options with ControlMaster=auto, ControlPersist=60 (a
#           master connection kept by ssh itself between commands; nothing stored by Sabot)
# `sabot` on both sides is this build (target/classes and the dependency class path) with the
# launcher's JVM flags (packaging/linux/sabot-launcher.sh, without its CDS archive).
# Run from the project root after `mvn -q -B -o compile`:  sh bench/remote_command.sh [RUNS]
# (CLASSES=/other/build/target/classes for another build; PROFILE=1 for one command under strace)
# Every process it starts (sshd, the daemon) is ended by PID; the temp dir is removed.
set -eu
RUNS=${1:-10}
ROOT=$(pwd)
TMP=$(mktemp -d /tmp/sabot-remote-bench.XXXXXX)
SSHD_PID=
DAEMON_PID=
SABOT=true
cleanup() {
    [ -n "${CM:-}" ] && $SSH $CM -O exit "$(id -un)@127.0.0.1" 2>/dev/null || true
    [ -n "$DAEMON_PID" ] && "$SABOT" agents stop --all --home "$TMP/home" >/dev/null 2>&1 || true
    [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null || true
    [ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null && wait "$SSHD_PID" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

CPFILE=$ROOT/target/bench-classpath.txt
if [ ! -s "$CPFILE" ] || [ "$ROOT/pom.xml" -nt "$CPFILE" ]; then
    mvn -q -B -o dependency:build-classpath -Dmdep.outputFile="$CPFILE" >/dev/null 2>&1
fi
CP=${CLASSES:-$ROOT/target/classes}:$(cat "$CPFILE") # CLASSES: another build's classes (a before/after comparison)
JAVA=${JAVA:-java}
FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xms16m -Xmx512m -Xss512k -XX:ReservedCodeCacheSize=32m -XX:-UsePerfData -Dsabot.jvm=tuned -Xshare:auto"
mkdir -p "$TMP/bin" "$TMP/home"
printf '#!/bin/sh\nexec %s %s -cp %s io.sabot.Main "$@"\n' "$JAVA" "$FLAGS" "$CP" > "$TMP/bin/sabot"
chmod +x "$TMP/bin/sabot"
SABOT=$TMP/bin/sabot

# sshd on a free loopback port, keys of its own
ssh-keygen -q -t ed25519 -N '' -f "$TMP/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/user_key"
printf 'environment="PATH=%s:/usr/local/bin:/usr/bin:/bin" %s\n' "$TMP/bin" "$(cat "$TMP/user_key.pub")" > "$TMP/authorized_keys"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$TMP/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $TMP/host_key
AuthorizedKeysFile $TMP/authorized_keys
StrictModes no
PidFile $TMP/sshd.pid
PermitUserEnvironment yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
EOF
mkdir -p /run/sshd 2>/dev/null || true
/usr/sbin/sshd -D -e -f "$TMP/sshd_config" 2>"$TMP/sshd.log" &
SSHD_PID=$!
printf 'Host *\n  IdentitiesOnly yes\n  GlobalKnownHostsFile /dev/null\n' > "$TMP/ssh_config"
SSH="ssh -F $TMP/ssh_config -i $TMP/user_key -o UserKnownHostsFile=$TMP/known_hosts -o StrictHostKeyChecking=accept-new -o BatchMode=yes -p $PORT"
USER_NAME=$(id -un)
i=0
until $SSH -T "$USER_NAME@127.0.0.1" true 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$TMP/sshd.log"; exit 1; }; sleep 0.1
done

# the daemon, with 10 agents
SABOT_HOME=$TMP/home "$SABOT" daemon >"$TMP/daemon.log" 2>&1 &
DAEMON_PID=$!
i=0
until [ -S "$TMP/home/control.sock" ]; do i=$((i + 1)); [ $i -lt 600 ] || { cat "$TMP/daemon.log"; exit 1; }; sleep 0.1; done
echo '{"agents":[{"name":"web","command":["sleep","100000"],"concurrency":10}]}' > "$TMP/spec.json"
"$SABOT" agents deploy "$TMP/spec.json" --home "$TMP/home" >/dev/null
"$SABOT" agents start --all --home "$TMP/home" >/dev/null

URL="ssh://$USER_NAME@127.0.0.1:$PORT?home=$TMP/home"
now() { date +%s%N; }
if [ -n "${PROFILE:-}" ]; then # one remote command under strace: when ssh starts, the output is written, the JVM exits
    SABOT_SSH_COMMAND="$SSH" strace -f -tt -e trace=execve,exit_group,write -e signal=none -o "$TMP/strace" \
        "$SABOT" --host "$URL" agents status --json >/dev/null
    grep -E 'execve\(|exit_group|write\(1,' "$TMP/strace" | sed 's/^\([0-9]*\) *\([0-9:.]*\) \(.\{0,110\}\).*/\1 \2 \3/'
    exit 0
fi
CM="-o ControlMaster=auto -o ControlPath=$TMP/cm-%C -o ControlPersist=60"
for what in local ssh bridge remote remote-cm; do : > "$TMP/$what.ms"; done
r=0
while [ $r -le "$RUNS" ]; do
    t=$(now); "$SABOT" agents status --json --home "$TMP/home" >/dev/null; e=$(now)
    [ $r -gt 0 ] && echo $(( (e - t) / 1000000 )) >> "$TMP/local.ms"
    t=$(now); $SSH -T "$USER_NAME@127.0.0.1" true; e=$(now)
    [ $r -gt 0 ] && echo $(( (e - t) / 1000000 )) >> "$TMP/ssh.ms"
    t=$(now); $SSH -T "$USER_NAME@127.0.0.1" "sabot bridge --home $TMP/home" </dev/null >"$TMP/banner"; e=$(now)
    grep -q sabotBridge "$TMP/banner" || { echo "no banner: $(cat "$TMP/banner")"; exit 1; }
    [ $r -gt 0 ] && echo $(( (e - t) / 1000000 )) >> "$TMP/bridge.ms"
    t=$(now); SABOT_SSH_COMMAND="$SSH" "$SABOT" --host "$URL" agents status --json >"$TMP/remote.out"; e=$(now)
    grep -q '"web-9"' "$TMP/remote.out" || { echo "remote status: $(cat "$TMP/remote.out")"; exit 1; }
    [ $r -gt 0 ] && echo $(( (e - t) / 1000000 )) >> "$TMP/remote.ms"
    t=$(now); SABOT_SSH_COMMAND="$SSH $CM" "$SABOT" --host "$URL" agents status --json >"$TMP/remote.out" 2>"$TMP/remote.err"; e=$(now)
    grep -q '"web-9"' "$TMP/remote.out" || { echo "remote status (ControlMaster): $(cat "$TMP/remote.out" "$TMP/remote.err")"; exit 1; }
    [ $r -gt 0 ] && echo $(( (e - t) / 1000000 )) >> "$TMP/remote-cm.ms"
    r=$((r + 1))
done
echo "remote command over SSH, $RUNS runs (after one warm-up), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for what in local ssh bridge remote remote-cm; do
    sort -n "$TMP/$what.ms" | awk -v w="$what" '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "  %-9s median %6d ms   min %6d   max %6d\n", w, m, a[1], a[NR]}'
done
