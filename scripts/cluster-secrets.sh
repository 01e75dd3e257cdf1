#!/usr/bin/env bash
# Makes the secrets a hardened Drover cluster needs, once per cluster, in a
# directory only its owner can read; the Terraform roots (terraform/local-docker,
# terraform/aws) read them through their secrets_dir variable.
#
#   scripts/cluster-secrets.sh DIR [DATACENTER] [REGION]    # default dc1 global
#
# It writes (mode 0600, DIR mode 0700):
#   ca.pem, ca-key.pem                     the cluster's CA (the key never leaves DIR)
#   consul-server.pem/-key.pem             server.<dc>.consul (Consul servers' RPC and HTTPS)
#   consul-client.pem/-key.pem             client.<dc>.consul (Consul client agents)
#   nomad-server.pem/-key.pem              server.<region>.nomad
#   nomad-client.pem/-key.pem              client.<region>.nomad
#   consul-gossip.key, nomad-gossip.key    gossip encryption keys
#   nomad-bootstrap.token                  Nomad's ACL bootstrap (management) token
#   consul-management.token                Consul's initial management token
#   consul-agent.token                     Consul agents' token (node registration)
#   nomad-consul.token                     Nomad agents' Consul token (service registration)
#   drover-consul.token                    Drover drivers' Consul token (service read)
# Nothing is overwritten: a second run with the same DIR keeps what exists,
# so a cluster's secrets do not change under it. Needs consul and nomad
# (CONSUL and NOMAD override the binaries).
set -euo pipefail
dir=${1:?usage: cluster-secrets.sh DIR [DATACENTER] [REGION]}
dc=${2:-dc1}
region=${3:-global}
consul=$(command -v "${CONSUL:-consul}") || { echo "cluster-secrets: consul not found (set CONSUL)" >&2; exit 1; }
nomad=$(command -v "${NOMAD:-nomad}") || { echo "cluster-secrets: nomad not found (set NOMAD)" >&2; exit 1; }
consul=$(realpath "$consul")
nomad=$(realpath "$nomad")
export CHECKPOINT_DISABLE=1
umask 077
mkdir -p "$dir"
chmod 0700 "$dir"
cd "$dir"

uuid() { cat /proc/sys/kernel/random/uuid; }
secret() { # secret FILE COMMAND...: writes the command's output to FILE unless it exists
  local f=$1
  shift
  [ -s "$f" ] && return 0
  "$@" >"$f.tmp" && mv -f "$f.tmp" "$f"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -s ca.pem ]; then
  (cd "$work" && "$consul" tls ca create -days 3650 -domain consul >/dev/null)
  mv "$work/consul-agent-ca.pem" ca.pem
  mv "$work/consul-agent-ca-key.pem" ca-key.pem
fi
cert() { # cert NAME TOOL ARGS...: a certificate signed by the CA, unless NAME.pem exists
  local name=$1 tool=$2
  shift 2
  [ -s "$name.pem" ] && return 0
  rm -rf "${work:?}"/*
  (cd "$work" && "$tool" tls cert create -ca "$dir/ca.pem" -key "$dir/ca-key.pem" -days 3650 "$@" >/dev/null 2>&1)
  mv "$(ls "$work"/*.pem | grep -v -- '-key.pem$')" "$name.pem"
  mv "$(ls "$work"/*-key.pem)" "$name-key.pem"
}
dir=$(pwd)
cert consul-server "$consul" -server -dc "$dc" -domain consul
cert consul-client "$consul" -client -dc "$dc" -domain consul
cert nomad-server "$nomad" -server -region "$region"
cert nomad-client "$nomad" -client -region "$region"

secret consul-gossip.key "$consul" keygen
secret nomad-gossip.key "$nomad" operator gossip keyring generate
for t in nomad-bootstrap consul-management consul-agent nomad-consul drover-consul; do
  secret "$t.token" uuid
done
chmod 0600 ./*
echo "cluster-secrets: $dir (datacenter $dc, region $region)"
