# The scratch image's example: render a file, then run mittnite itself as a job
# (an image built FROM scratch has no other program to run).
file "/etc/hello.txt" {
  from = "/etc/mittnite.d/hello.txt.tpl"
  params = {
    greeting = "Hello from an empty image"
  }
}

job "hello" {
  command = "/usr/bin/mittnite"
  args    = ["validate", "-c", "/etc/mittnite.d"]
  oneTime = true
}
