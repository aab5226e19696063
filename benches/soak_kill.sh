#!/usr/bin/env bash
# Soak test of crash safety: ROUNDS times, change some files of a corpus, start `tracuu index`,
# kill -9 it at a random moment, check the index still answers, then let the next run complete.
# At the end the index must answer as a fresh build does (--count and --files for QUERIES).
# usage: benches/soak_kill.sh TRACUU CORPUS_DIR [ROUNDS=100]   (CORPUS_DIR is modified)
set -euo pipefail
bin=$1; corpus=$2; rounds=${3:-100}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
index=$work/index
"$bin" index "$corpus" --index "$index" -q
files=($(find "$corpus" -type f -name '*.txt' | sort))
queries=("Putin" "Tran Duc Luong" "Trần Đức Lương" '"Cam Ranh"' "Ngu*" "Hanoi -Moscow" "Viet*"
  "Kosygin OR Lavrov" "Soakword1" "Soakword50" "Soak*" "Nguyễn Ái Quốc" "Hồ Chí Minh" "submarines"
  '"pivot to the East"' "Sài Gòn" "Vietnam Russia" "Lavrof~1" "Шевард*" "source:part000* Putin")
bad=0
for ((r = 1; r <= rounds; r++)); do
  # Edit a few files, delete one, add one.
  for k in 1 2 3; do
    f=${files[$((RANDOM % ${#files[@]}))]}
    [ -f "$f" ] && printf '\nRound %d edit %d: Soakword%d Trần Đức Lương.\n' "$r" "$k" "$r" >> "$f"
  done
  victim=${files[$((RANDOM % ${#files[@]}))]}
  rm -f "$victim"
  printf 'Added in round %d: Soakword%d Nguyễn Ái Quốc.\n' "$r" "$r" > "$corpus/soak_$r.txt"
  "$bin" index "$corpus" --index "$index" -q & pid=$!
  sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  code=0; "$bin" search --index "$index" Putin > /dev/null 2>&1 || code=$?
  if [ "$code" -ne 0 ]; then echo "round $r: search after kill exited $code"; bad=$((bad + 1)); fi
  if ! "$bin" index "$corpus" --index "$index" -q; then echo "round $r: the next run failed"; bad=$((bad + 1)); fi
  files=($(find "$corpus" -type f -name '*.txt' | sort))
done
"$bin" index "$corpus" --index "$work/fresh" -q
for q in "${queries[@]}"; do
  a=$("$bin" search --index "$index" -c -- "$q" 2>/dev/null || true)
  b=$("$bin" search --index "$work/fresh" -c -- "$q" 2>/dev/null || true)
  fa=$("$bin" search --index "$index" -l -- "$q" 2>/dev/null | md5sum)
  fb=$("$bin" search --index "$work/fresh" -l -- "$q" 2>/dev/null | md5sum)
  if [ "$a" != "$b" ] || [ "$fa" != "$fb" ]; then echo "differs from a fresh build: $q ($a vs $b)"; bad=$((bad + 1)); fi
done
echo "rounds $rounds, problems $bad"
[ "$bad" -eq 0 ]
