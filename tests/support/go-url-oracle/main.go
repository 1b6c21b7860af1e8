// Command url-oracle answers, for each JSON string on stdin, what Harbor's URL validation makes of it: the test
// suite's ground truth for endpoint URLs. It applies the steps of Harbor's lib.ValidateHTTPURL (as documented in
// ../shared/harbor/semantics.md §3) with the real net/url of this Go toolchain.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
)

type answer struct {
	OK      bool   `json:"ok"`
	URL     string `json:"url,omitempty"`
	Message string `json:"message,omitempty"`
}

func validate(s string) answer {
	s = strings.Trim(s, " ")
	s = strings.TrimRight(s, "/")
	if s == "" {
		return answer{Message: "empty string"}
	}
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return answer{Message: "invalid URL: " + err.Error()}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return answer{Message: "invalid HTTP scheme: " + u.Scheme}
	}
	return answer{OK: true, URL: fmt.Sprintf("%s://%s%s", u.Scheme, u.Host, u.Path)}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var s string
		if err := json.Unmarshal(in.Bytes(), &s); err != nil {
			fmt.Fprintln(os.Stderr, "url-oracle: each line must be a JSON string:", err)
			os.Exit(2)
		}
		if err := out.Encode(validate(s)); err != nil {
			os.Exit(1)
		}
	}
}
