#!/usr/bin/env bash
# Starts MinIO, Consul and Nomad dev agents on loopback for trying cluster
# mode by hand, prints the variables to export, and stops everything on
# Ctrl-C. Binaries come from bin/ (make tools builds them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/bin
dir=$(mktemp -d /tmp/drover-dev-XXXXXX)
export CHECKPOINT_DISABLE=1
pids=()
cleanup() {
  echo; echo "stopping dev cluster"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

wait_for() { # url, name
  for _ in $(seq 1 120); do
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "$2 did not become ready; log: $dir/$2.log" >&2
  exit 1
}

access=drover
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
MINIO_ROOT_USER=$access MINIO_ROOT_PASSWORD=$secret MINIO_BROWSER=off MINIO_UPDATE=off \
  "$bin/minio" server "$dir/minio" --address 127.0.0.1:9000 --console-address 127.0.0.1:9001 --quiet >"$dir/minio.log" 2>&1 &
pids+=($!)
"$bin/consul" agent -dev -bind 127.0.0.1 -client 127.0.0.1 -data-dir "$dir/consul" >"$dir/consul.log" 2>&1 &
pids+=($!)
cat >"$dir/nomad.hcl" <<HCL
disable_update_check = true
client {
  options = { "fingerprint.denylist" = "env_aws,env_gce,env_azure,env_digitalocean" }
}
plugin "raw_exec" {
  config { enabled = true }
}
consul { address = "127.0.0.1:8500" }
HCL
"$bin/nomad" agent -dev -bind 127.0.0.1 -data-dir "$dir/nomad" -config "$dir/nomad.hcl" >"$dir/nomad.log" 2>&1 &
pids+=($!)

wait_for http://127.0.0.1:9000/minio/health/live minio
wait_for http://127.0.0.1:8500/v1/status/leader consul
wait_for http://127.0.0.1:4646/v1/status/leader nomad

# Buckets for data, output and shuffle files (curl signs with SigV4).
for b in data out drover; do
  curl -fsS --aws-sigv4 "aws:amz:us-east-1:s3" --user "$access:$secret" -X PUT "http://127.0.0.1:9000/$b" >/dev/null
done

umask 077
cat >"$dir/env.sh" <<ENV
export NOMAD_ADDR=http://127.0.0.1:4646
export CONSUL_HTTP_ADDR=127.0.0.1:8500
export AWS_ENDPOINT_URL_S3=http://127.0.0.1:9000
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=$access
export AWS_SECRET_ACCESS_KEY=$secret
export DROVER_SHUFFLE_DIR=s3://drover/shuffle
ENV

cat <<MSG

Dev cluster is up: Nomad http://127.0.0.1:4646, Consul 127.0.0.1:8500,
MinIO http://127.0.0.1:9000 (logs in $dir). In another shell:

  source $dir/env.sh      # the variables above, credentials included (file mode 0600)

Buckets data, out and drover (shuffle files) exist. Then, for example:

  bin/drover submit jobs/daily_revenue.hcl --executors 3

Ctrl-C stops the cluster and removes $dir.
MSG
wait
