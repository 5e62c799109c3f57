// Command crd-byte answers, with Go's own code, the two checks a custom resource's `format: byte`
// string field goes through: the oracle of test/go-base64/crd-byte.test.ts, so that the Ajv format
// `byte` of test/schemas/object-validators.ts is checked against Go rather than against a model.
//
//	format  the API server's format check: govalidator.IsBase64, the function kube-openapi's
//	        pkg/validation/strfmt registers for "byte" (kube-openapi keeps its own copy of it under
//	        pkg/internal/third_party/govalidator, with the same pattern as the Debian package
//	        golang-github-asaskevich-govalidator-dev this harness is built against)
//	decode  what the controller then does with the object: encoding/json into a []byte field
//	        (grafana-operator api/v1beta1 content.go GzipJSON), which calls base64.StdEncoding
//
// Input (stdin, JSON): [string...]. Output (stdout, JSON): [{"format": bool, "decode": bool,
// "error": "<Go's decode error>"}...], one per input.
//
// Built in GOPATH mode against Debian's packaged sources, so no module download is needed:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run test/go-base64/crd-byte/main.go < in.json
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/asaskevich/govalidator"
)

type outcome struct {
	Format bool   `json:"format"`
	Decode bool   `json:"decode"`
	Error  string `json:"error,omitempty"`
}

// content holds the one []byte field this harness decodes.
type content struct {
	GzipJSON []byte `json:"gzipJson"`
}

func main() {
	var values []string
	if err := json.NewDecoder(os.Stdin).Decode(&values); err != nil {
		fmt.Fprintln(os.Stderr, "crd-byte: stdin is not a JSON list of strings:", err)
		os.Exit(2)
	}
	out := make([]outcome, 0, len(values))
	for _, v := range values {
		doc, err := json.Marshal(map[string]string{"gzipJson": v})
		if err != nil {
			fmt.Fprintln(os.Stderr, "crd-byte:", err)
			os.Exit(2)
		}
		o := outcome{Format: govalidator.IsBase64(v)}
		var c content
		if err := json.Unmarshal(doc, &c); err != nil {
			o.Error = err.Error()
		} else {
			o.Decode = true
		}
		out = append(out, o)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "crd-byte:", err)
		os.Exit(2)
	}
}
