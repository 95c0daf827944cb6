#!/usr/bin/env bash
# Times `treatyline build` on a site whose one article reports many events (default 10,000),
# to show that the cost of an article grows in proportion to its events. Each event is written
# in block style or, with STYLE=flow, in flow style (`- {country: FR, stage: signed, ...}`).
#
#     bash benches/many_events.sh            # 10,000 events
#     EVENTS=20000 bash benches/many_events.sh
#
# Uses the release binary (built first). Prints the wall time of one build, after one
# untimed warm-up. Everything is written under a temporary folder, removed at the end (kept,
# and named, with KEEP=1).

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

EVENTS=${EVENTS:-10000}
STYLE=${STYLE:-block}

cargo build --release --quiet --locked
bin=target/release/treatyline
work=$(mktemp -d)
trap 'if [ -n "${KEEP:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi' EXIT

# 100 parties, three stages each, across as many treaties as the count needs.
codes=(AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA
    CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA
    GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM
    KN KP KR KW KZ LA LB LC LI LK LR)
stages=(signed ratified in-force)
per_treaty=$((${#codes[@]} * ${#stages[@]}))
treaties=$(((EVENTS + per_treaty - 1) / per_treaty))

site=$work/site
mkdir -p "$site/content/treaties" "$site/content/articles"
printf 'title: Many events\nbase_url: https://example.org/\n' >"$site/site.yaml"
for ((t = 0; t < treaties; t++)); do
    printf -- '---\ntitle: Treaty %d\nestablished: 2000-01-01\n---\n' "$t" >"$site/content/treaties/t$t.md"
done
{
    printf -- '---\ntitle: Everything at once\ndate: 2020-01-01\ntreaty: t0\nsources:\n  - https://example.org/all\nevents:\n'
    n=0
    for ((t = 0; t < treaties && n < EVENTS; t++)); do
        for code in "${codes[@]}"; do
            for s in 0 1 2; do
                ((n < EVENTS)) || break
                day=$(printf '2001-%02d-%02d' $((s + 1)) $((t % 28 + 1)))
                if [ "$STYLE" = flow ]; then
                    printf '  - {treaty: t%d, country: %s, stage: %s, date: %s}\n' "$t" "$code" "${stages[$s]}" "$day"
                else
                    printf '  - treaty: t%d\n    country: %s\n    stage: %s\n    date: %s\n' "$t" "$code" "${stages[$s]}" "$day"
                fi
                n=$((n + 1))
            done
        done
    done
    printf -- '---\nAll of them.\n'
} >"$site/content/articles/2020-01-01-all.md"

"$bin" build --root "$site" --output "$work/out" >/dev/null 2>&1 || {
    "$bin" build --root "$site" --output "$work/out" 2>&1 | tail -20
    exit 1
}
printf '%d events (%s style) in one article, %d treaties: build in ' "$EVENTS" "$STYLE" "$treaties"
TIMEFORMAT='%R s'
{ time "$bin" build --root "$site" --output "$work/out" >/dev/null 2>&1; } 2>&1
