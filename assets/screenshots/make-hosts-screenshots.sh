#!/bin/bash
# Screenshots of the console with two hosts, the real app under Xvfb (issue 17): daemon A (this machine, the
# demo fleet), daemon B ("web1", reached through a throwaway sshd on a loopback port), the console on A with web1
# in its Hosts list. Writes hosts-list.png, hosts-fleet.png and hosts-trace.png (a bulk restart across both hosts).
# Needs: mvn -q -B package -DskipTests; xvfb, imagemagick, xdotool, openssh-server. Run from the project root:
#   assets/screenshots/make-hosts-screenshots.sh
set -u
OUT=$(pwd)/assets/screenshots
W=$(mktemp -d /tmp/sabot-hostshot.XXXXXX); JAR=$(pwd)/target/sabot.jar; JAVA=$(readlink -f $(command -v java))
rm -rf $W/d; mkdir -p $W/d/bin; cd $W/d
ssh-keygen -q -t ed25519 -N "" -f host; ssh-keygen -q -t ed25519 -N "" -f user
printf '#!/bin/sh\nexec %s -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar %s "$@"\n' "$JAVA" "$JAR" > bin/sabot; chmod +x bin/sabot
echo "environment=\"PATH=$W/d/bin:/usr/bin:/bin\" $(cat user.pub)" > authorized_keys
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
printf 'Port %s\nListenAddress 127.0.0.1\nHostKey %s/host\nAuthorizedKeysFile %s/authorized_keys\nStrictModes no\nPidFile %s/sshd.pid\nPermitUserEnvironment yes\nPasswordAuthentication no\nUsePAM no\n' $port $W/d $W/d $W/d > sshd_config
mkdir -p /run/sshd; /usr/sbin/sshd -D -e -f $W/d/sshd_config 2> sshd.log & SSHD=$!
printf 'Host *\n  IdentitiesOnly yes\n' > ssh_config
export SABOT_SSH_COMMAND="ssh -F $W/d/ssh_config -i $W/d/user -o UserKnownHostsFile=$W/d/known_hosts -o StrictHostKeyChecking=accept-new -p $port"
java -jar $JAR daemon --home $W/d/a 2> a.log & A=$!
java -jar $JAR daemon --home $W/d/b 2> b.log & B=$!
until [ -S $W/d/a/control.sock ] && [ -S $W/d/b/control.sock ]; do sleep 0.5; done
cat > web1.json <<'J'
{"agents":[{"name":"ingest","builtin":"enricher","concurrency":3,"topic":"payments"},
           {"name":"scorer","builtin":"fraud-detector","concurrency":2,"topic":"payments"}],
 "topics":[{"name":"payments","partitions":8}]}
J
java -jar $JAR --host "ssh://root@127.0.0.1:$port?home=$W/d/b" agents deploy web1.json
java -jar $JAR --host "ssh://root@127.0.0.1:$port?home=$W/d/b" agents start --all
echo "{\"hosts\":[{\"name\":\"web1\",\"url\":\"ssh://root@127.0.0.1:$port?home=$W/d/b\"}]}" > a/console-hosts.json
for view in ${VIEWS:-hosts agents traces}; do
  v=$view; [ $view = traces ] && v=agents
  echo "{\"width\":1600,\"height\":1000,\"view\":\"$v\",\"theme\":\"light\",\"detailDivider\":0.66}" > a/console.json
  xvfb-run -a -s '-screen 0 1600x1000x24' bash -c "
    java -jar $JAR console --home $W/d/a --demo 2> console-$view.log & C=\$!
    for i in \$(seq 1 240); do xdotool search --name 'Sabot Console' >/dev/null 2>&1 && break; sleep 0.5; done
    sleep 15
    $( [ $view = traces ] && echo "xdotool mousemove 1194 85 click 1; sleep 4; xdotool key Return; sleep 20; xdotool mousemove 45 221 click 1; sleep 12; for k in 1 2 3 4; do sleep 5; xdotool mousemove 184 154 click 1; done; sleep 8" )
    import -window root $OUT/hosts-$( [ $view = hosts ] && echo list || ([ $view = agents ] && echo fleet || echo trace)).png
    kill \$C; wait \$C"
done
kill $A $B; wait $A $B
kill $SSHD; wait $SSHD 2>/dev/null
rm -rf $W
echo done
