#!/bin/sh
# bench/chart.sh DIR - one bar chart (SVG and PNG) per suite and metric.
#
# Reads DIR/<suite>.dat written by the bench binary: a header row of subject
# names, then one row per "case metric" label with a value per subject.
# Rows are split by metric so that each chart has a single unit.
set -u
dir=${1:-build/bench}
command -v gnuplot >/dev/null 2>&1 || { echo "chart: gnuplot not found, no charts"; exit 0; }
for dat in "$dir"/*.dat; do
  [ -f "$dat" ] || continue
  suite=$(basename "$dat" .dat)
  case "$suite" in *.*) continue ;; esac
  # Metric = last word of the quoted label in column 1.
  metrics=$(awk -F'"' 'NR > 1 { n = split($2, w, " "); print w[n] }' "$dat" | sort -u)
  for m in $metrics; do
    out="$dir/$suite.$m"
    { head -n 1 "$dat"; awk -F'"' -v m="$m" 'NR > 1 { n = split($2, w, " "); if (w[n] == m) print }' "$dat"; } > "$out.dat"
    ncol=$(head -n 1 "$dat" | awk -F'"' '{ print (NF - 1) / 2 }')
    gnuplot 2>/dev/null <<GP || echo "chart: gnuplot failed for $out"
set terminal svg size 900,480 noenhanced
set output '$out.svg'
set title '$suite: $m'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set yrange [0:*]
set key outside right
set xtics rotate by -30
set datafile missing 'NaN'
plot for [i=2:$((ncol + 1))] '$out.dat' using i:xtic(1) title columnheader(i)
set terminal pngcairo size 900,480 noenhanced
set output '$out.png'
replot
GP
  done
done
