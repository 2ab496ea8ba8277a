#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the app's .deb and checks it as a desktop would use it: what it holds, the desktop entry
# (desktop-file-validate) and AppStream metadata (appstreamcli validate), chatterbox: links
# resolving to the installed desktop entry (xdg-mime, in a scratch XDG home), lintian finding no
# error, and the packaged binary answering --help and --version without a display.
set -euo pipefail
build=$1
scratch=$(mktemp -d /tmp/chatterbox-app-package.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
(cd "$build" && cpack -G DEB -B "$scratch/out" >/dev/null)
deb=$(ls "$scratch"/out/chatterbox_*.deb)
contents=$(dpkg-deb -c "$deb")
expected=(./usr/bin/chatterbox ./usr/share/applications/org.chatterbox.Chatterbox.desktop
          ./usr/share/metainfo/org.chatterbox.Chatterbox.metainfo.xml
          ./usr/share/icons/hicolor/scalable/apps/chatterbox.svg
          ./usr/share/man/man1/chatterbox.1.gz ./usr/share/doc/chatterbox/copyright
          ./usr/share/doc/chatterbox/changelog.gz)
for size in 16 22 24 32 48 64 128 256 512; do
    expected+=("./usr/share/icons/hicolor/${size}x${size}/apps/chatterbox.png")
done
for path in "${expected[@]}"; do
    grep -q " $path\$" <<<"$contents" || { echo "missing from the package: $path"; exit 1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6widgets6 qt6-qpa-plugins fonts-noto-color-emoji; do
    grep -q "$lib" <<<"$depends" || { echo "Depends misses $lib: $depends"; exit 1; }
done

root=$scratch/root
dpkg-deb -x "$deb" "$root"
desktop-file-validate "$root/usr/share/applications/org.chatterbox.Chatterbox.desktop"
appstreamcli validate --no-net "$root/usr/share/metainfo/org.chatterbox.Chatterbox.metainfo.xml" >/dev/null
metainfo=$root/usr/share/metainfo/org.chatterbox.Chatterbox.metainfo.xml
for element in '<project_license>GPL-3.0-or-later</project_license>' '<url type="bugtracker">' '<screenshot type="default">' \
               '<launchable type="desktop-id">org.chatterbox.Chatterbox.desktop</launchable>'; do
    grep -qF "$element" "$metainfo" || { echo "the AppStream file lacks $element"; exit 1; }
done
"$(dirname "$0")/lintian-clean.sh" "$deb"
file "$root/usr/share/icons/hicolor/256x256/apps/chatterbox.png" 2>/dev/null | grep -q "256 x 256" \
    || python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); sys.exit(0 if struct.unpack('>II', d[16:24])==(256,256) else 1)" \
       "$root/usr/share/icons/hicolor/256x256/apps/chatterbox.png" \
    || { echo "the 256 px icon is not 256 x 256"; exit 1; }

# A desktop session that knows only this package: chatterbox: links go to its desktop entry.
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/home/.config XDG_DATA_HOME=$scratch/home/.local/share
export XDG_DATA_DIRS=$root/usr/share XDG_CONFIG_DIRS=$scratch/etc XDG_CURRENT_DESKTOP=
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
update-desktop-database "$root/usr/share/applications"
handler=$(xdg-mime query default x-scheme-handler/chatterbox)
[[ "$handler" == org.chatterbox.Chatterbox.desktop ]] \
    || { echo "chatterbox: links go to '$handler', not org.chatterbox.Chatterbox.desktop"; exit 1; }

# On a machine without a display (a server, over ssh) --help and --version still answer.
nodisplay=(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM)
version=$("${nodisplay[@]}" "$root/usr/bin/chatterbox" --version)
grep -q "^chatterbox [0-9]" <<<"$version" || { echo "the packaged app does not start: $version"; exit 1; }
help=$("${nodisplay[@]}" "$root/usr/bin/chatterbox" --help)
grep -q -- "--server <url>" <<<"$help" && grep -q -- "--minimized" <<<"$help" \
    || { echo "--help without a display did not list the options: $help"; exit 1; }
echo "app package: contents, desktop entry, AppStream, lintian, icons, chatterbox: handler and binary are right"
