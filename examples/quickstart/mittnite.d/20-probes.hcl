# Wait until the directory the boot job prepares exists... (it exists: the
# boot job runs after probes, so we wait on the working directory itself).
probe "workdir" {
  wait       = true
  filesystem = "run"
}
