// Generates the conformance data for tests/watch/test_goglob.py with Go's own
// path/filepath (Go 1.19):
//
//	go run goglob_gen.go > goglob_match.json   (compacted to one row per line)
//	go run goglob_gen.go /tmp/tree > goglob_glob.json
//
// Names and patterns that are not valid UTF-8 are stored hex-encoded.
package main

import (
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"unicode/utf8"
)

func enc(s string) map[string]string {
	if utf8.ValidString(s) {
		return map[string]string{"s": s}
	}
	return map[string]string{"hex": hex.EncodeToString([]byte(s))}
}

func row(p string, names []string) string {
	out := make([]byte, len(names))
	for i, n := range names {
		ok, err := filepath.Match(p, n)
		switch {
		case err != nil:
			out[i] = 'E'
		case ok:
			out[i] = 'T'
		default:
			out[i] = 'F'
		}
	}
	return string(out)
}

func main() {
	patterns := []string{
		"", "*", "**", "?", "??", "a", "abc", "a*", "*c", "a*c", "a*b*c", "*a*", "a?c", "a??",
		"*.conf", ".*", "*.*", "a/b", "a/*", "*/b", "a/*/c", "*/*", "a*/b", "a/b*", "*b/c",
		"[abc]", "[a-c]", "[^a-c]", "[a-c]*", "*[0-9]", "[]", "[]a]", "[^]", "[a-]", "[-a]", "[a-b-c]",
		"[z-a]", "[\\]]", "[\\-]", "[a\\-c]", "[\\^]", "[^\\]]", "[a", "[a-", "[a-b", "[\\", "\\", "a\\",
		"\\*", "\\?", "\\[", "\\a", "a\\*b", "\\\\", "[*]", "[?]", "a[*]b", "[/]", "a[/]c", "a?b", "?/?",
		"*x", "x*", "*x*", "[!a]", "[^/]", "[[]", "[[-]]", "a]b", "]", "-", "^", "[α-ω]", "αβ*", "?β",
		"[^α]", "*/", "/*", "/", "//", "a//b", "a*/", "*?", "?*", "*?*", "a[", "*[", "*a[", "a*[",
		"[a]*[", "a*[b", "[a-z]*.conf", "..data", "..*", "?data", "[.]data", "*\\", "**a**",
		"[\xff]", "\xff*", "[\xef\xbf\xbd]", "?", "[^\xef\xbf\xbd]", "a[\\", "[a\\]", "[a\\]]",
		"*b*b*b*b", "a*a*a*a*b", "x[", "[x", "a*b?c*d", "\\-", "[a--]", "[--a]", "[!-#]", "[\\--\\]]",
	}
	names := []string{
		"", "a", "b", "c", "ab", "abc", "abd", "axc", "abbc", "aaaab", "aaaaa", "x", "xy",
		"a.conf", ".conf", ".hidden", "a/b", "a/c", "ab/c", "a/b/c", "a/bc", "/", "a/", "/a",
		"*", "?", "[", "]", "\\", "-", "^", "a*b", "a]b", "α", "β", "αβγ", "ωβ", "..data", ".data",
		"xdata", "a//b", "\xff", "\xef\xbf\xbd", "z", "5", "a5", "bbbbb", "abcbbbbd", "abxbc", "a-c",
		"abxcyd", "abcd", "#", "!",
	}
	var rows []map[string]interface{}
	var nameOut []map[string]string
	for _, n := range names {
		nameOut = append(nameOut, enc(n))
	}
	for _, p := range patterns {
		r := enc(p)
		rows = append(rows, map[string]interface{}{"pattern": r, "results": row(p, names)})
	}

	// Random section: patterns and names over a small alphabet, fixed seed.
	rnd := rand.New(rand.NewSource(19))
	palpha := []string{"a", "b", "*", "?", "[", "]", "^", "-", "\\", "/", ".", "é", "\xff"}
	nalpha := []string{"a", "b", "/", ".", "-", "]", "[", "*", "é", "\xff", "^"}
	var rnames []string
	for i := 0; i < 60; i++ {
		n := ""
		l := rnd.Intn(6)
		for j := 0; j < l; j++ {
			n += nalpha[rnd.Intn(len(nalpha))]
		}
		rnames = append(rnames, n)
	}
	var rrows []map[string]interface{}
	for i := 0; i < 1500; i++ {
		p := ""
		l := rnd.Intn(8)
		for j := 0; j < l; j++ {
			p += palpha[rnd.Intn(len(palpha))]
		}
		rrows = append(rrows, map[string]interface{}{"pattern": enc(p), "results": row(p, rnames)})
	}
	var rnameOut []map[string]string
	for _, n := range rnames {
		rnameOut = append(rnameOut, enc(n))
	}
	out := map[string]interface{}{
		"generator": "go1.19 path/filepath.Match; T=match F=no match E=ErrBadPattern",
		"table":     map[string]interface{}{"names": nameOut, "rows": rows},
		"random":    map[string]interface{}{"names": rnameOut, "rows": rrows},
	}
	if len(os.Args) > 1 {
		globData(os.Args[1])
		return
	}
	e := json.NewEncoder(os.Stdout)
	e.SetEscapeHTML(false)
	e.SetIndent("", " ")
	e.Encode(out)
}

func globData(root string) {
	tree := []string{
		"etc/", "etc/app.conf", "etc/b.conf", "etc/.hidden.conf", "etc/notes.txt",
		"etc/conf.d/", "etc/conf.d/01-a.conf", "etc/conf.d/02-b.conf", "etc/conf.d/x.yaml",
		"etc/svc1/", "etc/svc1/conf.d/", "etc/svc1/conf.d/main.conf", "etc/svc2/", "etc/svc2/other",
		"etc/file-not-dir", "cm/", "cm/..2024_01_01/", "cm/..2024_01_01/key.conf",
		"cm/..data->..2024_01_01", "cm/key.conf->..data/key.conf", "dangling->nowhere",
		"weird[/", "weird[/x", "star*/", "star*/s", "q?", "sp ace/", "sp ace/f",
	}
	os.MkdirAll(root, 0o755)
	os.Chdir(root)
	for _, t := range tree {
		if t[len(t)-1] == '/' {
			os.MkdirAll(t, 0o755)
			continue
		}
		for i := 0; i+1 < len(t); i++ {
			if t[i] == '-' && t[i+1] == '>' {
				os.Symlink(t[i+2:], t[:i])
				goto next
			}
		}
		os.WriteFile(t, []byte("x"), 0o644)
	next:
	}
	patterns := []string{
		"etc/*.conf", "etc/*", "etc/*/conf.d/*.conf", "etc/*/*", "*/*.conf", "etc/conf.d/*",
		"./etc/*.conf", "etc/../etc/b.conf", "etc//conf.d/0?-*", "etc/app.conf", "etc//app.conf",
		"etc/missing", "etc/missing/*", "missing/*/x", "cm/*", "cm/key.conf", "cm/..data/*",
		"cm/*/*", "dangling", "dangling*", "*", "etc/[ab]*.conf", "etc/[", "etc/[/*", "weird[/x",
		"weird\\[/x", "star\\*/s", "star*/s", "q\\?", "q?", "sp ace/*", "etc/file-not-dir/*",
		"etc/\\app.conf", "etc/app.con?", "etc/svc?/conf.d", "etc/svc*/conf.d/*", "*/", "etc/*/",
		"", ".", "..", "etc/.*", "etc/.", "[e]tc/app.conf", "e*/conf.d/01-a.conf", "etc\\/app.conf",
	}
	type res struct {
		Pattern string   `json:"pattern"`
		Matches []string `json:"matches"`
		Error   bool     `json:"error"`
	}
	var out []res
	for _, p := range patterns {
		m, err := filepath.Glob(p)
		if m == nil {
			m = []string{}
		}
		out = append(out, res{p, m, err != nil})
	}
	e := json.NewEncoder(os.Stdout)
	e.SetEscapeHTML(false)
	e.SetIndent("", " ")
	e.Encode(map[string]interface{}{"generator": "go1.19 path/filepath.Glob, cwd = tree root", "tree": tree, "cases": out})
}
