#!/usr/bin/env bash
# Runs the provisioning end-to-end test (TestProvisionEndToEnd) — what
# `make e2e` does after building the tools and the image's binaries — and
# removes whatever the run left, even when the test binary was killed
# (timeout, Ctrl-C): containers, networks and volumes labeled with the
# run, and its node image. The test tears down with terraform destroy
# itself; this is the safety net.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if ! docker info >/dev/null 2>&1; then
  echo "e2e: Docker Engine not available (docker info failed); the provisioning test needs it" >&2
  exit 1
fi

run=${DROVER_E2E_RUN:-e2e$(date +%y%m%d%H%M%S)$((RANDOM % 100))}
work=$(mktemp -d "${TMPDIR:-/tmp}/drover-e2e-XXXXXX")
label="drover.e2e.run=$run"

sweep() {
  local ids
  ids=$(docker ps -aq --filter "label=$label")
  [ -n "$ids" ] && docker rm -f -v $ids >/dev/null
  ids=$(docker network ls -q --filter "label=$label")
  [ -n "$ids" ] && docker network rm $ids >/dev/null
  ids=$(docker volume ls -q --filter "label=$label")
  [ -n "$ids" ] && docker volume rm -f $ids >/dev/null
  docker image rm -f "drover-node:$run" >/dev/null 2>&1 || true
}
finish() {
  status=$?
  trap - EXIT INT TERM
  sweep || true
  if [ "$status" -ne 0 ] && [ -d "$work/logs" ]; then
    mkdir -p "$root/e2e/provision/logs"
    cp -r "$work/logs/." "$root/e2e/provision/logs/" 2>/dev/null || true
    echo "e2e: FAILED; logs of the steps are in e2e/provision/logs/" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap finish EXIT
trap 'exit 130' INT TERM

echo "e2e: run $run (work dir $work)"
DROVER_E2E_RUN=$run DROVER_E2E_WORK=$work \
  go test -count=1 -v -timeout "${E2E_TIMEOUT:-45m}" -run '^TestProvisionEndToEnd$' ./e2e/provision/
