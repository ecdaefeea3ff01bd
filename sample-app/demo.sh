#!/usr/bin/env bash
# Walks through retries, an outage, fast rejection, recovery and a circuit reset against a running sample-app.
# Start the app first (see README.md), and set SAMPLE_OPERATOR_PASSWORD to the password it was started with.
set -euo pipefail

base_url="${SAMPLE_URL:-http://127.0.0.1:8080}"
operator="${SAMPLE_OPERATOR_USERNAME:-operator}"
recovery_wait_seconds="${SAMPLE_RECOVERY_WAIT_SECONDS:-11}"

case "$base_url" in
    http://127.0.0.1:*|http://localhost:*|http://\[::1\]:*) ;;
    *)
        echo "SAMPLE_URL must point at this machine (http://127.0.0.1:PORT), but was $base_url" >&2
        exit 2
        ;;
esac

if [ -z "${SAMPLE_OPERATOR_PASSWORD:-}" ]; then
    echo "Set SAMPLE_OPERATOR_PASSWORD to the operator password the app was started with; step 9 resets a circuit." >&2
    exit 2
fi

if ! curl -sS -o /dev/null "$base_url/actuator/health"; then
    echo "No sample-app responds at $base_url; start it as README.md shows, then run this script again." >&2
    exit 1
fi

step() {
    printf '\n=== %s\n' "$1"
}

# Prints the request, then the response body and its status. Extra arguments go to curl.
call() {
    local method="$1" path="$2"
    shift 2
    printf '$ curl -X %s %s%s\n' "$method" "$path" "${shown_options:-}"
    curl -sS -X "$method" "$@" -w '\n  -> HTTP %{http_code}\n' "$base_url$path"
}

set_downstream() {
    printf '$ curl -X POST /downstream/control -d %s\n' "$1"
    curl -sS -X POST -H 'Content-Type: application/json' -d "$1" -o /dev/null -w '  -> HTTP %{http_code}\n' \
        "$base_url/downstream/control"
}

requests_seen() {
    call GET /downstream/requests
}

step "0. Start from a healthy downstream, closed circuits and a zeroed request counter"
set_downstream '{"fault":"none"}'
shown_options=" -u $operator:****" call POST /actuator/circuitbreakers -u "$operator:$SAMPLE_OPERATOR_PASSWORD"
call DELETE /downstream/requests

step "1. Two 503s with Retry-After: 1, then success: the programmatic call retries twice, 1 s apart"
set_downstream '{"fault":"status","status":503,"retryAfter":"1","times":2}'
call GET /api/ledger-programmatic/42
requests_seen

step "2. A connection reset in the middle of the response body, once: ECONNRESET, retried"
call DELETE /downstream/requests
set_downstream '{"fault":"disconnect","times":1}'
call GET /api/ledger-programmatic/42
requests_seen

step "3. A response slower than the client's 2 s read timeout (3 s latency, once): ETIMEDOUT, retried"
call DELETE /downstream/requests
set_downstream '{"fault":"none","latency":"3s","times":1}'
call GET /api/ledger-programmatic/42
requests_seen

step "4. Outage: every request gets 503; the three failed attempts of one @AuditRetryable call open /ledger:GET"
call DELETE /downstream/requests
set_downstream '{"fault":"status","status":503}'
call GET /api/ledger/1
requests_seen
call GET /actuator/circuitbreakers/ledger:GET

step "5. The open circuit rejects calls at once, and the downstream's request counter does not move"
call GET /api/ledger/1
call GET /api/ledger/2
call GET /api/ledger/3
requests_seen

step "6. The downstream recovers; after recovery-timeout one trial call goes through and closes the circuit"
set_downstream '{"fault":"none"}'
echo "(waiting ${recovery_wait_seconds} s for recovery-timeout: 10s)"
sleep "$recovery_wait_seconds"
call GET /api/ledger/1
requests_seen
call GET /actuator/circuitbreakers/ledger:GET

step "7. Connection refused: the downstream stops listening; three refused attempts open the circuit again"
set_downstream '{"fault":"down"}'
call GET /api/ledger/7
call GET /api/ledger/7
set_downstream '{"fault":"none"}'

step "8. Resetting the circuit needs the operator: without credentials 401, and the circuit stays OPEN"
call POST /actuator/circuitbreakers/ledger:GET
call GET /actuator/circuitbreakers/ledger:GET

step "9. With the operator's credentials the reset closes the circuit, and calls go through again"
shown_options=" -u $operator:****" call POST /actuator/circuitbreakers/ledger:GET \
    -u "$operator:$SAMPLE_OPERATOR_PASSWORD"
call GET /api/ledger/1
