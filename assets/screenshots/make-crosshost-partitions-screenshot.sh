#!/bin/bash
# Screenshot of the partition map of a consumer group Kafka coordinates across two hosts, the real app under
# Xvfb (issue 17): daemon A ("host-a", this machine: a Kafka broker agent, a generator, 2 enricher instances),
# daemon B ("host-b", 2 enricher instances of the same group, reached through a throwaway sshd on a loopback
# port), the console on A with web2 (= B) in its Hosts list, on the Partitions view. Writes
# partitions-crosshost.png. Needs: mvn -q -B package -DskipTests (target/sabot.jar, target/kafka-broker);
# xvfb, imagemagick, xdotool, openssh-server. Run from the project root:
#   assets/screenshots/make-crosshost-partitions-screenshot.sh
# Every process it starts is ended by PID.
set -u
OUT=$(pwd)/assets/screenshots
W=$(mktemp -d /tmp/sabot-crosshost.XXXXXX); JAR=$(pwd)/target/sabot.jar; JAVA=$(readlink -f $(command -v java))
export SABOT_KAFKA_BROKER_DIR=$(pwd)/target/kafka-broker
mkdir -p $W/bin; cd $W
ssh-keygen -q -t ed25519 -N "" -f host; ssh-keygen -q -t ed25519 -N "" -f user
printf '#!/bin/sh\nexec %s -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar %s "$@"\n' "$JAVA" "$JAR" > bin/sabot; chmod +x bin/sabot
echo "environment=\"PATH=$W/bin:/usr/bin:/bin\" $(cat user.pub)" > authorized_keys
free() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port=$(free); kport=$(free); kctl=$(free)
printf 'Port %s\nListenAddress 127.0.0.1\nHostKey %s/host\nAuthorizedKeysFile %s/authorized_keys\nStrictModes no\nPidFile %s/sshd.pid\nPermitUserEnvironment yes\nPasswordAuthentication no\nUsePAM no\n' $port $W $W $W > sshd_config
mkdir -p /run/sshd; /usr/sbin/sshd -D -e -f $W/sshd_config 2> sshd.log & SSHD=$!
printf 'Host *\n  IdentitiesOnly yes\n' > ssh_config
export SABOT_SSH_COMMAND="ssh -F $W/ssh_config -i $W/user -o UserKnownHostsFile=$W/known_hosts -o StrictHostKeyChecking=accept-new -p $port"
SABOT_HOST_NAME=host-a java -jar $JAR daemon --home $W/a 2> a.log & A=$!
SABOT_HOST_NAME=host-b java -jar $JAR daemon --home $W/b 2> b.log & B=$!
until [ -S $W/a/control.sock ] && [ -S $W/b/control.sock ]; do sleep 0.5; done
common="\"clusters\":[{\"name\":\"local\",\"bootstrapServers\":\"127.0.0.1:$kport\",\"properties\":{\"session.timeout.ms\":\"6000\",\"heartbeat.interval.ms\":\"1000\"}}],
 \"topics\":[{\"name\":\"payments\",\"cluster\":\"local\",\"create\":true,\"partitions\":12,\"replication\":1},
             {\"name\":\"enriched\",\"cluster\":\"local\",\"create\":true,\"partitions\":12,\"replication\":1}],
 \"consumerGroups\":[{\"name\":\"enricher\",\"coordination\":\"kafka\"}]"
enr='"name":"enricher","builtin":"enricher","concurrency":2,"topic":"payments","outputs":["enriched"],"consumerGroup":"enricher"'
cat > a.json <<J
{$common, "agents":[
 {"name":"kafka","builtin":"kafka-broker","env":{"SABOT_KAFKA_PORT":"$kport","SABOT_KAFKA_CONTROLLER_PORT":"$kctl","SABOT_KAFKA_BROKER_DIR":"$SABOT_KAFKA_BROKER_DIR"},"startTimeoutMs":120000},
 {"name":"gen","builtin":"generator","outputs":["payments"],"dependsOn":["kafka"],"env":{"SABOT_GENERATOR_RATE":"300"}},
 {$enr,"dependsOn":["kafka"]}]}
J
cat > b.json <<J
{$common, "agents":[{$enr}]}
J
java -jar $JAR agents deploy a.json --home $W/a && java -jar $JAR agents start --all --home $W/a
B_URL="ssh://$(id -un)@127.0.0.1:$port?home=$W/b"
java -jar $JAR --host "$B_URL" agents deploy b.json && java -jar $JAR --host "$B_URL" agents start --all
for i in $(seq 1 120); do
  java -jar $JAR partitions show payments --home $W/a | grep -q host-b && break; sleep 2
done
java -jar $JAR partitions show payments --home $W/a
echo "{\"hosts\":[{\"name\":\"web2\",\"url\":\"$B_URL\"}]}" > a/console-hosts.json
echo '{"width":1600,"height":1000,"view":"partitions","theme":"light","detailDivider":0.66}' > a/console.json
xvfb-run -a -s '-screen 0 1600x1000x24' bash -c "
  java -jar $JAR console --home $W/a 2> console.log & C=\$!
  for i in \$(seq 1 240); do xdotool search --name 'Sabot Console' >/dev/null 2>&1 && break; sleep 0.5; done
  sleep ${SETTLE:-25}
  import -window root $OUT/partitions-crosshost.png
  kill \$C; wait \$C"
java -jar $JAR partitions show payments --home $W/a
java -jar $JAR agents stop --all --home $W/b; java -jar $JAR agents stop --all --home $W/a
kill $A $B; wait $A $B
kill $SSHD; wait $SSHD 2>/dev/null
cd /; rm -rf $W
echo done
