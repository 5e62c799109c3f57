// Command parse reads YAML documents with the Go YAML parsers that consume Meshplane's output and
// prints what each parser made of every document, so that the emitter's quoting is checked
// against the real parsers rather than against a model of them.
//
// Input (stdin, JSON): an array of YAML texts, one document each.
// Output (stdout, JSON): an array holding, for each text, an object from parser name to
// {"json": value} or {"error": "message"}:
//
//	gopkg.in/yaml.v2       yaml.Unmarshal into interface{}; a mapping key that did not stay a
//	                       string is an error (a JSON object cannot hold it)
//	sigs.k8s.io/yaml       yaml.YAMLToJSON, the conversion Argo CD, Helm and kubectl apply use
//	gopkg.in/yaml.v3       yaml.Unmarshal into interface{}, keys as for v2
//	gopkg.in/yaml.v3 tags  the node tree with every scalar replaced by the tag it resolves to
//	                       ("!!str", "!!int", "!!timestamp", "!!merge", ...) and every mapping
//	                       key written as "<tag> <text>"; decoding into interface{} hides some
//	                       tags (a timestamp stays a string there), the node tree does not
//
// Built in GOPATH mode against Debian's packaged sources (golang-gopkg-yaml.v2-dev,
// golang-gopkg-yaml.v3-dev, golang-k8s-sigs-yaml-dev), so no module download is needed:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go run test/go-yaml/parse/main.go < docs.json
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"

	yamlv2 "gopkg.in/yaml.v2"
	yamlv3 "gopkg.in/yaml.v3"
	sigsyaml "sigs.k8s.io/yaml"
)

// outcome is one parser's reading of one document.
type outcome struct {
	JSON  interface{} `json:"json,omitempty"`
	Error string      `json:"error,omitempty"`
}

func main() {
	var docs []string
	if err := json.NewDecoder(os.Stdin).Decode(&docs); err != nil {
		fmt.Fprintln(os.Stderr, "parse: stdin is not a JSON array of strings:", err)
		os.Exit(2)
	}
	results := make([]map[string]outcome, 0, len(docs))
	for _, doc := range docs {
		results = append(results, map[string]outcome{
			"gopkg.in/yaml.v2":      viaV2(doc),
			"sigs.k8s.io/yaml":      viaSigs(doc),
			"gopkg.in/yaml.v3":      viaV3(doc),
			"gopkg.in/yaml.v3 tags": v3Tags(doc),
		})
	}
	if err := json.NewEncoder(os.Stdout).Encode(results); err != nil {
		fmt.Fprintln(os.Stderr, "parse:", err)
		os.Exit(2)
	}
}

func viaV2(doc string) outcome {
	var v interface{}
	if err := yamlv2.Unmarshal([]byte(doc), &v); err != nil {
		return outcome{Error: err.Error()}
	}
	return jsonable(v)
}

func viaV3(doc string) outcome {
	var v interface{}
	if err := yamlv3.Unmarshal([]byte(doc), &v); err != nil {
		return outcome{Error: err.Error()}
	}
	return jsonable(v)
}

func viaSigs(doc string) outcome {
	out, err := sigsyaml.YAMLToJSON([]byte(doc))
	if err != nil {
		return outcome{Error: err.Error()}
	}
	var v interface{}
	if err := json.Unmarshal(out, &v); err != nil {
		return outcome{Error: err.Error()}
	}
	return outcome{JSON: v}
}

// jsonable turns a decoded value into one encoding/json can write, or reports why it cannot.
func jsonable(v interface{}) outcome {
	out, err := convert(v)
	if err != nil {
		return outcome{Error: err.Error()}
	}
	return outcome{JSON: out}
}

func convert(v interface{}) (interface{}, error) {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, item := range t {
			key, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("mapping key %v became a %T", k, k)
			}
			c, err := convert(item)
			if err != nil {
				return nil, err
			}
			out[key] = c
		}
		return out, nil
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, item := range t {
			c, err := convert(item)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, item := range t {
			c, err := convert(item)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case float64:
		if math.IsNaN(t) || math.IsInf(t, 0) {
			return nil, fmt.Errorf("value became the float %v", t)
		}
		return t, nil
	case nil, string, bool, int, int64, uint64:
		return t, nil
	default:
		return nil, fmt.Errorf("value %v became a %T", t, t)
	}
}

func v3Tags(doc string) outcome {
	var n yamlv3.Node
	if err := yamlv3.Unmarshal([]byte(doc), &n); err != nil {
		return outcome{Error: err.Error()}
	}
	if n.Kind != yamlv3.DocumentNode || len(n.Content) != 1 {
		return outcome{Error: "not a single document"}
	}
	return outcome{JSON: tags(n.Content[0])}
}

func tags(n *yamlv3.Node) interface{} {
	switch n.Kind {
	case yamlv3.MappingNode:
		out := make(map[string]interface{}, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			out[k.ShortTag()+" "+k.Value] = tags(n.Content[i+1])
		}
		return out
	case yamlv3.SequenceNode:
		out := make([]interface{}, len(n.Content))
		for i, item := range n.Content {
			out[i] = tags(item)
		}
		return out
	case yamlv3.ScalarNode:
		return n.ShortTag()
	default:
		return fmt.Sprintf("node kind %v", n.Kind)
	}
}
