#!/usr/bin/env bash
# The Dockerfile, built and run for real (rootful podman; no Docker engine or registry here):
#   1. ../shared/tools/container-check.sh builds the image on a local stand-in for its base image,
#      runs it, probes /__admin/health and runs the image's HEALTHCHECK;
#   2. then, on that image: the size it adds over its base; the time from `podman run` to the first
#      health answer; a clean stop (SIGTERM to PID 1) under
#      2 s; and persistence: a customer created with DATA_FILE on a volume is read back by a new
#      container on the same volume; logs are JSON lines even with a terminal (-t); the dashboard's
#      files are in the image.
# usage: npm run container:check   (env: PORT=4010, WORK=/tmp/container-check, KEEP=1 keeps images)
set -euo pipefail
APP=$(cd "$(dirname "$0")/.." && pwd)
TOOL=${CONTAINER_CHECK:-$APP/../shared/tools/container-check.sh}
PORT=${PORT:-4010}; W=${WORK:-/tmp/container-check}
[ -x "$TOOL" ] || [ -f "$TOOL" ] || { echo "container:check: $TOOL not found (it ships in shared/tools)" >&2; exit 2; }
KEEP_AFTER=${KEEP:-0}
KEEP=1 bash "$TOOL" "$APP"

# The same podman storage and settings the tool used.
export TMPDIR=$W/tmp CONTAINERS_CONF=$W/containers.conf CONTAINERS_STORAGE_CONF=$W/storage.conf
IMAGE=localhost/check-app; VOLUME=check-data-$$; NAME=check-persist-$$
cleanup() {
  podman rm -f -t 0 "$NAME" >/dev/null 2>&1 || true
  podman volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  [ "$KEEP_AFTER" = 1 ] || podman system reset -f >/dev/null 2>&1 || true
}
trap cleanup EXIT
fail() { echo "container:check: $*" >&2; podman logs "$NAME" 2>&1 | tail -20 >&2 || true; exit 1; }

size() { podman image inspect -f '{{.Size}}' "$1"; }
added=$(( $(size $IMAGE) - $(size localhost/node-base:local) ))
echo "container:check: the image adds $(( added / 1024 / 1024 )) MB to its base ($(( $(size $IMAGE) / 1024 / 1024 )) MB in all)"
podman run --rm --health-interval=disable --entrypoint sh $IMAGE -c 'test ! -e test && test ! -e src && test ! -e node_modules/typescript && test ! -e node_modules/jest' \
  || fail "the image holds tests, sources or dev dependencies"

AUTH="Authorization: Basic $(printf 'container-check:secret' | base64)"
BODY='{"legalName":"Persisted Ltd","address":{"line1":"1 High Street","town":"London","postcode":"EC1A 1BB","country":"GB"},"taxStatus":"TAXED","contacts":[]}'
start() {
  local t0 t1
  t0=$(date +%s%N)
  podman run -d -t --name "$NAME" --health-interval=disable -e DATA_FILE=/data/sequence.json -v "$VOLUME:/data" -p "127.0.0.1:$PORT:4010" $IMAGE >/dev/null
  for i in $(seq 1000); do
    if curl -fsS "http://127.0.0.1:$PORT/__admin/health" >/dev/null 2>&1; then
      t1=$(date +%s%N)
      echo "container:check: first health answer $(( (t1 - t0) / 1000000 )) ms after podman run (container set-up included)"
      return
    fi
    sleep 0.02
  done
  fail "no health answer with DATA_FILE on a volume"
}
stop() {
  local t0 t1
  t0=$(date +%s%N); podman stop -t 10 "$NAME" >/dev/null; t1=$(date +%s%N)
  local ms=$(( (t1 - t0) / 1000000 ))
  local code; code=$(podman inspect -f '{{.State.ExitCode}}' "$NAME")
  echo "container:check: podman stop took $ms ms, exit code $code"
  [ "$code" = 0 ] || fail "the server did not exit 0 on SIGTERM"
  [ "$ms" -lt 2000 ] || fail "podman stop took $ms ms (over 2 s: SIGTERM not handled by PID 1?)"
  podman rm "$NAME" >/dev/null
}

podman volume create "$VOLUME" >/dev/null
start
id=$(curl -fsS "http://127.0.0.1:$PORT/api/customers" -H "$AUTH" -H 'Content-Type: application/json' -d "$BODY" \
  | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).id)') || fail "create failed"
logs=$(podman logs "$NAME" 2>&1)
grep '^{.*"msg":"request completed"' <<<"$logs" | grep -c '"statusCode":201' >/dev/null || fail "no JSON request line in the log under -t"
stop
start
got=$(curl -fsS "http://127.0.0.1:$PORT/api/customers/$id" -H "$AUTH") || fail "customer $id not found in a new container on the same volume"
echo "$got" | grep -q '"legalName":"Persisted Ltd"' || fail "read back something else: $got"
# The dashboard ships in the image: its page and script are served.
# Read whole before grep: `curl | grep -q` fails under pipefail when grep stops reading early (curl exit 23).
page=$(curl -fsS "http://127.0.0.1:$PORT/__admin/ui") || fail "no dashboard page at /__admin/ui"
grep -q '<title>sequence-mock dashboard</title>' <<<"$page" || fail "no dashboard page at /__admin/ui"
script=$(curl -fsS "http://127.0.0.1:$PORT/__admin/ui/app.js") || fail "no dashboard script at /__admin/ui/app.js"
grep -q 'FAULT_CODES' <<<"$script" || fail "no dashboard script at /__admin/ui/app.js"
podman exec "$NAME" sh -c 'test -s /data/sequence.json' || fail "no data file on the volume"
stop
echo "container:check: persistence across containers on one volume: ok (customer $id)"
