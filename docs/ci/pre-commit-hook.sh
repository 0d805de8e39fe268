#!/usr/bin/env bash
# phiguard as a git pre-commit hook: when a commit changes the manifests, the profile or the
# expectations, run the connectivity assertions (and, if asked, the audit) on the files as they
# will be committed (the index), not on the working tree. See docs/ci/README.md.
#
# Install:   cp docs/ci/pre-commit-hook.sh .git/hooks/pre-commit && chmod +x .git/hooks/pre-commit
# Skip once: git commit --no-verify
#
# Settings (environment variables):
#   PHIGUARD_MANIFESTS    manifest files or folders, separated by spaces   (default: k8s)
#   PHIGUARD_EXPECTATIONS the expectations file          (default: phiguard/expectations.yaml)
#   PHIGUARD_PROFILE      the profile, for the audit     (default: phiguard/profile.yaml)
#   PHIGUARD_AUDIT        1 to run the audit as well     (default: 0; CI's diff gates new findings)
#   PHIGUARD_FAIL_ON      the audit's threshold          (default: high)
#   PHIGUARD              how to run phiguard, e.g. "java -jar /opt/phiguard/phiguard.jar"
#                         (default: phiguard on the PATH, else bin/phiguard of the phiguard
#                         checkout this script is in, as the pre-commit framework runs it)
set -euo pipefail

read -r -a manifests <<< "${PHIGUARD_MANIFESTS:-k8s}"
expectations="${PHIGUARD_EXPECTATIONS:-phiguard/expectations.yaml}"
profile="${PHIGUARD_PROFILE:-phiguard/profile.yaml}"
audit="${PHIGUARD_AUDIT:-0}"
fail_on="${PHIGUARD_FAIL_ON:-high}"

if [ -z "$(git diff --cached --name-only -- "${manifests[@]}" "$expectations" "$profile")" ]; then
  exit 0
fi

if [ -n "${PHIGUARD:-}" ]; then
  read -r -a phiguard <<< "$PHIGUARD"
elif command -v phiguard > /dev/null 2>&1; then
  phiguard=(phiguard)
elif [ -x "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../../bin/phiguard" ]; then
  phiguard=("$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/bin/phiguard")
else
  echo "phiguard pre-commit: phiguard not found; set PHIGUARD (e.g. \"java -jar /path/to/phiguard.jar\")" >&2
  echo "or put phiguard on the PATH; git commit --no-verify skips this check" >&2
  exit 1
fi

# the staged files, at the same relative paths, so that file:line in the output is the repository's
snapshot="$(mktemp -d)"
trap 'rm -rf "$snapshot"' EXIT
git ls-files -z -- "${manifests[@]}" "$expectations" "$profile" \
  | xargs -0 -r git checkout-index --prefix="$snapshot/" --

cd "$snapshot"
status=0
present=()
for path in "${manifests[@]}"; do
  if [ -e "$path" ]; then present+=("$path"); fi
done
if [ "${#present[@]}" -eq 0 ]; then
  exit 0
fi

if [ -f "$expectations" ]; then
  report="$snapshot/.phiguard-test.txt"
  test_status=0
  "${phiguard[@]}" test "${present[@]}" --expect "$expectations" -q > "$report" || test_status=$?
  if [ "$test_status" -ne 0 ]; then
    grep -v '^PASS  ' "$report" >&2 || true
    echo "phiguard pre-commit: connectivity assertions fail (exit $test_status); git commit --no-verify skips" >&2
    status=1
  else
    echo "phiguard: $(grep '^Result:' "$report")"
  fi
fi

if [ "$audit" = "1" ]; then
  options=(-q --no-color --fail-on "$fail_on")
  if [ -f "$profile" ]; then options+=(--profile "$profile"); fi
  audit_status=0
  "${phiguard[@]}" audit "${present[@]}" "${options[@]}" > "$snapshot/.phiguard-audit.txt" || audit_status=$?
  if [ "$audit_status" -ne 0 ]; then
    cat "$snapshot/.phiguard-audit.txt" >&2
    echo "phiguard pre-commit: the audit fails at --fail-on $fail_on (exit $audit_status)" >&2
    status=1
  fi
fi
exit "$status"
