#!/bin/sh
# bin/sabot of the app image (and of the .deb): the image's own java, with the daemon's JVM flags
# (io.sabot.cli.DaemonJvm.FLAGS; -Dsabot.jvm=tuned says they are set) and the CLI's class-data
# archive lib/app/sabot.jsa (made at build time and by the .deb's postinst; missing or stale:
# ignored, silently). A script instead of jpackage's native launcher, which runs `rpm -qf` and
# `dpkg -S` on itself at every start to find its library (a second or more on a busy machine; see
# docs/benchmarks.md, "CLI start"). More JVM options: JAVA_TOOL_OPTIONS. JavaFX is linked into the
# runtime as named modules; ControlsFX and AtlantaFX (class path) reach into its internals through the
# --add-exports/--add-opens below (the same list as io.sabot.launch.JavaFxModules.ACCESS).
self=$(readlink -f -- "$0" 2>/dev/null) || self=$0
app=${self%/bin/*}
exec "$app/lib/runtime/bin/java" \
    -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xms32m -Xmx512m \
    -XX:MaxHeapFreeRatio=70 -XX:MinHeapFreeRatio=40 -Xss512k -XX:ReservedCodeCacheSize=32m \
    -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=1000 -Dsabot.jvm=tuned \
    -Xshare:auto "-XX:SharedArchiveFile=$app/lib/app/sabot.jsa" -Xlog:cds=off,cds+dynamic=off \
    -Dfile.encoding=UTF-8 -Djpackage.app-version=@project.version@ \
    --add-exports=javafx.base/com.sun.javafx.event=ALL-UNNAMED \
    --add-exports=javafx.base/com.sun.javafx.collections=ALL-UNNAMED \
    --add-exports=javafx.controls/com.sun.javafx.scene.control=ALL-UNNAMED \
    --add-exports=javafx.controls/com.sun.javafx.scene.control.behavior=ALL-UNNAMED \
    --add-exports=javafx.controls/com.sun.javafx.scene.control.inputmap=ALL-UNNAMED \
    --add-exports=javafx.graphics/com.sun.javafx.scene=ALL-UNNAMED \
    --add-exports=javafx.graphics/com.sun.javafx.scene.traversal=ALL-UNNAMED \
    --add-exports=javafx.graphics/com.sun.javafx.css=ALL-UNNAMED \
    --add-opens=javafx.controls/javafx.scene.control.skin=ALL-UNNAMED \
    --add-opens=javafx.graphics/javafx.scene=ALL-UNNAMED \
    -cp "$app/lib/app/sabot.jar" io.sabot.Main "$@"
