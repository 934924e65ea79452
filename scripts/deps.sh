#!/bin/sh
# Installs the Debian packages Respire needs to build, run and test, when missing.
set -eu
PKGS="gcc make pkg-config libc6-dev libmicrohttpd-dev libsqlite3-dev libsodium-dev libjansson-dev
libcmark-gfm-dev libcmark-gfm-extensions-dev libpq-dev libmagic-dev libmagic-mgc libcurl4-openssl-dev check
python3 ca-certificates"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || { echo "deps: run as root or install:$missing" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
