#!/usr/bin/env bash
# One entry point. First use sets up (SDK check, restore, build; DuckDB comes with the DuckDB.NET package);
# then `./run.sh <pipeline args>` runs the CLI and `./run.sh test` runs every test.
# Once built, a call costs one `find` for changed sources (a few ms): the SDK is checked only when building.
# `./run.sh install [--prefix DIR]` writes a `pipeline` launcher (default ~/.local/bin) that runs the built
# program with no checks at all, for scripts and cron.
set -euo pipefail

# Relative paths in the arguments (--vault, --config, --strategy, ...) are the caller's: set-up and build
# run in the checkout, the pipeline itself runs in the directory run.sh was called from.
CALLER="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

TOOLS="$ROOT/.tools"
BUILD_STAMP="$TOOLS/build.stamp"
CONFIG="Release"
PIPELINE_DLL="$ROOT/jobs/bin/$CONFIG/net10.0/pipeline.dll"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '%s\n' "$*" >&2; }
die() { say "run.sh: $*"; exit 1; }

check_sdk() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is missing. Install it from https://dot.net (or: apt-get install dotnet-sdk-10.0), then run ./run.sh again."
}

# `dotnet --version` costs 0.15-0.3 s (it resolves the SDK): only a build needs the SDK, so only a build checks it.
check_sdk_version() {
  local major
  major="$(dotnet --version 2>/dev/null | cut -d. -f1 || true)"
  [[ "$major" =~ ^[0-9]+$ && "$major" -ge 10 ]] || die "the .NET SDK found is '$(dotnet --version 2>/dev/null || echo none)'; Pipeline needs .NET 10 (see global.json). Install it from https://dot.net."
}

# The first source newer than the last build, if any. It runs on every call (a few ms), so a changed source is
# never run stale; a directory newer than the stamp means a source was added, removed or renamed in it.
changed_source() {
  [[ -f "$BUILD_STAMP" && -f "$PIPELINE_DLL" ]] || { echo "(no build yet)"; return; }
  find vault exporter calculators jobs tests Directory.Build.props Directory.Build.targets Directory.Packages.props BannedSymbols.txt global.json Pipeline.sln \
      \( -name bin -o -name obj -o -name TestResults \) -prune -o \
      \( -type d -o -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.json' -o -name '*.sln' -o -name '*.yaml' -o -name BannedSymbols.txt \) \) \
      -newer "$BUILD_STAMP" -print -quit 2>/dev/null || true   # a missing start path is not a change
}

# How often a running restore or build says it is still running (seconds; a test lowers it).
PROGRESS_SECONDS="${PIPELINE_PROGRESS_SECONDS:-15}"

# Runs one set-up stage (a dotnet restore or build) with its whole output kept in the log file $2, shown only on
# failure. The user still sees it move: a line per project as dotnet finishes it, and every PROGRESS_SECONDS a
# "still <what> (N s)" line. The already-built path never comes here.
stage() {
  local what="$1" log="$2"; shift 2
  (
    waited=0
    # sleep gets no terminal and no pipe: only this subshell holds stderr, and it goes when killed below.
    while sleep "$PROGRESS_SECONDS" </dev/null >/dev/null 2>&1; do
      waited=$((waited + PROGRESS_SECONDS))
      say "run.sh: still $what (${waited} s) ..."
    done
  ) &
  local ticker=$! status=0 line
  "$@" 2>&1 | tee "$log" | while IFS= read -r line; do
    if [[ "$line" =~ ^\ *([^ ]+)\ -\>\  ]]; then
      say "run.sh:   built ${BASH_REMATCH[1]}"
    elif [[ "$line" =~ ^\ *Restored\ (.+)\ \(in\  ]]; then
      say "run.sh:   restored $(basename "${BASH_REMATCH[1]}")"
    fi
  done || status=$?
  kill "$ticker" 2>/dev/null || true
  wait "$ticker" 2>/dev/null || true
  return "$status"
}

build() {
  local changed; changed="$(changed_source)"
  if [[ -n "$changed" ]]; then
    check_sdk_version
    local log; log="$(mktemp)"
    local restore=""
    if [[ "$changed" == "(no build yet)" ]]; then
      # First run: the packages come from nuget.org (DuckDB's native library is the big one), then ten projects
      # compile. Two quiet minutes look like a hang, so each stage says what it does.
      say "run.sh: first run: restoring packages (about a minute on a fresh machine) ..."
      if ! stage "restoring packages" "$log" dotnet restore Pipeline.sln -nologo -v:m -tl:off; then
        grep -E 'error|warning' "$log" | sort -u >&2 || cat "$log" >&2
        rm -f "$log"
        die "restoring packages failed (is nuget.org reachable?)"
      fi
      say "run.sh: building ($CONFIG; the first build takes one to two minutes) ..."
      restore="--no-restore"
    else
      say "run.sh: building ($CONFIG; changed: $changed) ..."
    fi
    if ! stage "building" "$log" dotnet build Pipeline.sln -c "$CONFIG" $restore -nologo -clp:NoSummary -v:m -tl:off; then
      grep -E 'error|warning' "$log" | sort -u >&2 || cat "$log" >&2
      rm -f "$log"
      die "build failed"
    fi
    rm -f "$log"
    mkdir -p "$TOOLS" && touch "$BUILD_STAMP"
    say "run.sh: built"
  fi
}

setup() {
  check_sdk
  build
}

run_tests() {
  local results="$TOOLS/test-results"
  rm -rf "$results"; mkdir -p "$results"
  local status=0 proj name
  for proj in tests/*/*.Tests.csproj; do
    name="$(basename "$proj" .csproj)"
    dotnet test "$proj" -c "$CONFIG" --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || status=$?
  done
  local passed=0 failed=0 skipped=0 files=0 f p fl t e nx
  for f in "$results"/*.trx; do
    [[ -f "$f" ]] || continue
    files=$((files + 1))
    local counters; counters="$(grep -o '<Counters [^>]*>' "$f" | head -1)"
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); fl=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
    # The trx counters leave xUnit's skipped tests out of "executed" and out of "notExecuted" alike;
    # the results themselves mark them NotExecuted.
    nx=$( { grep -o 'outcome="NotExecuted"' "$f" || true; } | wc -l)
    passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0})); skipped=$((skipped + ${nx:-0}))
    # A test host that died mid-run leaves tests neither passed nor failed: count them as failed.
    local missing=$(( ${t:-0} - ${e:-0} - ${nx:-0} )); (( missing > 0 )) && failed=$((failed + missing))
  done
  local projects; projects=$(ls tests/*/*.Tests.csproj | wc -l)
  if (( status != 0 && failed == 0 )); then failed=1; say "run.sh: dotnet test exited $status with no failed test recorded (crashed test host?)"; fi
  if (( files < projects )); then say "run.sh: only $files of $projects test projects reported results"; (( failed == 0 )) && failed=1; fi
  echo
  if (( skipped > 0 )); then echo "$passed passed, $failed failed, $skipped skipped"; else echo "$passed passed, $failed failed"; fi
  (( failed == 0 ))
}

# Writes a launcher that runs the built program directly: no SDK check, no staleness check, no build. It calls the
# dotnet host found now, so cron's short PATH still finds it.
install_launcher() {
  local prefix="$HOME/.local/bin"
  while (( $# > 0 )); do
    case "$1" in
      --prefix) [[ $# -ge 2 ]] || die "install: --prefix needs a directory"; prefix="$2"; shift 2 ;;
      --prefix=*) prefix="${1#--prefix=}"; shift ;;
      *) die "install: unknown argument '$1' (usage: ./run.sh install [--prefix DIR])" ;;
    esac
  done
  [[ "$prefix" == /* ]] || prefix="$CALLER/$prefix"
  mkdir -p "$prefix" || die "install: cannot create $prefix"
  local dll_q dotnet_q launcher="$prefix/pipeline"
  dll_q="$(printf '%q' "$PIPELINE_DLL")"; dotnet_q="$(printf '%q' "$(command -v dotnet)")"
  cat > "$launcher.part" <<EOF
#!/usr/bin/env bash
# Written by $ROOT/run.sh install: runs the built Pipeline with no set-up checks and no rebuild.
# After changing or pulling the sources, run $ROOT/run.sh setup (or any run.sh command) to rebuild.
dll=$dll_q
[[ -f "\$dll" ]] || { echo "pipeline: \$dll is missing: run $ROOT/run.sh setup" >&2; exit 1; }
dotnet=$dotnet_q
[[ -x "\$dotnet" ]] || dotnet=dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec "\$dotnet" "\$dll" "\$@"
EOF
  chmod 755 "$launcher.part" && mv "$launcher.part" "$launcher"
  say "run.sh: installed $launcher (runs $PIPELINE_DLL; it does not rebuild: run ./run.sh setup after changing the sources)"
  case ":$PATH:" in
    *":$prefix:"*) ;;
    *) say "run.sh: warning: $prefix is not on PATH; add it (e.g. export PATH=\"$prefix:\$PATH\" in ~/.profile) or call $launcher directly" ;;
  esac
}

case "${1:-}" in
  install)
    shift
    setup
    install_launcher "$@"
    ;;
  test)
    shift
    setup
    run_tests "$@"
    ;;
  setup)
    setup
    say "run.sh: ready ($(dotnet "$PIPELINE_DLL" doctor --quiet 2>/dev/null || true))"
    ;;
  *)
    setup
    cd "$CALLER" || die "cannot return to the calling directory $CALLER"
    exec dotnet "$PIPELINE_DLL" "$@"
    ;;
esac
