# app starts once db answers its health check and the one-time job migrate succeeded;
# db is restarted when its health check fails three times in a row; app tells mittnite
# itself when it is ready (sd_notify). `after`, `readiness` and `liveness` are ours: the
# original mittnite ignores them (HCL v1 drops unknown keys), so this file runs there
# too, only without the ordering and the checks.

job "db" {
  command = "python3"
  args    = ["db.py", "8091"]

  readiness {
    http     = "http://127.0.0.1:8091/health"   # 2xx/3xx = ready
    interval = "1s"
    timeout  = "1s"
  }

  liveness {
    http     = "http://127.0.0.1:8091/health"
    interval = "10s"
    failures = 3                                 # then db is restarted
  }
}

job "migrate" {
  command = "python3"
  args    = ["migrate.py", "http://127.0.0.1:8091/"]
  oneTime = true
  after   = ["db"]
}

job "app" {
  command      = "python3"
  args         = ["app.py"]
  controllable = true
  after        = ["db", "migrate"]

  readiness {
    notify = true          # app sends READY=1 and STATUS=... to $NOTIFY_SOCKET
  }
}
