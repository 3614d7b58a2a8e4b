#!/bin/bash
# serve: bad input gets a 4xx with a Chinese message and the server keeps
# serving: 413 before a large upload is read, 422 on a .doc (in the page
# and in the API), bad and truncated multipart, a 10,000-byte header, a
# body shorter than announced, unknown paths and methods.
. "$SRC/tests/serve/lib.bash"
serve_start --workers 2 --max-upload 1M
alive() { [ "$(curl -s -m 10 "$BASE/healthz")" = ok ] || fail "server stopped serving after $1"; }
# 413: refused from Content-Length, before the body is read
head -c 3000000 /dev/zero | tr '\0' 'a' > "$TMPDIR/big.txt"
out=$(curl -s -w '\n%{http_code}' -F "file=@$TMPDIR/big.txt" "$BASE/api/check")
[ "${out##*$'\n'}" = 413 ] || fail "large upload: ${out##*$'\n'}"
echo "$out" | grep -q '太大' || fail "413 message"
[ "$(status "$BASE/check" -F "file=@$TMPDIR/big.txt")" = 413 ] || fail "large upload to /check"
# 413 without Content-Length (chunked): stopped at the limit
[ "$(status "$BASE/api/check?name=a.txt" -H 'Transfer-Encoding: chunked' --data-binary "@$TMPDIR/big.txt")" = 413 ] || fail "chunked large upload"
alive 413
# 422: an old Word file, whatever its name
{ printf '\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1'; head -c 4000 /dev/zero; } > "$TMPDIR/old.doc"
cp "$TMPDIR/old.doc" "$TMPDIR/old.txt"
for f in old.doc old.txt; do
	out=$(curl -s -w '\n%{http_code}' -F "file=@$TMPDIR/$f" "$BASE/api/check")
	[ "${out##*$'\n'}" = 422 ] || fail ".doc as $f: ${out##*$'\n'}"
	echo "$out" | head -1 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert "另存为 .docx" in d["error"], d' || fail "422 message"
done
out=$(curl -s -w '\n%{http_code}' -F "file=@$TMPDIR/old.doc" "$BASE/check")
[ "${out##*$'\n'}" = 422 ] || fail ".doc to /check"
echo "$out" | grep -q '另存为 .docx' || fail ".doc page message"
alive 422
# bad multipart: no boundary; a body cut short of its closing boundary
[ "$(status "$BASE/api/check" -H 'Content-Type: multipart/form-data' --data-binary 'xx')" = 400 ] || fail "no boundary"
printf -- '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n一、主要举措' > "$TMPDIR/cut"
[ "$(status "$BASE/api/check" -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary "@$TMPDIR/cut")" = 400 ] || fail "truncated multipart"
[ "$(status "$BASE/check" -H 'Content-Type: multipart/form-data; boundary=XyZ' --data-binary "@$TMPDIR/cut")" = 400 ] || fail "truncated multipart page"
[ "$(status "$BASE/api/check" -F "other=@${SEEDS[0]}")" = 400 ] || fail "no file field"
[ "$(status "$BASE/check" --data 'a=b')" = 400 ] || fail "form not multipart"
alive "bad multipart"
# a 10,000-byte header
long=$(head -c 10000 /dev/zero | tr '\0' 'x')
code=$(status "$BASE/" -H "X-Junk: $long")
[[ $code == 4* ]] || fail "10,000-byte header: $code"
alive "long header"
# a body shorter than its Content-Length, then the client goes away
python3 - "${BASE#http://}" <<'PY'
import socket, sys
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)), timeout=10)
s.sendall(b"POST /api/check?name=a.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + b"a" * 100)
s.shutdown(socket.SHUT_WR)
try:
    s.recv(1000)
except OSError:
    pass
s.close()
# and a request line that is not HTTP at all
s = socket.create_connection((host, int(port)), timeout=10)
s.sendall(b"\x16\x03\x01 garbage\r\n\r\n")
r = s.recv(1000)
assert not r or r.startswith(b"HTTP/1.1 4"), r
s.close()
PY
alive "short body"
# unknown paths and methods
[ "$(status "$BASE/etc/passwd")" = 404 ] || fail "unknown path"
[ "$(status "$BASE/static/../../etc/passwd" --path-as-is)" = 404 ] || fail "dot-dot path"
[ "$(status "$BASE/" -X DELETE)" = 405 ] || fail "DELETE"
[ "$(status "$BASE/api/check")" = 405 ] || fail "GET /api/check"
curl -s "$BASE/nothing/here" -H 'Accept: application/json' | grep -q '找不到' || fail "404 message"
curl -s "$BASE/api/nothing" | python3 -c 'import json,sys; assert json.load(sys.stdin)["status"]==404' || fail "API 404 is JSON"
alive "unknown paths"
exit 0
