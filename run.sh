#!/usr/bin/env bash
# contssl launcher: builds the shaded jar when it is missing or older than the sources, then runs the CLI
# with the JVM flags Chronicle Map and DJL need. `./run.sh test` runs the test suite (the README's command).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/jobs/target/contssl.jar"

# Chronicle Map on Java 17 (docs/stack.md); DJL fully offline with the bundled libtorch.
JVM_FLAGS=(
  --add-modules=jdk.incubator.vector
  --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  -Dchronicle.analytics.disable=true
  -Dchronicle.announcer.disable=true
  -Dai.djl.offline=true
  -XX:+UseParallelGC
)

# One glibc malloc arena: libtorch's large activation blocks then come from the main heap instead of per-thread
# heaps that cannot keep blocks above 64 MiB (ResNet steps otherwise page-fault ~1 GB each; docs/performance.md).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"

mvn_cmd() {
  # offline first (fast, no network); fall back to online when a dependency is not cached yet
  mvn -B -q -o "$@" 2>/dev/null || mvn -B -q "$@"
}

needs_build() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$here" -path "$here/work" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

build() {
  echo "building contssl (mvn package, tests skipped)..." >&2
  (cd "$here" && mvn_cmd -DskipTests package) >&2
}

case "${1:-}" in
  test)
    shift
    cd "$here"
    exec mvn -B test "$@"
    ;;
  build)
    build
    exit 0
    ;;
esac

if needs_build; then
  build
fi
exec java "${JVM_FLAGS[@]}" ${CONTSSL_JAVA_OPTS:-} -jar "$jar" "$@"
