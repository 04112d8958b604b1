#!/usr/bin/env bash
# Install what `make bench` measures with (wrk for the load test) from Debian, like .ci/run does
# for the tests; fail loudly when it cannot, so a load test is never silently skipped.
set -euo pipefail
case " $* " in *" --no-load "*) exit 0 ;; esac
command -v wrk >/dev/null 2>&1 && exit 0
if [ "$EUID" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "wrk belum terpasang; memasang dengan apt-get ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk \
    && command -v wrk >/dev/null 2>&1; then
    exit 0
  fi
fi
echo "GAGAL: wrk tidak terpasang dan tidak bisa dipasang otomatis; uji beban make bench" \
  "membutuhkannya. Pasang: sudo apt-get install wrk (atau make bench ARGS=--no-load)." >&2
exit 1
