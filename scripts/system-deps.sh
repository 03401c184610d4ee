#!/usr/bin/env bash
# Installs what the tests need from Debian's packages, only when missing:
# PostgreSQL (storage tests), Chromium (browser tests, PNG export), a CJK font and LibreOffice
# Writer without its GUI (converts .doc/.wps uploads to .docx headless; nothing else of the suite).
set -euo pipefail
need=()
command -v pg_ctlcluster >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing from Debian: ${need[*]}" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
