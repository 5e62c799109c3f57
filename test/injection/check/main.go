// Command check executes Meshplane's injection templates the way istiod of a given Istio minor
// would, and reports what they render.
//
// Input (-cases FILE, JSON): the injection contract (catalog/injection-contract.yaml as JSON)
// and a list of cases, each naming an Istio minor, a template kind ("sidecar" or "kube-gateway"
// data), the template text (as shipped in the rendered istio-sidecar-injector ConfigMap), the
// injector values, the data and istiod's environment. For every case the harness builds that
// minor's data type from the contract's field list (reflect.StructOf), decodes the data into it
// strictly (an unknown field is an error), parses the text with that minor's function map and
// executes it with missingkey=error. Output: one JSON line per case on stdout,
// {"name", "rendered"} or {"name", "error"}; the exit code is 1 when any case failed.
//
// Why stricter than istiod (missingkey=error, no "<no value>" allowed): istiod prints a missing
// values key as "<no value>" into the pod, or feeds nil to a function; both are template bugs.
//
// Standard library only, so it runs with `go run` and no module download:
//
//	go run test/injection/check/*.go -cases cases.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"text/template"
)

// contractMinor is one entry of catalog/injection-contract.yaml.
type contractMinor struct {
	Minor           int               `json:"minor"`
	Tag             string            `json:"tag"`
	SidecarData     map[string]string `json:"sidecarData"`
	KubeGatewayData map[string]string `json:"kubeGatewayData"`
	Funcs           []string          `json:"funcs"`
}

// contract is catalog/injection-contract.yaml.
type contract struct {
	Minors []contractMinor `json:"minors"`
	Sprig  []string        `json:"sprig"`
}

// harnessCase is one template execution.
type harnessCase struct {
	Name  string `json:"name"`
	Minor int    `json:"minor"`
	// Data is "sidecar" (SidecarTemplateData, for the sidecar and gateway templates) or
	// "kube-gateway" (the deployment controller's derivedInput).
	Data     string            `json:"data"`
	Template string            `json:"template"`
	Values   map[string]any    `json:"values"`
	Input    json.RawMessage   `json:"input"`
	Env      map[string]string `json:"env"`
}

type input struct {
	Contract contract      `json:"contract"`
	Cases    []harnessCase `json:"cases"`
}

type result struct {
	Name     string `json:"name"`
	Rendered string `json:"rendered,omitempty"`
	Error    string `json:"error,omitempty"`
}

// leakMarkers are what text/template and fmt print for a missing or mistyped value.
var leakMarkers = []string{"<no value>", "<nil>", "%!"}

func main() {
	casesFile := flag.String("cases", "", "JSON file with the contract and the cases")
	flag.Parse()
	raw, err := os.ReadFile(*casesFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "injection check:", err)
		os.Exit(2)
	}
	var in input
	if err := decodeStrict(raw, &in); err != nil {
		fmt.Fprintln(os.Stderr, "injection check: read cases:", err)
		os.Exit(2)
	}
	failed := false
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	for _, c := range in.Cases {
		rendered, err := runCase(in.Contract, c)
		r := result{Name: c.Name, Rendered: rendered}
		if err != nil {
			failed = true
			r = result{Name: c.Name, Error: err.Error()}
		}
		if err := enc.Encode(r); err != nil {
			fmt.Fprintln(os.Stderr, "injection check:", err)
			os.Exit(2)
		}
	}
	if failed {
		os.Exit(1)
	}
}

func runCase(k contract, c harnessCase) (string, error) {
	var minor *contractMinor
	for i := range k.Minors {
		if k.Minors[i].Minor == c.Minor {
			minor = &k.Minors[i]
		}
	}
	if minor == nil {
		return "", fmt.Errorf("the contract has no Istio 1.%d", c.Minor)
	}
	fields := minor.SidecarData
	if c.Data == "kube-gateway" {
		fields = minor.KubeGatewayData
	} else if c.Data != "sidecar" {
		return "", fmt.Errorf("unknown data kind %q", c.Data)
	}
	typ, err := dataType(fields)
	if err != nil {
		return "", fmt.Errorf("Istio %s: %w", minor.Tag, err)
	}
	data := reflect.New(typ)
	if err := decodeStrict(c.Input, data.Interface()); err != nil {
		return "", fmt.Errorf("Istio %s data: %w", minor.Tag, err)
	}
	if v := data.Elem().FieldByName("Values"); v.IsValid() {
		v.Set(reflect.ValueOf(c.Values))
	}
	funcs, err := funcMap(minor.Funcs, k.Sprig)
	if err != nil {
		return "", err
	}
	t, err := template.New(c.Name).Funcs(funcs).Option("missingkey=error").Parse(c.Template)
	if err != nil {
		return "", fmt.Errorf("Istio %s parse: %w", minor.Tag, err)
	}
	restore := setEnv(c.Env)
	defer restore()
	var buf bytes.Buffer
	if err := t.Execute(&buf, data.Interface()); err != nil {
		return "", fmt.Errorf("Istio %s execute: %w", minor.Tag, err)
	}
	out := buf.String()
	for i, line := range strings.Split(out, "\n") {
		for _, marker := range leakMarkers {
			if strings.Contains(line, marker) {
				return "", fmt.Errorf("Istio %s output line %d holds %q (a missing or mistyped value): %s", minor.Tag, i+1, marker, strings.TrimSpace(line))
			}
		}
	}
	return out, nil
}

// setEnv sets istiod's environment for one case (the `env` function reads it) and returns
// a function that restores the previous values.
func setEnv(env map[string]string) func() {
	old := map[string]*string{}
	for k, v := range env {
		if prev, ok := os.LookupEnv(k); ok {
			p := prev
			old[k] = &p
		} else {
			old[k] = nil
		}
		os.Setenv(k, v)
	}
	return func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}
}

func decodeStrict(raw []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}
