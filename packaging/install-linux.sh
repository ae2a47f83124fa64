#!/bin/sh
# Install this Briefing bundle on Linux, with its menu entry, icon and AppStream metainfo.
# (packaging/install-linux.sh in the source tree; install.sh in a built bundle.)
#
#   ./install.sh                        for you: ~/.local/lib/briefing-app, ~/.local/bin, ...
#   sudo ./install.sh --prefix /usr/local   for everyone
#   ./install.sh --uninstall [--prefix DIR]
#
# Nothing of your archive, settings or templates is touched: they live in your user data and
# config folders (README: "Where your data lives") and stay when Briefing is uninstalled.
set -eu

APP_ID=app.briefing.Briefing
prefix="${HOME}/.local"
action=install
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --uninstall) action=uninstall; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

bundle="$(cd "$(dirname "$0")" && pwd)"
target="$prefix/lib/briefing-app"
share="$prefix/share"

refresh_caches() {
    # A newer folder time makes desktops read the menu entries and icons again. No icon cache
    # is written: one in ~/.local/share/icons/hicolor would hide icons installed after it.
    touch "$share/applications" "$share/icons/hicolor" 2>/dev/null || true
}

remove_installed() {
    rm -f "$prefix/bin/briefing-app" "$prefix/bin/briefing-app-gui"
    rm -f "$share/applications/$APP_ID.desktop" "$share/metainfo/$APP_ID.metainfo.xml"
    rm -f "$share"/icons/hicolor/*/apps/"$APP_ID".png "$share"/icons/hicolor/*/apps/"$APP_ID".svg
    rm -rf "$target"
}

if [ "$action" = uninstall ]; then
    remove_installed
    refresh_caches
    echo "Briefing removed from $prefix (your archive and settings are kept)."
    exit 0
fi

if [ ! -x "$bundle/briefing-app-gui" ] || [ ! -d "$bundle/share" ]; then
    echo "install.sh: run the install.sh inside a built bundle (packaging/build.sh makes one)" >&2
    exit 1
fi

if [ "$bundle" != "$target" ]; then
    remove_installed
    mkdir -p "$prefix/lib"
    cp -R "$bundle" "$target"
fi
mkdir -p "$prefix/bin" "$share/applications" "$share/metainfo" "$share/icons"
ln -sf "$target/briefing-app" "$prefix/bin/briefing-app"
ln -sf "$target/briefing-app-gui" "$prefix/bin/briefing-app-gui"
# The menu entry names the program by its full path: ~/.local/bin is not on every PATH.
sed -e "s|^Exec=briefing-app-gui|Exec=$prefix/bin/briefing-app-gui|" \
    -e "s|^TryExec=briefing-app-gui|TryExec=$prefix/bin/briefing-app-gui|" \
    "$target/share/applications/$APP_ID.desktop" > "$share/applications/$APP_ID.desktop"
cp "$target/share/metainfo/$APP_ID.metainfo.xml" "$share/metainfo/"
cp -R "$target/share/icons/hicolor" "$share/icons/"
refresh_caches
echo "Briefing installed in $target; start it from the menu or with $prefix/bin/briefing-app."
