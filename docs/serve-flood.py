#!/usr/bin/env python3
"""Measures `notice-pdf serve` under many distinct pack requests (docs/serve-limits.md).

    python3 docs/serve-flood.py BINARY CLIENTS [serve options ...]

Builds a collection of 100 notices in a temporary directory (the test collection's six and
94 copies under new ids), starts BINARY serve on it, and sends CLIENTS requests at once, each
for /pack.pdf of a different half of the notices. Prints the answers' statuses, the most pack
renders /healthz saw running, the server's peak resident memory (VmHWM) and its resident memory
5 s after the burst."""
import json, os, random, re, shutil, subprocess, sys, tempfile, threading, time, urllib.request

binary, clients, extra = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
fixtures = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "exempelbanken")
data = tempfile.mkdtemp(prefix="serve-flood-")
for f in os.listdir(fixtures):
    shutil.copy(os.path.join(fixtures, f), data)
base = ["kundkannedom", "leverantorer", "marknadsforing", "rattigheter", "rik", "tjanster"]
ids = list(base)
for i in range(94):
    src = base[i % 6]
    text = open(os.path.join(data, f"{src}.toml")).read().replace(f'id = "{src}"', f'id = "{src}{i:02d}"', 1)
    open(os.path.join(data, f"{src}{i:02d}.toml"), "w").write(text)
    ids.append(f"{src}{i:02d}")
with open(os.path.join(data, "collection.toml"), "a") as c:
    c.write('\n[[groups]]\ntitle = "Fler"\nnotices = [' + ", ".join(f'"{i}"' for i in ids[6:]) + "]\n")

server = subprocess.Popen([binary, "serve", "--addr", "127.0.0.1:0", "--data", data] + extra,
                          stderr=subprocess.PIPE, text=True)
addr = None
while addr is None:
    m = re.search(r"http://([0-9.:]+)", server.stderr.readline())
    addr = m and m.group(1)
threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()


def mb(field):
    for line in open(f"/proc/{server.pid}/status"):
        if line.startswith(field):
            return int(line.split()[1]) // 1024


rng = random.Random(7)
selections = [sorted(rng.sample(ids, len(ids) // 2)) for _ in range(clients)]
codes, lock = {}, threading.Lock()


def one(sel):
    try:
        r = urllib.request.urlopen(f"http://{addr}/pack.pdf?ids={','.join(sel)}", timeout=300)
        r.read()
        code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    except Exception as e:  # a refused or reset connection
        code = type(e).__name__
    with lock:
        codes[code] = codes.get(code, 0) + 1


print("resident before:", mb("VmRSS"), "MB")
most, started = 0, time.time()
threads = [threading.Thread(target=one, args=(s,)) for s in selections]
for t in threads:
    t.start()
while any(t.is_alive() for t in threads):
    try:
        h = json.load(urllib.request.urlopen(f"http://{addr}/healthz", timeout=60))
        most = max(most, h["pack_renders"]["running"])
    except urllib.error.HTTPError:
        pass
    time.sleep(0.2)
print("answers:", codes, "in", round(time.time() - started, 1), "s; most renders at once:", most)
print("peak resident:", mb("VmHWM"), "MB; resident after the burst:", mb("VmRSS"), "MB")
time.sleep(5)
print("resident 5 s later:", mb("VmRSS"), "MB")
server.terminate()
server.wait()
shutil.rmtree(data)
