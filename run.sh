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

build_log="$here/target/build.log"

# Maven with its whole output appended to the build log; on the terminal only one line the first time the output
# enters a phase. lastpipe keeps the loop in this shell, so a phase announced by the offline attempt is not
# announced again by the online one.
shopt -s lastpipe
announced="|"
mvn_logged() {
  local line status
  set +e
  mvn -B -f "$here/pom.xml" "$@" 2>&1 | while IFS= read -r line; do
    printf '%s\n' "$line" >>"$build_log"
    case "$line" in
      *"Downloading from "*) announce "resolving dependencies (the first build downloads them into ~/.m2)..." ;;
      *"--- maven-compiler-plugin:"*) announce "compiling..." ;;
      *"--- maven-shade-plugin:"*) announce "packaging the jar..." ;;
    esac
  done
  status=$?
  set -e
  return "$status"
}

announce() {
  [[ "$announced" == *"|$1|"* ]] && return 0
  announced+="$1|"
  echo "$1" >&2
}

needs_build() {
  [[ ! -f "$jar" ]] && return 0
  [[ -n "$(find "$here" -path "$here/work" -prune -o \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

# Offline first (fast, no network); a machine that has not cached every dependency yet gets the online build, and
# the offline attempt's complaint stays in the log. To simulate a fresh machine:
#   MAVEN_OPTS=-Dmaven.repo.local=/tmp/empty-m2 ./run.sh build
build() {
  mkdir -p "$(dirname "$build_log")"
  : >"$build_log"
  if mvn_logged -o -DskipTests package; then
    return 0
  fi
  if grep -q "in offline mode" "$build_log"; then
    echo "--- offline attempt failed (dependencies not cached); building online ---" >>"$build_log"
    if mvn_logged -DskipTests package; then
      return 0
    fi
  fi
  echo "build failed; the last lines of $build_log:" >&2
  tail -n 40 "$build_log" >&2
  exit 1
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
