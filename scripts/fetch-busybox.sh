#!/usr/bin/env bash
# Fetches Debian's static busybox for every architecture the tests publish, into a cache the tests read
# (testkit/busybox.ts): ~/.cache/multiarch-publish/busybox/<debian-arch>/busybox. Run by .ci/run; safe to run
# again (a cached architecture is not fetched twice). The system's apt is never touched: apt runs with a private
# configuration (its own sources list, lists, cache and architectures) pointing at this machine's Debian mirror.
set -euo pipefail

ARCHES=(amd64 arm64 armhf armel i386 ppc64el s390x riscv64)
# trixie: the first Debian release with riscv64.
SUITE=trixie
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
CACHE="${MULTIARCH_PUBLISH_CACHE:-$HOME/.cache/multiarch-publish}/busybox"
APT_DIR="$CACHE/apt"

missing=()
for arch in "${ARCHES[@]}"; do
  [ -x "$CACHE/$arch/busybox" ] || missing+=("$arch")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "busybox: cached for ${ARCHES[*]} in $CACHE"
  exit 0
fi

[ -r "$KEYRING" ] || { echo "fetch-busybox: $KEYRING is missing (apt-get install debian-archive-keyring)" >&2; exit 1; }

# This machine's Debian mirror, as its apt sources name it; Debian's redirector otherwise.
mirror=$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null \
  | grep -v -- '-security' | head -n 1 | tr -d ' ' || true)
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}

mkdir -p "$APT_DIR"/{state/lists/partial,cache/archives/partial,etc/sources.list.d,etc/preferences.d,etc/apt.conf.d,debs}
: >"$APT_DIR/state/status"
echo "deb [signed-by=$KEYRING] $mirror $SUITE main" >"$APT_DIR/etc/sources.list"
arch_list=$(IFS=,; echo "${missing[*]}")
apt_options=(
  -o "Dir::State=$APT_DIR/state" -o "Dir::State::status=$APT_DIR/state/status"
  -o "Dir::Cache=$APT_DIR/cache" -o "Dir::Etc=$APT_DIR/etc"
  -o "Dir::Etc::SourceList=$APT_DIR/etc/sources.list" -o "Dir::Etc::SourceParts=$APT_DIR/etc/sources.list.d"
  -o "Dir::Etc::Parts=$APT_DIR/etc/apt.conf.d" -o "Dir::Etc::Preferences=$APT_DIR/etc/preferences"
  -o "Dir::Etc::PreferencesParts=$APT_DIR/etc/preferences.d"
  -o "APT::Architecture=amd64" -o "APT::Architectures=$arch_list"
  -o "Acquire::Languages=none" -o "Debug::NoLocking=1"
  # The folders belong to whoever runs this, not to apt's sandbox user.
  -o "APT::Sandbox::User=$(id -un)"
)
echo "busybox: fetching busybox-static for ${missing[*]} from $mirror $SUITE"
apt-get -qq "${apt_options[@]}" update
for arch in "${missing[@]}"; do
  (cd "$APT_DIR/debs" && apt-get -qq "${apt_options[@]}" download "busybox-static:$arch")
  deb=$(ls "$APT_DIR/debs"/busybox-static_*_"$arch".deb | tail -n 1)
  rm -rf "$APT_DIR/unpacked"
  dpkg-deb -x "$deb" "$APT_DIR/unpacked"
  mkdir -p "$CACHE/$arch"
  cp "$APT_DIR/unpacked/bin/busybox" "$CACHE/$arch/busybox.partial" 2>/dev/null \
    || cp "$APT_DIR/unpacked/usr/bin/busybox" "$CACHE/$arch/busybox.partial"
  chmod 0755 "$CACHE/$arch/busybox.partial"
  mv "$CACHE/$arch/busybox.partial" "$CACHE/$arch/busybox"
  echo "busybox: $arch $(basename "$deb")"
done
rm -rf "$APT_DIR/unpacked" "$APT_DIR/state/lists"
