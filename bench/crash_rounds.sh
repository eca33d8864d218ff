#!/bin/sh
# Rounds of limit, jar A, jar B back to back, each timed as the bench times a crash (20 SIGKILLs 1 s
# after a cold start of N programs, bench/first_kills.py); prints the p50s and the ratios to limit.
#   sh bench/crash_rounds.sh A.jar B.jar [ROUNDS] [N]
A=$1; B=$2; R=${3:-5}; N=${4:-100}; D=$(dirname "$0")
for r in $(seq "$R"); do
  L=$(python3 "$D/first_kills.py" limit "$N" 20 | awk '{print $3}')
  PA=$(SABOT_CMD="java -jar $A" python3 "$D/first_kills.py" sabot "$N" 20 | awk '{print $3}')
  PB=$(SABOT_CMD="java -jar $B" python3 "$D/first_kills.py" sabot "$N" 20 | awk '{print $3}')
  echo "round $r: limit $L  A $PA  B $PB  ratios $(python3 -c "print('%.2f %.2f' % ($PA/$L, $PB/$L))")"
done
