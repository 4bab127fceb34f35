#!/bin/sh
# Makes the demo playlist's audio with sox: two soft tones a phase (one an ear), swelling
# slowly, lower as the session winds down. No one else's music is committed.
# Usage: make-demo-audio.sh FOLDER   (files already there are kept)
set -e
folder=${1:-"$(dirname "$0")/demo"}
mkdir -p "$folder"
for spec in baseline:220:330 onset:196:294 peak:174.6:262 recovery:164.8:247 discharge:146.8:220; do
	name=${spec%%:*}; rest=${spec#*:}; low=${rest%%:*}; high=${rest#*:}
	[ -f "$folder/$name.flac" ] && continue
	sox -n -r 48000 -b 16 -c 2 "$folder/$name.flac.part.flac" synth 60 sine "$low" sine "$high" tremolo 0.08 40 fade 2 60 2 vol 0.2
	mv "$folder/$name.flac.part.flac" "$folder/$name.flac"
done
