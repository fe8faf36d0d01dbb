#!/usr/bin/env bash
# Installs what the `oracles` tier needs on a Debian machine (as root, or through sudo): what
# `bash tests/run-all.sh` does before it runs the tests; `.ci/run` starts it early, beside the
# build. Quick when everything is there already.
#   poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm, pdfsig), qpdf, pyHanko (pip), softhsm2,
#   NSS's certutil (pdfsig's trust store), MuPDF (mutool), Java + JAXB and veraPDF (from
#   ../shared/tools/verapdf), Chromium + chromedriver (the real-browser test), promtool (Debian's
#   prometheus: checks /metrics), podman + runc (builds and runs the container image).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo -E "$@"
  else echo "install: need root or sudo to install: $*" >&2; exit 1
  fi
}

missing=""
need() { command -v "$1" >/dev/null || missing="$missing $2"; }
need pdftotext poppler-utils
need qpdf qpdf
need softhsm2-util softhsm2
need certutil libnss3-tools
need mutool mupdf-tools
need javac openjdk-17-jdk-headless
need chromium chromium
need chromedriver chromium-driver
need unzip unzip
need npm npm
need promtool prometheus
need podman podman
need runc runc
python3 -m pip --version >/dev/null 2>&1 || missing="$missing python3-pip"
[ -f /usr/share/java/jaxb-runtime.jar ] || missing="$missing libjaxb-java"
if [ -n "$missing" ]; then
  echo "install: [${SECONDS} s] installing$missing"
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

verapdf_tools="${NOTICE_PDF_SHARED:-../shared}/tools/verapdf"
echo "install: [${SECONDS} s] installing veraPDF"
bash "$verapdf_tools/install.sh"

echo "install: [${SECONDS} s] installing axe-core (npm) into target/axe"
[ -f target/axe/node_modules/axe-core/axe.min.js ] ||
  npm install --silent --no-audit --no-fund --prefix target/axe axe-core@4.10.3 >/dev/null

echo "install: [${SECONDS} s] installing pyHanko (pip), the seal's independent PAdES validator"
if ! command -v pyhanko >/dev/null; then
  # Debian marks its Python as externally managed (PEP 668); the oracle goes beside it.
  python3 -m pip install --quiet --break-system-packages 'pyHanko==0.29.0' 'pyhanko-cli==0.1.1' 2>/dev/null ||
    python3 -m pip install --quiet 'pyHanko==0.29.0' 'pyhanko-cli==0.1.1'
fi

echo "install: [${SECONDS} s] done"
