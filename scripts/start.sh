#!/usr/bin/env bash
# Sets up and starts the whole service on the local stack: Node 26, npm packages, Go tools, build, the stack
# (Temporal + Web UI, S3, DynamoDB, Auth emulator, Secrets Manager), then one API and one worker process.
# Ctrl-C stops the API and the worker, then the stack (set STACK_KEEP=1 to leave the stack running).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

install_dependencies
node_modules/.bin/tsc -p tsconfig.build.json
node_modules/.bin/tsx scripts/stack.ts up

set -a
# shellcheck disable=SC1091
source .local/stack/stack.env
set +a
# A local .env may override anything, as it would in production.
[[ -f .env ]] && { set -a; source .env; set +a; }
export WORKER_METRICS_ADDRESS="${WORKER_METRICS_ADDRESS:-127.0.0.1:9464}"
# The provider that names what it sees (offline, its network converted at install time): a worker's first image waits
# 0.5 s for it, and each image costs about 58 ms of CPU more than `local` (bench/retrieval). The tests keep `local`.
export AI_PROVIDER="${AI_PROVIDER:-vision}"
# On this machine only, webhooks may go to receivers on loopback (a production deployment leaves this empty).
export WEBHOOK_INSECURE_HOSTS="${WEBHOOK_INSECURE_HOSTS-127.0.0.1,localhost}"

mkdir -p .local/logs
pids=()
cleanup() {
  trap - EXIT INT TERM
  echo "stopping API and worker..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ "${STACK_KEEP:-}" == 1 ]] || node_modules/.bin/tsx scripts/stack.ts down
}
trap cleanup EXIT INT TERM

node dist/workers/main.js > >(tee -a .local/logs/worker.log) 2>&1 &
pids+=($!)
# glibc's mmap threshold held at its default: an upload's large buffers go back to the system once freed.
MALLOC_MMAP_THRESHOLD_=131072 node dist/api/main.js > >(tee -a .local/logs/api.log) 2>&1 &
pids+=($!)

api="http://${API_HOST:-127.0.0.1}:${API_PORT:-8080}"
for _ in $(seq 1 60); do
  curl -fsS "$api/readyz" >/dev/null 2>&1 && break
  sleep 1
done
echo
echo "imagepipe is up"
echo "  gallery:      $api/"
echo "  API:          $api   (readiness: $api/readyz, OpenAPI: $api/docs)"
echo "  Temporal UI:  $TEMPORAL_UI_URL/namespaces/$TEMPORAL_NAMESPACE/workflows"
echo "  metrics:      $api/metrics (API), http://$WORKER_METRICS_ADDRESS/metrics (worker)"
echo "  AI provider:  $AI_PROVIDER (AI_PROVIDER in .env to change it)"
echo "  webhooks:     may reach ${WEBHOOK_INSECURE_HOSTS:-public https hosts only} over http (WEBHOOK_INSECURE_HOSTS)"
echo "  logs:         .local/logs/api.log, .local/logs/worker.log, .local/stack/logs/"
curl -sS "$api/readyz" || true
echo
echo "Ctrl-C to stop."
wait -n "${pids[@]}"
