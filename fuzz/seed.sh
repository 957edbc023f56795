#!/usr/bin/env bash
# Seeds each fuzz target's corpus (fuzz/corpus/<target>/, git-ignored) from
# the vendor documents' payloads in tests/fixtures, plus a few bodies the
# fixtures lack (other servers' shapes). Safe to run again: files are
# named by content.
set -euo pipefail
cd "$(dirname "$0")"
fixtures=../tests/fixtures

seed() { # seed <target> <file>...
    local dir="corpus/$1"
    shift
    mkdir -p "$dir"
    local file
    for file in "$@"; do
        cp "$file" "$dir/$(sha1sum "$file" | cut -c1-16)"
    done
}

extra() { # extra <target> <body>
    local dir="corpus/$1" tmp
    mkdir -p "$dir"
    tmp=$(mktemp)
    printf '%s' "$2" >"$tmp"
    seed "$1" "$tmp"
    rm -f "$tmp"
}

# Success bodies of SDDC Manager operations (JSON and raw text).
seed decode_vcf_response "$fixtures"/vcf/*.response-2*
extra decode_vcf_response '{"accessToken":"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln","refreshToken":{"id":"5e6150d7-e85c-47e6-a6ae-3b00ef98478c"}}'
extra decode_vcf_response '"eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDB9.c2ln"'
extra decode_vcf_response '{"expireAt":"2023-10-02T16:18:42.681Z","expireIn":"1696263522","token":"t","scimUrl":"https://h/scim/v2"}'
extra decode_vcf_response '{"elements":null,"pageMetadata":{"totalElements":"1"}}'

# Unleash bodies, success and failure.
seed decode_unleash_response "$fixtures"/unleash/*
extra decode_unleash_response '{"enabled":true,"hasToken":false}'
extra decode_unleash_response '{"enabled":"yes","hasToken":0}'

# Every failure body, of either server, plus shapes other servers send.
seed decode_error_body "$fixtures"/*/*.response-[45]*
extra decode_error_body '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'
extra decode_error_body '{"timestamp":"2024-01-01T00:00:00Z","status":401,"error":"Unauthorized","path":"/v1/tokens"}'
extra decode_error_body '{"errorCode":"X","message":"m","label":"L","remediationUrl":"https://kb","notifications":[{"a":1}],"nestedErrors":[{"message":"n","nestedErrors":["s"]}]}'
extra decode_error_body 'Wed, 21 Oct 2015 07:28:00 GMT'

for dir in corpus/*/; do
    echo "$dir: $(find "$dir" -type f | wc -l) inputs"
done
