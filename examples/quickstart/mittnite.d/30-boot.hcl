# Runs to completion before any job starts.
boot "prepare" {
  command = "/bin/sh"
  args    = ["-c", "mkdir -p run/www && echo '<h1>served lazily by mittnite</h1>' > run/www/index.html && echo boot job done"]
  timeout = "10s"
}
