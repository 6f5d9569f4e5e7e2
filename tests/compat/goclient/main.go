// goclient talks to mittnite's control API the way the original Go
// mittnitectl does: net/http with a unix-socket dialer (requests go to
// http://unix/v1/...), POSTs with Content-Type application/json and no body,
// and gorilla/websocket with a unix-socket NetDial for the logs stream
// (ws://unix/v1/job/<job>/logs?taillen=N, plus follow=true when following).
//
// It is written for the test suite (tests/e2e/test_go_client.py) and prints
// what it got in a line format that is easy to parse; every string value is
// JSON-encoded:
//
//	status 200                    HTTP status code
//	content-type "application/json"
//	body "[\"web\"]"              complete response body
//	handshake 101                 logs: status of the WebSocket handshake
//	text "line1"                  logs: one text message
//	binary "..."                  logs: one binary message (not expected)
//	close 1000 "EOF"              logs: the close frame (code, reason)
//	error "..."                   transport or protocol error
//
// Usage:
//
//	goclient SOCKET list
//	goclient SOCKET status|start|stop|restart JOB
//	goclient SOCKET logs JOB TAILLEN FOLLOW      (FOLLOW: true or false)
//
// Exit status: 0 when the exchange completed (whatever the HTTP status, and
// for logs when the stream ended with a close), 1 on a transport error or a
// refused handshake, 2 on a usage error.
//
// Build (GOPATH mode, Debian's golang-github-gorilla-websocket-dev):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o goclient main.go
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/gorilla/websocket"
)

func quote(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func emit(kind string, values ...string) {
	line := kind
	for _, v := range values {
		line += " " + v
	}
	fmt.Fprintln(os.Stdout, line)
}

func fail(err error) {
	emit("error", quote(err.Error()))
	os.Exit(1)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: goclient SOCKET list|status JOB|start JOB|stop JOB|restart JOB|logs JOB TAILLEN FOLLOW")
	os.Exit(2)
}

func httpClient(socket string) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "unix", socket)
			},
		},
	}
}

func printResponse(resp *http.Response, err error) {
	if err != nil {
		fail(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fail(err)
	}
	emit("status", strconv.Itoa(resp.StatusCode))
	emit("content-type", quote(resp.Header.Get("Content-Type")))
	emit("body", quote(string(body)))
}

func logs(socket, job string, tailLen int, follow bool) {
	dialer := &websocket.Dialer{
		NetDial: func(_, _ string) (net.Conn, error) {
			return net.Dial("unix", socket)
		},
	}
	query := url.Values{}
	query.Add("taillen", strconv.Itoa(tailLen))
	if follow {
		query.Add("follow", "true")
	}
	target := url.URL{
		Scheme:   "ws",
		Host:     "unix",
		Path:     fmt.Sprintf("/v1/job/%s/logs", job),
		RawQuery: query.Encode(),
	}

	conn, resp, err := dialer.Dial(target.String(), nil)
	if err != nil {
		if resp != nil {
			emit("handshake", strconv.Itoa(resp.StatusCode))
			if body, readErr := io.ReadAll(resp.Body); readErr == nil {
				emit("body", quote(string(body)))
			}
		}
		fail(err)
	}
	defer conn.Close()
	emit("handshake", strconv.Itoa(resp.StatusCode))

	for {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			var closeErr *websocket.CloseError
			if errors.As(err, &closeErr) {
				emit("close", strconv.Itoa(closeErr.Code), quote(closeErr.Text))
				return
			}
			fail(err)
		}
		switch kind {
		case websocket.TextMessage:
			emit("text", quote(string(msg)))
		default:
			emit("binary", quote(string(msg)))
		}
	}
}

func main() {
	if len(os.Args) < 3 {
		usage()
	}
	socket, command, args := os.Args[1], os.Args[2], os.Args[3:]
	base := url.URL{Scheme: "http", Host: "unix"}

	switch command {
	case "list":
		if len(args) != 0 {
			usage()
		}
		base.Path = "/v1/jobs"
		printResponse(httpClient(socket).Get(base.String()))
	case "status":
		if len(args) != 1 {
			usage()
		}
		base.Path = fmt.Sprintf("/v1/job/%s/status", args[0])
		printResponse(httpClient(socket).Get(base.String()))
	case "start", "stop", "restart":
		if len(args) != 1 {
			usage()
		}
		base.Path = fmt.Sprintf("/v1/job/%s/%s", args[0], command)
		printResponse(httpClient(socket).Post(base.String(), "application/json", nil))
	case "logs":
		if len(args) != 3 {
			usage()
		}
		tailLen, err := strconv.Atoi(args[1])
		if err != nil {
			usage()
		}
		follow, err := strconv.ParseBool(args[2])
		if err != nil {
			usage()
		}
		logs(socket, args[0], tailLen, follow)
	default:
		usage()
	}
}
