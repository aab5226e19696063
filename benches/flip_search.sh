#!/usr/bin/env bash
# Searches on damaged copies of an index: ROUNDS copies, each with a few random bytes flipped in
# one random file; every search must exit 0, 1 or 2 with at most one line on stderr (never a
# panic 101 or an abort 134), and `tracuu check` must flag each copy whose segment data changed.
# usage: benches/flip_search.sh TRACUU INDEX_DIR [ROUNDS=1000]
set -euo pipefail
bin=$1; index=$2; rounds=${3:-1000}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
bad=0; flagged=0; damaged=0
queries=("Putin" "Tran Duc Luong" '"pivot to the East"' "Varshav*" "Shevardnaze~" "Путин" "Nguyễn Ái Quốc")
for ((r = 1; r <= rounds; r++)); do
  rm -rf "$work/c"; cp -r "$index" "$work/c"
  files=($(cd "$work/c" && ls | grep -v -e lock -e json))
  f=$work/c/${files[$((RANDOM % ${#files[@]}))]}
  size=$(stat -c %s "$f")
  python3 - "$f" "$size" <<'PY'
import random, sys
path, size = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
for _ in range(random.randint(1, 4)):
    i = random.randrange(size)
    data[i] ^= 1 << random.randrange(8)
open(path, "wb").write(data)
PY
  q=${queries[$((RANDOM % ${#queries[@]}))]}
  code=0; "$bin" search --index "$work/c" -- "$q" > /dev/null 2> "$work/err" || code=$?
  lines=$(wc -l < "$work/err")
  if [ "$code" -gt 2 ] || [ "$lines" -gt 1 ]; then echo "round $r: $q exit $code: $(head -c 300 "$work/err")"; bad=$((bad + 1)); fi
  damaged=$((damaged + 1))
  if ! "$bin" check --index "$work/c" > /dev/null 2>&1; then flagged=$((flagged + 1)); fi
done
echo "searches $rounds, bad exits $bad, check flagged $flagged of $damaged damaged copies"
[ "$bad" -eq 0 ]
