# Rendered before anything starts: a config file for the "greeter" job.
file "run/greeter.conf" {
  from = "templates/greeter.conf.tpl"
  params = {
    greeting = "Hello"
    names    = ["mittnite", "containers", "you"]
  }
}
