# Shared by the command-line tests: `fail MESSAGE`, and `run CODE FRAGMENT CMD...`, which runs CMD
# with stdout and stderr in $d/stdout and $d/stderr and fails unless it exits CODE and stderr holds
# FRAGMENT (when not empty). Source it after setting $d to the test's scratch folder.
fail() { echo "FAIL: $*" >&2; exit 1; }
run() {
  local code=$1 frag=$2
  shift 2
  "$@" > "$d/stdout" 2> "$d/stderr"
  local rc=$?
  [ "$rc" -eq "$code" ] || fail "$* exited $rc, expected $code: $(cat "$d/stderr")"
  [ -z "$frag" ] || grep -q -- "$frag" "$d/stderr" || fail "$*: '$frag' not in: $(cat "$d/stderr")"
}
