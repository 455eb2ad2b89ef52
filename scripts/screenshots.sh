#!/bin/bash
# Drives the demo counter under Xvfb (1366×768) with xdotool and takes the
# screenshots of docs/screenshots: make screenshots.
set -u
dir=${1:-docs/screenshots}
bin=${BIN:-bin/regie-caisse}
mkdir -p "$dir"
export LANG=fr_FR.UTF-8
# A free display number, so that two runs on one machine do not collide.
n=99
while [ -e /tmp/.X11-unix/X$n ] || [ -e /tmp/.X$n-lock ]; do n=$((n + 1)); done
Xvfb :$n -screen 0 1366x768x24 >/dev/null 2>&1 &
XPID=$!
sleep 1
export DISPLAY=:$n
"$bin" demo >/tmp/gui.log 2>&1 &
APID=$!
for i in $(seq 1 50); do xdotool search --name "Régie" >/dev/null 2>&1 && break; sleep 0.2; done
sleep 1.5
WID=$(xdotool search --name "Régie" | head -1)
xdotool windowmove $WID 0 0 windowsize $WID 1366 768
sleep 0.8
k() { xdotool key --delay 60 "$@"; sleep 0.35; }
ty() { xdotool type --delay 40 "$1"; sleep 0.35; }
shot() { sleep 0.8; import -window root "$dir/$1.png"; }
shot login
ty mdupont; k Return; ty 1234; k Return
sleep 0.5
k Return Return Return; ty 2; k Return; ty 2; k Return; ty 1
shot ouverture
for i in $(seq 1 10); do k Tab; done
k Return
sleep 0.5
ty lefe; k Return
k space Tab Tab space
k F1; ty 100
shot encaisser
k Return
shot recu
ty nguy; k Return; k space
k F2; ty 0004513; k Tab; ty "La Banque Postale"; k Tab; ty "Thomas Nguyen"; k Return
k F7
sleep 0.3
k F9
shot journal
k F10
# 243,60 € expected; 243,50 € counted: the 0,10 € shortfall to explain.
k Return; ty 1; k Return Return Return; ty 2; k Return Return Return; ty 1; k Return; ty 1; k Return; ty 1
shot cloture
kill $APID; kill $XPID
