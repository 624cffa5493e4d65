#!/bin/sh
# Writes the upstream block from SHOPD_UPSTREAMS ("host:port host:port ...") and the listen
# directive from SHOPD_LB_PORT (default 8080), then runs nginx in the foreground.
set -eu
: "${SHOPD_UPSTREAMS:=shopd:8080}"
: "${SHOPD_MAX_FAILS:=1}"
: "${SHOPD_FAIL_TIMEOUT:=5s}"
: "${SHOPD_LB_PORT:=8080}"
mkdir -p /tmp/nginx
servers=""
for s in $SHOPD_UPSTREAMS; do
  servers="$servers    server $s max_fails=$SHOPD_MAX_FAILS fail_timeout=$SHOPD_FAIL_TIMEOUT;
"
done
awk -v s="$servers" '{ if ($0 == "@SERVERS@") printf "%s", s; else print }' \
  /etc/nginx/upstream.conf.in > /tmp/nginx/upstream.conf
echo "listen $SHOPD_LB_PORT;" > /tmp/nginx/listen.conf
echo "nginx: port $SHOPD_LB_PORT, upstreams $SHOPD_UPSTREAMS" >&2
exec nginx -c /etc/nginx/nginx.conf -g 'daemon off;' "$@"
