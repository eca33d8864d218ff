#!/bin/sh
# bin/sabot of the app image (and of the .deb): the image's own java, with the daemon's JVM flags
# (io.sabot.cli.DaemonJvm.FLAGS; -Dsabot.jvm=tuned says they are set) and the CLI's class-data
# archive lib/app/sabot.jsa (made at build time and by the .deb's postinst; missing or stale:
# ignored, silently). A script instead of jpackage's native launcher, which runs `rpm -qf` and
# `dpkg -S` on itself at every start to find its library (a second or more on a busy machine; see
# docs/benchmarks.md, "CLI start"). More JVM options: JAVA_TOOL_OPTIONS.
self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
app=${self%/bin/*}
exec "$app/lib/runtime/bin/java" \
    -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xms16m -Xmx512m \
    -XX:MaxHeapFreeRatio=30 -XX:MinHeapFreeRatio=10 -Xss512k -XX:ReservedCodeCacheSize=32m \
    -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Dsabot.jvm=tuned \
    -Xshare:auto "-XX:SharedArchiveFile=$app/lib/app/sabot.jsa" -Xlog:cds=off,cds+dynamic=off \
    -Dfile.encoding=UTF-8 -Djpackage.app-version=@project.version@ \
    -cp "$app/lib/app/sabot.jar" io.sabot.Main "$@"
