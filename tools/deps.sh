#!/bin/sh
# Install the Debian packages verdict needs, only when some are missing.
set -e
need=""
for p in liblua5.4-dev libcsv-dev libcmocka-dev pkg-config parallel valgrind; do
  dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
[ -z "$need" ] && exit 0
echo "make deps: installing$need"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need
