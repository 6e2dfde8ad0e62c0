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
    # Outcome flags (a peer rejected or crashed) are in the tables, not charts.
    case "$m" in rejected|crashed|failed) continue ;; esac
    # Deep-nesting times and memory span decades: log scale.
    case "$m" in time|peak_rss) scale="set logscale y; set yrange [*:*]" ;; *) scale="set yrange [0:*]" ;; esac
    out="$dir/$suite.$m"
    { head -n 1 "$dat"; awk -F'"' -v m="$m" 'NR > 1 { n = split($2, w, " "); if (w[n] == m) print }' "$dat"; } > "$out.dat"
    ncol=$(head -n 1 "$dat" | awk -F'"' '{ print (NF - 1) / 2 }')
    # A difference of two timings can come out below zero (warm growth
    # overhead is within noise of 0): such a chart keeps its negative bars.
    if awk -F'"' 'NR > 1 { n = split($3, v, " "); for (i = 1; i <= n; i++) if (v[i] + 0 < 0) neg = 1 } END { exit !neg }' "$out.dat"; then
      scale="set yrange [*:*]; set xzeroaxis"
    fi
    gnuplot 2>/dev/null <<GP || echo "chart: gnuplot failed for $out"
set terminal svg size 900,480 noenhanced
set output '$out.svg'
set title '$suite: $m'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
$scale
# Eight more colours than gnuplot's default cycle, so 16 subjects differ.
set linetype 9 lc rgb '#8c564b'; set linetype 10 lc rgb '#e377c2'
set linetype 11 lc rgb '#7f7f7f'; set linetype 12 lc rgb '#bcbd22'
set linetype 13 lc rgb '#17becf'; set linetype 14 lc rgb '#1f3f7f'
set linetype 15 lc rgb '#ff7f0e'; set linetype 16 lc rgb '#2ca02c'
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
