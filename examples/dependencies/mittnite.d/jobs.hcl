# app starts once db answers its health check and the one-time job migrate succeeded.
# Draft for issue 17: `readiness`, `liveness` and `after` are new keys. The original
# mittnite ignores them (HCL v1 drops unknown keys), so this file also runs there,
# without the ordering.

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
