#!/usr/bin/env bash
# Runs Debian's sqlmap against a throwaway local instance (loopback only) on the endpoints that take
# free text into SQL: student search and filters, the audit filters, the code-list name, the login
# form, and JSON bodies of student create / edit. Not part of `npm test` (it takes minutes);
# the result goes into docs/security.md.
#
#   bash bench/security/sqlmap.sh            # PGlite in a temp DATA_DIR
#   DATABASE_URL=postgres://… bash bench/security/sqlmap.sh   # an EMPTY PostgreSQL database
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v sqlmap >/dev/null || { echo "sqlmap is missing: apt-get install -y sqlmap" >&2; exit 2; }

PORT=${PORT:-3917}
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/ts-sqlmap-XXXX)
LEVEL=${LEVEL:-3}
RISK=${RISK:-2}
export DATA_DIR="$WORK/data" PORT HOST=127.0.0.1 LOG=0

node scripts/build.mjs >/dev/null
node dist/server/main.mjs serve ${DATABASE_URL:+--demo} >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$BASE/api/health" >/dev/null && break; sleep 1; done

login() {
  curl -s -c "$WORK/cookies" -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"${TRUONGSO_DEMO_PASSWORD:-TruongSo@2025}\"}" "$BASE/api/v1/auth/login" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);console.log(m.csrfToken+" "+m.grants[0].orgUnitId)})'
}
read -r CSRF SCHOOL < <(login hieutruong.demo)
SID=$(awk '$6=="ts_sid"{print $7}' "$WORK/cookies")
CLASS=$(curl -s -b "ts_sid=$SID" "$BASE/api/v1/schools/$SCHOOL/classes" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].id))')
STUDENT=$(curl -s -b "ts_sid=$SID" "$BASE/api/v1/schools/$SCHOOL/students?pageSize=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].id))')

COMMON=(--batch --level="$LEVEL" --risk="$RISK" --dbms=PostgreSQL --flush-session --output-dir="$WORK/out"
  --cookie="ts_sid=$SID" --headers="x-csrf-token: $CSRF" --timeout=10 --retries=1 --threads=2 --disable-coloring)
run() { # name, then sqlmap arguments for that target
  local name=$1 verdict
  shift
  echo "== $name"
  sqlmap "${COMMON[@]}" "$@" >"$WORK/$name.log" 2>&1 || true
  # sqlmap prints this line only when it found an injection point.
  if grep -q "identified the following injection point" "$WORK/$name.log"; then verdict=INJECTABLE; else verdict="not injectable"; fi
  local tried
  tried=$(grep -c "testing '" "$WORK/$name.log" || true)
  echo "$name: $verdict ($tried techniques tried; $(grep -oE "does not seem to be injectable|all tested parameters do not appear to be injectable" "$WORK/$name.log" | sort -u | paste -sd ';'))" | tee -a "$WORK/summary"
}
: >"$WORK/summary"
run student-search -u "$BASE/api/v1/schools/$SCHOOL/students?q=nguyen&ethnicityCode=01&statusCode=01&page=1" -p q,ethnicityCode,statusCode
run code-list -u "$BASE/api/v1/reference/code-lists/DM_DAN_TOC*"
run audit-filter -u "$BASE/api/v1/audit?unitId=$SCHOOL&entity=student" -p entity
run student-create -u "$BASE/api/v1/schools/$SCHOOL/students" \
  --data="{\"fullName\":\"Lò Văn Páo\",\"dateOfBirth\":\"2014-01-02\",\"sex\":\"male\",\"classId\":\"$CLASS\",\"address\":\"Thôn 3\",\"ethnicityCode\":\"01\"}" \
  -p fullName,address,ethnicityCode --ignore-code=400
run student-edit -u "$BASE/api/v1/schools/$SCHOOL/students/$STUDENT" --method=PATCH --data='{"birthplace":"Hà Nội","address":"Thôn 3"}' -p birthplace,address --ignore-code=400
# Last: a login request carrying our session cookie would (rightly) end that session.
run login -u "$BASE/api/v1/auth/login" --data='{"username":"hieutruong.demo","password":"x"}' -p username,password --ignore-code=401,423,429
echo "sqlmap $(sqlmap --version 2>/dev/null | tail -1), level $LEVEL, risk $RISK, $(date -u +%F), $(nproc) cores; logs in $WORK"
grep -q INJECTABLE "$WORK/summary" && exit 1 || exit 0
