// Dev-only oracle for tests/golang/test_gotime_parse.py (see gen_gotime_parse.py): reads
// cases as JSON on stdin ([{"layout", "value", "zone"}], zone null for time.Parse, else
// "UTC", "fixed:NAME:OFFSET" or an IANA name for time.ParseInLocation) and prints Go's
// answer for each: the parsed instant and zone, or the error text.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

type request struct {
	Layout string  `json:"layout"`
	Value  string  `json:"value"`
	Zone   *string `json:"zone"`
}

type answer struct {
	Layout   string  `json:"layout"`
	Value    string  `json:"value"`
	Zone     *string `json:"zone"`
	Error    *string `json:"error,omitempty"`
	Loc      *string `json:"loc,omitempty"`
	Nsec     *int    `json:"nsec,omitempty"`
	Offset   *int    `json:"offset,omitempty"`
	Sec      *int64  `json:"sec,omitempty"`
	String   *string `json:"string,omitempty"`
	ZoneName *string `json:"zone_name,omitempty"`
}

func location(spec string) *time.Location {
	if spec == "UTC" {
		return time.UTC
	}
	if strings.HasPrefix(spec, "fixed:") {
		parts := strings.SplitN(spec, ":", 3)
		offset, _ := strconv.Atoi(parts[2])
		return time.FixedZone(parts[1], offset)
	}
	loc, err := time.LoadLocation(spec)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	return loc
}

func main() {
	var requests []request
	if err := json.NewDecoder(os.Stdin).Decode(&requests); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	answers := make([]answer, 0, len(requests))
	for _, r := range requests {
		var t time.Time
		var err error
		if r.Zone == nil {
			t, err = time.Parse(r.Layout, r.Value)
		} else {
			t, err = time.ParseInLocation(r.Layout, r.Value, location(*r.Zone))
		}
		a := answer{Layout: r.Layout, Value: r.Value, Zone: r.Zone}
		if err != nil {
			text := err.Error()
			a.Error = &text
		} else {
			loc, text := t.Location().String(), t.String()
			nsec, sec := t.Nanosecond(), t.Unix()
			name, offset := t.Zone()
			a.Loc, a.String, a.Nsec, a.Sec, a.ZoneName, a.Offset = &loc, &text, &nsec, &sec, &name, &offset
		}
		answers = append(answers, a)
	}
	if err := json.NewEncoder(os.Stdout).Encode(answers); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
