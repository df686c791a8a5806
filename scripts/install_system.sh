#!/usr/bin/env bash
# Installs missing Debian packages that setup or the tests need (needs root), e.g.
#   scripts/install_system.sh npm            (npm fetches Leaflet from the npm registry)
#   scripts/install_system.sh chromium postgresql
#     (chromium runs the end-to-end tests; the ledger tests start their own PostgreSQL server
#      from the postgresql package's binaries, so no system-wide server is needed)
#   scripts/install_system.sh weasyprint
#     (the libraries WeasyPrint, the council report's PDF renderer from PyPI, loads: Pango >= 1.44
#      with HarfBuzz subsetting, and the DejaVu fonts; Debian 12 has Pango 1.50. Debian's own
#      weasyprint package (57.2) is not used: it has no PDF/UA output)
set -euo pipefail
missing=()
for package in "$@"; do
  case "$package" in
    chromium) [ -x /usr/bin/chromium ] || command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
    postgresql) compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql) ;;
    weasyprint)
      for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
        dpkg-query -W -f='${Status}' "$lib" 2>/dev/null | grep -q "ok installed" || missing+=("$lib")
      done ;;
    *) command -v "$package" >/dev/null 2>&1 || missing+=("$package") ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Ontbreekt: ${missing[*]}. Installeer met: sudo apt-get install -y ${missing[*]}" >&2
  echo "(zonder Chromium worden de end-to-end-tests overgeslagen, behalve in CI)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
# Debian starts a cluster when postgresql is installed; the tests do not use it.
if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v service >/dev/null 2>&1; then
  service postgresql stop >/dev/null 2>&1 || true
fi
echo "Geïnstalleerd: ${missing[*]}"
