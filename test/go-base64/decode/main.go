// Command decode answers, with Go's own code, whether the Kubernetes API server can read a
// Secret's data: the oracle of test/go-base64/secret-data.test.ts, so that Meshplane's schema
// pattern for []byte fields is checked against Go rather than against a model of it.
//
// Input (stdin, JSON): {"values": [string...], "yaml": [string...]}.
// Output (stdout, JSON): {"values": [outcome...], "yaml": [outcome...]}, one outcome per input:
//
//	values  each string is put in a JSON object {"data": {"k": <string>}} with encoding/json and
//	        decoded into a struct whose Data is map[string][]byte, as core/v1 Secret declares it;
//	        []byte is the case of encoding/json's literalStore that calls base64.StdEncoding
//	yaml    each document is converted with sigs.k8s.io/yaml YAMLToJSON (the conversion kubectl
//	        apply, Helm, Argo CD and Flux use) and then decoded the same way; the outcome also
//	        carries the strings the document's data held, as the conversion produced them
//
// An outcome is {"ok": true} or {"error": "<Go's message>"}.
//
// Built in GOPATH mode against Debian's packaged sigs.k8s.io/yaml (golang-k8s-sigs-yaml-dev), so
// no module download is needed:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run test/go-base64/decode/main.go < in.json
package main

import (
	"encoding/json"
	"fmt"
	"os"

	sigsyaml "sigs.k8s.io/yaml"
)

type input struct {
	Values []string `json:"values"`
	YAML   []string `json:"yaml"`
}

type outcome struct {
	OK    bool              `json:"ok,omitempty"`
	Error string            `json:"error,omitempty"`
	Data  map[string]string `json:"data,omitempty"`
}

// secretData holds the fields of core/v1 Secret this harness reads: data is map[string][]byte.
type secretData struct {
	Data map[string][]byte `json:"data"`
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "decode: stdin is not {\"values\": [...], \"yaml\": [...]}:", err)
		os.Exit(2)
	}
	out := struct {
		Values []outcome `json:"values"`
		YAML   []outcome `json:"yaml"`
	}{Values: []outcome{}, YAML: []outcome{}}
	for _, v := range in.Values {
		doc, err := json.Marshal(map[string]map[string]string{"data": {"k": v}})
		if err != nil {
			fmt.Fprintln(os.Stderr, "decode:", err)
			os.Exit(2)
		}
		out.Values = append(out.Values, decodeJSON(doc))
	}
	for _, y := range in.YAML {
		doc, err := sigsyaml.YAMLToJSON([]byte(y))
		if err != nil {
			out.YAML = append(out.YAML, outcome{Error: "yaml: " + err.Error()})
			continue
		}
		o := decodeJSON(doc)
		var strs struct {
			Data map[string]string `json:"data"`
		}
		if err := json.Unmarshal(doc, &strs); err == nil {
			o.Data = strs.Data
		}
		out.YAML = append(out.YAML, o)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "decode:", err)
		os.Exit(2)
	}
}

func decodeJSON(doc []byte) outcome {
	var s secretData
	if err := json.Unmarshal(doc, &s); err != nil {
		return outcome{Error: err.Error()}
	}
	return outcome{OK: true}
}
