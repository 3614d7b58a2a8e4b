#!/usr/bin/env python3
"""bench/apiload.py URL CLIENTS FILE...: POST each FILE to URL/api/check
(multipart, field "file") from CLIENTS threads on kept-alive connections;
prints the number of answers that were not 200 (0 when all were) and the
seconds from the first request to the last answer (Python's own start-up,
seconds on a slow machine, is not counted)."""
import http.client
import os
import socket
import sys
import threading
import time
import urllib.parse

url, clients, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
u = urllib.parse.urlsplit(url)
lock = threading.Lock()
bad = 0


def body(path):
    with open(path, "rb") as fp:
        data = fp.read()
    b = b"fzbench0123456789"
    return b, (b"--" + b + b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
               + os.path.basename(path).encode() + b"\"\r\n\r\n" + data
               + b"\r\n--" + b + b"--\r\n")


def run(mine):
    global bad
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    c.connect()
    # as browsers and curl do: http.client sends a large body apart from
    # its headers, and Nagle's algorithm would hold it for the delayed ACK
    c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for p in mine:
        b, data = body(p)
        c.request("POST", "/api/check", data,
                  {"Content-Type": "multipart/form-data; boundary=" + b.decode()})
        r = c.getresponse()
        r.read()
        if r.status != 200:
            with lock:
                bad += 1
    c.close()


th = [threading.Thread(target=run, args=(files[i::clients],)) for i in range(clients)]
t0 = time.monotonic()
for t in th:
    t.start()
for t in th:
    t.join()
print(bad, time.monotonic() - t0)
