# A supervised job that re-reads its config on SIGHUP (signal 1) when the
# rendered file changes. Edit run/greeter.conf while the demo runs.
job "greeter" {
  command      = "python3"
  args         = ["greeter.py", "run/greeter.conf"]
  controllable = true
  maxAttempts  = -1

  watch "run/greeter.conf" {
    signal = 1
  }
}

# Started only when the first connection arrives on :8080, stopped again
# after 30 seconds without connections.
job "web" {
  command      = "python3"
  args         = ["-m", "http.server", "8081", "--bind", "127.0.0.1", "--directory", "run/www"]
  controllable = true

  lazy {
    spinUpTimeout   = "5s"
    coolDownTimeout = "30s"
  }

  listen "127.0.0.1:8080" {
    forward = "127.0.0.1:8081"
  }
}
