# Two ways to let a job see its clients' real addresses (see README.md).

# Socket activation: mittnite binds 127.0.0.1:8080 and starts "app" on the first
# connection; app.py accepts on descriptor 3 itself. Stopped after a minute without
# connections, started again by the next one.
job "app" {
  command = "python3"
  args    = ["app.py"]
  lazy {
    coolDownTimeout = "1m"
  }
  listen "127.0.0.1:8080" {
    activate = true
  }
}

# PROXY protocol: mittnite accepts on 127.0.0.1:8090 and forwards to proxied.py,
# telling it first who the client is.
job "proxied" {
  command = "python3"
  args    = ["proxied.py", "127.0.0.1:8091"]
  listen "127.0.0.1:8090" {
    forward       = "127.0.0.1:8091"
    proxyProtocol = "v1"
  }
}
