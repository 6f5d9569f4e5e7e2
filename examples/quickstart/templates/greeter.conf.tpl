# rendered by mittnite at {{ now | date "2006-01-02 15:04:05" }}
{{- range $i, $name := .Params.names }}
{{ $.Params.greeting }}, {{ $name | title }}!
{{- end }}
interval = {{ .Env.GREETER_INTERVAL | default "5" }}
