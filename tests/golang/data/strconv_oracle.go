// Dev-only oracle for tests/golang/test_strconv.py: reads cases as JSON on stdin
// ([{"fn": "ParseInt", "s": "...", "base": 0, "bits": 64}]) and prints Go's answers
// ([{"value": "...", "error": "..." or null}]); float values are printed as their bits.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
)

type request struct {
	Fn   string `json:"fn"`
	S    string `json:"s"`
	Base int    `json:"base"`
	Bits int    `json:"bits"`
}

type answer struct {
	Value string  `json:"value"`
	Error *string `json:"error"`
}

func main() {
	var requests []request
	if err := json.NewDecoder(os.Stdin).Decode(&requests); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	answers := make([]answer, 0, len(requests))
	for _, r := range requests {
		var value string
		var err error
		switch r.Fn {
		case "ParseInt":
			var v int64
			v, err = strconv.ParseInt(r.S, r.Base, r.Bits)
			value = strconv.FormatInt(v, 10)
		case "ParseUint":
			var v uint64
			v, err = strconv.ParseUint(r.S, r.Base, r.Bits)
			value = strconv.FormatUint(v, 10)
		case "Atoi":
			var v int
			v, err = strconv.Atoi(r.S)
			value = strconv.Itoa(v)
		case "ParseFloat":
			var v float64
			v, err = strconv.ParseFloat(r.S, r.Bits)
			value = fmt.Sprintf("%016x", math.Float64bits(v))
		default:
			fmt.Fprintln(os.Stderr, "unknown function", r.Fn)
			os.Exit(2)
		}
		a := answer{Value: value}
		if err != nil {
			text := err.Error()
			a.Error = &text
		}
		answers = append(answers, a)
	}
	out := json.NewEncoder(os.Stdout)
	if err := out.Encode(answers); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
