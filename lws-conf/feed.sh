#!/usr/bin/env bash
# The demo's publisher: what a backend would do. Every second it publishes a
# random-walk price for a few symbols to the topics stock.<SYMBOL>, and now
# and then a line in the chat room "lobby", by HTTP POST to the plugin's
# publish endpoint (lws-conf/run.sh starts it once lwsws is up, and stops it).
#
#   lws-conf/feed.sh BASE_URL TOKEN_FILE     e.g. http://127.0.0.1:7681 run/publish-token
#
# Each publish is one curl call, the way any program can publish:
#   curl -H "Authorization: Bearer $TOKEN" -d '{"symbol":"AAPL","price":187.5}' \
#     BASE_URL/publish/stock.AAPL
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 BASE_URL TOKEN_FILE" >&2; exit 2; }
base=$1
token=$(head -n 1 "$2")
[ -n "$token" ] || { echo "feed: no token in $2" >&2; exit 1; }

symbols=(AAPL MSFT GOOG AMZN)
# Prices in cents, so that the walk is integer arithmetic.
cents=(18750 41520 13890 17830)

publish() { # TOPIC JSON
	curl -s -o /dev/null --max-time 2 -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' --data-binary "$2" "$base/publish/$1" || true
}
price_text() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }

publish room.lobby "{\"room\":\"lobby\",\"author\":\"feed\",\"text\":\"Hello! Prices of ${symbols[*]} move every second.\",\"at\":$(date +%s%3N)}"
second=0
while :; do
	now=$(date +%s%3N)
	for i in "${!symbols[@]}"; do
		# A step of -0.5% to +0.5%, never below one dollar.
		step=$((cents[i] * (RANDOM % 101 - 50) / 10000))
		cents[i]=$((cents[i] + step < 100 ? 100 : cents[i] + step))
		publish "stock.${symbols[i]}" \
			"{\"symbol\":\"${symbols[i]}\",\"price\":$(price_text "${cents[i]}"),\"at\":$now}"
	done
	second=$((second + 1))
	if [ $((second % 30)) -eq 0 ]; then
		i=$((RANDOM % ${#symbols[@]}))
		publish room.lobby "{\"room\":\"lobby\",\"author\":\"feed\",\"text\":\"${symbols[i]} is at $(price_text "${cents[i]}").\",\"at\":$now}"
	fi
	sleep 1
done
