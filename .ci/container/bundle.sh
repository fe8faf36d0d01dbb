#!/usr/bin/env bash
# Gathers the root filesystem of the notice-pdf image into DIR: the binary BIN, stripped, and
# the shared libraries it links (as `ldd` resolves them on this Debian host), a passwd and group
# file naming the user 10001, and the mount points /data, /output and /audit.
set -euo pipefail
bin="$1"; dir="$2"
rm -rf "$dir"
mkdir -p "$dir/usr/local/bin" "$dir/etc" "$dir/data" "$dir/output" "$dir/audit" "$dir/tmp"
cp "$bin" "$dir/usr/local/bin/notice-pdf"
strip "$dir/usr/local/bin/notice-pdf"
for lib in $(ldd "$bin" | grep -o '/[^ ]*' | sort -u); do
  mkdir -p "$dir$(dirname "$lib")"
  cp -L "$lib" "$dir$lib"
done
printf 'notice:x:10001:10001:notice-pdf:/nonexistent:/nonexistent\n' > "$dir/etc/passwd"
printf 'notice:x:10001:\n' > "$dir/etc/group"
