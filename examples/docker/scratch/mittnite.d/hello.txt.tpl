{{ .Params.greeting }}: {{ htpasswd "admin" "change me" }}
