#!/usr/bin/env bash
# Installs from Debian's packages, only when missing, what the app or the tests need:
#   scripts/system-deps.sh app    what the running app uses: LibreOffice Writer without its GUI (converts
#                                 .doc/.wps uploads to .docx headless), a CJK font and Chromium (the
#                                 briefing's charts are exported through it and embed the font)
#   scripts/system-deps.sh test   the above plus PostgreSQL (the storage tests' second backend);
#                                 Chromium also drives the browser tests
set -euo pipefail
profile="${1:-test}"
need=()
if [ "$profile" = test ]; then
    command -v pg_ctlcluster >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v fc-list >/dev/null 2>&1 || need+=(fontconfig)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing from Debian (first run only): ${need[*]}" >&2
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
