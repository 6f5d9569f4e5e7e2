"""A one-time migration: needs the db, exits 0 when done.

With ``after = ["db"]`` the db is ready when this runs, so the first attempt succeeds.
Run by a mittnite without ordering (the original), it waits for the db itself, as
entrypoint scripts had to.
"""

import sys
import time
import urllib.error
import urllib.request

for attempt in range(30):
    try:
        with urllib.request.urlopen(sys.argv[1] + "health", timeout=5) as answer:
            print(f"migrate: db answered {answer.status}, applying migrations", flush=True)
            break
    except (urllib.error.URLError, OSError) as error:
        print(f"migrate: db not ready yet ({error}), attempt {attempt + 1}", flush=True)
        time.sleep(1)
else:
    sys.exit("migrate: gave up waiting for the db")
print("migrate: done", flush=True)
