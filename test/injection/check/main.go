// Command check proves that istiod could execute Meshplane's injection templates.
//
// It parses every templates/injection/*.tmpl with a FuncMap that mirrors the one istiod
// installs (istiod's own helpers plus the sprig text functions the templates use), then
// executes the templates against the data fixtures in test/injection/fixtures/*.json, shaped
// like istiod's SidecarTemplateData. Each rendered case is printed to stdout as one JSON
// line: {"case", "fixture", "template", "description", "rendered"}. The Node test
// (test/injection/injection-templates.test.ts) parses "rendered" as YAML and asserts on it.
//
// Any parse error, execution error, unreadable fixture, or value that leaked into the output
// as "<no value>" / "<nil>" / "%!" makes it exit 1 with a message on stderr.
//
// Standard library only, so `go run` needs no module download:
//
//	go run ./test/injection/check/main.go [-templates DIR] [-fixtures DIR]
//
// MESHPLANE_INJECTION_TEMPLATES and MESHPLANE_INJECTION_FIXTURES set the same directories.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// ---------------------------------------------------------------------------------------------
// Template data. These types copy the Go field names of the Kubernetes and Istio types that
// istiod hands to the template (metav1.ObjectMeta, corev1.PodSpec, meshconfig.ProxyConfig, ...)
// so a template that names a field istiod's types lack fails here the same way it would in
// istiod ("can't evaluate field"). Only the fields Meshplane's templates and fixtures use are
// modelled; fixtures are decoded with DisallowUnknownFields so nothing is silently dropped.
// JSON tags follow the Kubernetes JSON and protojson spellings, so fixtures read like the real
// objects.
// ---------------------------------------------------------------------------------------------

// SidecarTemplateData mirrors istiod's pkg/kube/inject SidecarTemplateData.
type SidecarTemplateData struct {
	TypeMeta                 TypeMeta
	DeploymentMeta           NamespacedName
	ObjectMeta               ObjectMeta
	Spec                     PodSpec
	ProxyConfig              *ProxyConfig
	MeshConfig               *MeshConfig
	Values                   map[string]any
	Revision                 string
	ProxyImage               string
	ProxyUID                 int64
	ProxyGID                 int64
	NativeSidecar            bool
	InboundTrafficPolicyMode string
	CompliancePolicy         string
}

// TypeMeta mirrors metav1.TypeMeta (the type of the pod's owning workload).
type TypeMeta struct {
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// NamespacedName mirrors k8s.io/apimachinery types.NamespacedName (istiod's DeploymentMeta).
type NamespacedName struct {
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

// ObjectMeta mirrors the metav1.ObjectMeta fields a pod carries at admission time.
type ObjectMeta struct {
	Name         string            `json:"name,omitempty"`
	GenerateName string            `json:"generateName,omitempty"`
	Namespace    string            `json:"namespace,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
}

// PodSpec mirrors the corev1.PodSpec fields the templates read.
type PodSpec struct {
	InitContainers     []Container       `json:"initContainers,omitempty"`
	Containers         []Container       `json:"containers,omitempty"`
	Volumes            []map[string]any  `json:"volumes,omitempty"`
	ServiceAccountName string            `json:"serviceAccountName,omitempty"`
	NodeName           string            `json:"nodeName,omitempty"`
	HostNetwork        bool              `json:"hostNetwork,omitempty"`
	NodeSelector       map[string]string `json:"nodeSelector,omitempty"`
}

// Container mirrors the corev1.Container fields the templates read.
type Container struct {
	Name    string          `json:"name"`
	Image   string          `json:"image,omitempty"`
	Command []string        `json:"command,omitempty"`
	Args    []string        `json:"args,omitempty"`
	Ports   []ContainerPort `json:"ports,omitempty"`
}

// ContainerPort mirrors corev1.ContainerPort.
type ContainerPort struct {
	Name          string `json:"name,omitempty"`
	HostPort      int32  `json:"hostPort,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
	HostIP        string `json:"hostIP,omitempty"`
}

// ProxyConfig mirrors istio.io/api mesh/v1alpha1 ProxyConfig: the mesh defaultConfig already
// merged with the pod's proxy.istio.io/config annotation (istiod does that before templating).
type ProxyConfig struct {
	ConfigPath                      string            `json:"configPath,omitempty"`
	BinaryPath                      string            `json:"binaryPath,omitempty"`
	ServiceCluster                  string            `json:"serviceCluster,omitempty"`
	DrainDuration                   *Duration         `json:"drainDuration,omitempty"`
	TerminationDrainDuration        *Duration         `json:"terminationDrainDuration,omitempty"`
	DiscoveryAddress                string            `json:"discoveryAddress,omitempty"`
	ProxyAdminPort                  int32             `json:"proxyAdminPort,omitempty"`
	StatNameLength                  int32             `json:"statNameLength,omitempty"`
	Concurrency                     *Int32Value       `json:"concurrency,omitempty"`
	InterceptionMode                InterceptionMode  `json:"interceptionMode,omitempty"`
	ProxyMetadata                   map[string]string `json:"proxyMetadata,omitempty"`
	StatusPort                      int32             `json:"statusPort,omitempty"`
	MeshId                          string            `json:"meshId,omitempty"`
	HoldApplicationUntilProxyStarts *BoolValue        `json:"holdApplicationUntilProxyStarts,omitempty"`
	Image                           *ProxyImage       `json:"image,omitempty"`
}

// ProxyImage mirrors istio.io/api networking/v1beta1 ProxyImage.
type ProxyImage struct {
	ImageType string `json:"imageType,omitempty"`
}

// MeshConfig mirrors the istio.io/api mesh/v1alpha1 MeshConfig fields the templates read.
type MeshConfig struct {
	TrustDomain           string       `json:"trustDomain,omitempty"`
	RootNamespace         string       `json:"rootNamespace,omitempty"`
	AccessLogFile         string       `json:"accessLogFile,omitempty"`
	EnablePrometheusMerge *BoolValue   `json:"enablePrometheusMerge,omitempty"`
	DefaultConfig         *ProxyConfig `json:"defaultConfig,omitempty"`
}

// protoMessage stands in for proto.Message: protoToJSON only accepts the proto types.
type protoMessage interface{ isProtoMessage() }

func (*ProxyConfig) isProtoMessage() {}
func (*MeshConfig) isProtoMessage()  {}

// BoolValue mirrors wrapperspb.BoolValue, including its nil-safe getter, which templates call
// as .X.GetValue on fields that may be unset.
type BoolValue struct{ Value bool }

// GetValue returns false for a nil receiver, like the generated protobuf getter.
func (b *BoolValue) GetValue() bool {
	if b == nil {
		return false
	}
	return b.Value
}

// MarshalJSON writes the bare value, as protojson does for wrapper types.
func (b BoolValue) MarshalJSON() ([]byte, error) { return json.Marshal(b.Value) }

// UnmarshalJSON reads the bare value.
func (b *BoolValue) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &b.Value) }

// Int32Value mirrors wrapperspb.Int32Value.
type Int32Value struct{ Value int32 }

// GetValue returns 0 for a nil receiver, like the generated protobuf getter.
func (i *Int32Value) GetValue() int32 {
	if i == nil {
		return 0
	}
	return i.Value
}

// MarshalJSON writes the bare value, as protojson does for wrapper types.
func (i Int32Value) MarshalJSON() ([]byte, error) { return json.Marshal(i.Value) }

// UnmarshalJSON reads the bare value.
func (i *Int32Value) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &i.Value) }

// Duration mirrors durationpb.Duration; protojson spells it "45s".
type Duration struct{ D time.Duration }

// AsDuration mirrors the durationpb getter.
func (d *Duration) AsDuration() time.Duration {
	if d == nil {
		return 0
	}
	return d.D
}

// MarshalJSON writes seconds with an "s" suffix, as protojson does.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(strconv.FormatFloat(d.D.Seconds(), 'f', -1, 64) + "s")
}

// UnmarshalJSON reads a Go duration string such as "45s".
func (d *Duration) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	parsed, err := time.ParseDuration(s)
	d.D = parsed
	return err
}

// InterceptionMode mirrors the ProxyConfig_InboundInterceptionMode enum: an int32 whose
// String() is the enum name, which is what fmt.Sprint (and so `annotation`) prints.
type InterceptionMode int32

// interceptionModeNames is the enum's name table, in proto number order
// (why: REDIRECT = 0 is the default that protojson omits).
var interceptionModeNames = []string{"REDIRECT", "TPROXY", "NONE"}

// String returns the enum name.
func (m InterceptionMode) String() string {
	if int(m) >= 0 && int(m) < len(interceptionModeNames) {
		return interceptionModeNames[m]
	}
	return strconv.Itoa(int(m))
}

// MarshalJSON writes the enum name.
func (m InterceptionMode) MarshalJSON() ([]byte, error) { return json.Marshal(m.String()) }

// UnmarshalJSON reads the enum name.
func (m *InterceptionMode) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	for i, name := range interceptionModeNames {
		if name == s {
			*m = InterceptionMode(i)
			return nil
		}
	}
	return fmt.Errorf("unknown interceptionMode %q", s)
}

// ---------------------------------------------------------------------------------------------
// Functions. istiod's own helpers are reimplemented from their documented behaviour with the
// same Go signatures (text/template checks argument types, so a mismatched call fails here as
// it would in istiod). istiod also exposes all of sprig's text functions; only the sprig
// functions Meshplane's templates use are provided, so using another one fails the check until
// it is added below, which errs on the safe side.
// ---------------------------------------------------------------------------------------------

func funcMap() template.FuncMap {
	return template.FuncMap{
		// istiod (pkg/kube/inject/template.go)
		"formatDuration":      func(d *Duration) string { return d.AsDuration().String() },
		"isset":               func(m map[string]string, key string) bool { _, ok := m[key]; return ok },
		"excludeInboundPort":  excludeInboundPort,
		"includeInboundPorts": func(cs []Container) string { return containerPorts(cs, func(Container) bool { return true }) },
		"applicationPorts": func(cs []Container) string {
			return containerPorts(cs, func(c Container) bool { return c.Name != "istio-proxy" })
		},
		"kubevirtInterfaces":  func(s string) string { return s },
		"excludeInterfaces":   func(s string) string { return s },
		"annotation":          annotation,
		"valueOrDefault":      valueOrDefault,
		"toJSON":              toJSON,
		"toJson":              toJSON,
		"fromJSON":            fromJSON,
		"structToJSON":        structToJSON,
		"protoToJSON":         protoToJSON,
		"toYaml":              toYaml,
		"indent":              indent,
		"directory":           func(p string) string { dir, _ := path.Split(p); return dir },
		"contains":            func(needle, haystack string) bool { return strings.Contains(haystack, needle) },
		"toLower":             strings.ToLower,
		"appendMultusNetwork": appendMultusNetwork,
		"env":                 envOrDefault,
		"omit":                omit,
		"strdict":             strdict,
		"toJsonMap":           toJSONMap,
		// sprig (github.com/Masterminds/sprig/v3, TxtFuncMap)
		"default": sprigDefault,
		"empty":   isEmpty,
		"quote":   quote,
		"dict":    dict,
		"list":    func(v ...any) []any { return v },
		"append":  sprigAppend,
		"join":    join,
		"hasKey":  func(d map[string]any, key string) bool { _, ok := d[key]; return ok },
		"set":     func(d map[string]any, key string, value any) map[string]any { d[key] = value; return d },
		"trim":    strings.TrimSpace,
		"toString": func(v any) string {
			return strval(v)
		},
	}
}

func annotation(meta ObjectMeta, name string, defaultValue any) string {
	if value, ok := meta.Annotations[name]; ok {
		return value
	}
	return fmt.Sprint(defaultValue)
}

func valueOrDefault(value any, defaultValue any) any {
	if value == "" || value == nil {
		return defaultValue
	}
	return value
}

func excludeInboundPort(port any, excluded string) string {
	portStr := strings.TrimSpace(fmt.Sprint(port))
	if portStr == "" || portStr == "0" {
		return excluded
	}
	out := []string{}
	for _, p := range strings.Split(excluded, ",") {
		p = strings.TrimSpace(p)
		if p == portStr {
			return excluded
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(append(out, portStr), ",")
}

func containerPorts(cs []Container, include func(Container) bool) string {
	parts := []string{}
	for _, c := range cs {
		if !include(c) {
			continue
		}
		for _, p := range c.Ports {
			if p.Protocol == "UDP" || p.Protocol == "SCTP" {
				continue
			}
			parts = append(parts, strconv.Itoa(int(p.ContainerPort)))
		}
	}
	return strings.Join(parts, ",")
}

func toJSON(m map[string]string) string {
	if m == nil {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func toJSONMap(ms ...map[string]string) string {
	merged := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			merged[k] = v
		}
	}
	return toJSON(merged)
}

func fromJSON(s string) any {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return "{}"
	}
	return v
}

func structToJSON(v any) string {
	if v == nil {
		return "{}"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

func protoToJSON(m protoMessage) string {
	if m == nil || reflect.ValueOf(m).IsNil() {
		return "{}"
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// indent is istiod's version, not sprig's: every line but the first gets the padding.
func indent(spaces int, source string) string {
	lines := strings.Split(source, "\n")
	pad := strings.Repeat(" ", spaces)
	for i := 1; i < len(lines); i++ {
		lines[i] = pad + lines[i]
	}
	return strings.Join(lines, "\n")
}

func appendMultusNetwork(existing, network string) string {
	if existing == "" {
		return network
	}
	if i := strings.LastIndex(existing, "]"); i != -1 {
		var nets []map[string]any
		if err := json.Unmarshal([]byte(existing), &nets); err != nil {
			return existing
		}
		for _, n := range nets {
			if n["name"] == network {
				return existing
			}
		}
		return existing[:i] + fmt.Sprintf(`, {"name": %q}`, network) + existing[i:]
	}
	for _, n := range strings.Split(existing, ",") {
		if strings.TrimSpace(n) == network {
			return existing
		}
	}
	return existing + ", " + network
}

func envOrDefault(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func omit(m map[string]string, keys ...string) map[string]string {
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	out := map[string]string{}
	for k, v := range m {
		if !drop[k] {
			out[k] = v
		}
	}
	return out
}

func strdict(kv ...string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		if i+1 < len(kv) {
			out[kv[i]] = kv[i+1]
		} else {
			out[kv[i]] = ""
		}
	}
	return out
}

// isEmpty is sprig's notion of "empty", which `default` relies on.
func isEmpty(given any) bool {
	v := reflect.ValueOf(given)
	if !v.IsValid() {
		return true
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() == 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Ptr:
		return v.IsNil()
	case reflect.Struct:
		return false
	default:
		return v.IsZero()
	}
}

func sprigDefault(d any, given ...any) any {
	if len(given) == 0 || isEmpty(given[0]) {
		return d
	}
	return given[0]
}

func strval(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []byte:
		return string(t)
	case error:
		return t.Error()
	case fmt.Stringer:
		return t.String()
	default:
		return fmt.Sprintf("%v", v)
	}
}

// quote is sprig's: each non-nil argument Go-quoted (a valid YAML double-quoted scalar),
// nil arguments dropped.
func quote(vs ...any) string {
	out := []string{}
	for _, v := range vs {
		if v != nil {
			out = append(out, strconv.Quote(strval(v)))
		}
	}
	return strings.Join(out, " ")
}

func dict(kv ...any) map[string]any {
	out := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		key := strval(kv[i])
		if i+1 < len(kv) {
			out[key] = kv[i+1]
		} else {
			out[key] = ""
		}
	}
	return out
}

func sprigAppend(list any, v any) ([]any, error) {
	rv := reflect.ValueOf(list)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("cannot append to type %T", list)
	}
	out := make([]any, 0, rv.Len()+1)
	for i := 0; i < rv.Len(); i++ {
		out = append(out, rv.Index(i).Interface())
	}
	return append(out, v), nil
}

func join(sep string, v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return strval(v)
	}
	parts := make([]string, 0, rv.Len())
	for i := 0; i < rv.Len(); i++ {
		if item := rv.Index(i).Interface(); item != nil {
			parts = append(parts, strval(item))
		}
	}
	return strings.Join(parts, sep)
}

// toYaml stands in for istiod's sigs.k8s.io/yaml marshalling: block-style YAML with sorted
// keys and a trailing newline, so the templates' indentation around it is exercised the way
// istiod would exercise it.
func toYaml(value any) string {
	raw, err := json.Marshal(value)
	if err != nil {
		return ""
	}
	var normalized any
	if err := json.Unmarshal(raw, &normalized); err != nil {
		return ""
	}
	var b strings.Builder
	writeYAML(&b, normalized, 0)
	return b.String()
}

func writeYAML(b *strings.Builder, v any, level int) {
	pad := strings.Repeat(" ", level)
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			b.WriteString(pad + "{}\n")
			return
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b.WriteString(pad + yamlKey(k) + ":")
			writeYAMLValue(b, t[k], level, level+2)
		}
	case []any:
		if len(t) == 0 {
			b.WriteString(pad + "[]\n")
			return
		}
		for _, item := range t {
			b.WriteString(pad + "-")
			if m, ok := item.(map[string]any); ok && len(m) > 0 {
				// The first key shares the dash's line; the rest line up under it.
				var inner strings.Builder
				writeYAML(&inner, m, level+2)
				b.WriteString(" " + strings.TrimPrefix(inner.String(), strings.Repeat(" ", level+2)))
				continue
			}
			writeYAMLValue(b, item, level, level+2)
		}
	default:
		b.WriteString(pad + yamlScalar(v) + "\n")
	}
}

// writeYAMLValue finishes a "key:" or "-" line: scalars and empty collections inline, others
// as a nested block (sequences under a key stay at the key's indentation, as go-yaml does).
func writeYAMLValue(b *strings.Builder, v any, keyLevel, childLevel int) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			b.WriteString(" {}\n")
			return
		}
		b.WriteString("\n")
		writeYAML(b, t, childLevel)
	case []any:
		if len(t) == 0 {
			b.WriteString(" []\n")
			return
		}
		b.WriteString("\n")
		writeYAML(b, t, keyLevel)
	default:
		b.WriteString(" " + yamlScalar(v) + "\n")
	}
}

func yamlScalar(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	case string:
		b, _ := json.Marshal(t)
		return string(b)
	default:
		return fmt.Sprint(t)
	}
}

// plainKeyWords are YAML 1.1 words a plain key would be read as (bool/null), so they are quoted.
var plainKeyWords = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true, "true": true, "false": true, "null": true, "~": true}

func yamlKey(k string) string {
	plain := k != "" && !plainKeyWords[strings.ToLower(k)]
	for i, r := range k {
		isLetter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		isOther := (r >= '0' && r <= '9') || r == '-' || r == '.' || r == '/'
		if !(isLetter || (i > 0 && isOther)) {
			plain = false
			break
		}
	}
	if plain {
		return k
	}
	return yamlScalar(k)
}

// ---------------------------------------------------------------------------------------------
// Fixtures and the run.
// ---------------------------------------------------------------------------------------------

// fixture is one test case file in the fixtures directory.
type fixture struct {
	Description string `json:"description"`
	// Template is the injection template to run: "sidecar" or "gateway" (file <name>.tmpl).
	Template string `json:"template"`
	// ValuesFile names a shared injector values JSON (relative to the fixtures directory)
	// used as .Values; ValuesOverride is deep-merged over it.
	ValuesFile     string          `json:"valuesFile"`
	ValuesOverride map[string]any  `json:"valuesOverride"`
	Data           json.RawMessage `json:"data"`
}

// output is one line of stdout.
type output struct {
	Case        string `json:"case"`
	Fixture     string `json:"fixture"`
	Template    string `json:"template"`
	Description string `json:"description"`
	Rendered    string `json:"rendered"`
}

// leakMarkers are what text/template and fmt print for a missing or mistyped value; istiod
// would happily put them into a pod, so any of them in the output is a template bug.
var leakMarkers = []string{"<no value>", "<nil>", "%!"}

func main() {
	templatesDir := flag.String("templates", envOr("MESHPLANE_INJECTION_TEMPLATES", "templates/injection"), "directory holding the *.tmpl injection templates")
	fixturesDir := flag.String("fixtures", envOr("MESHPLANE_INJECTION_FIXTURES", "test/injection/fixtures"), "directory holding the *.json data fixtures")
	flag.Parse()
	if err := run(*templatesDir, *fixturesDir); err != nil {
		fmt.Fprintln(os.Stderr, "injection check failed:", err)
		os.Exit(1)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func run(templatesDir, fixturesDir string) error {
	templates, err := parseTemplates(templatesDir)
	if err != nil {
		return err
	}
	fixtureFiles, err := filepath.Glob(filepath.Join(fixturesDir, "*.json"))
	if err != nil {
		return err
	}
	if len(fixtureFiles) == 0 {
		return fmt.Errorf("no fixtures (*.json) in %s", fixturesDir)
	}
	sort.Strings(fixtureFiles)
	// Buffer everything: a failing run prints nothing on stdout, only the error on stderr.
	var stdout bytes.Buffer
	enc := json.NewEncoder(&stdout)
	enc.SetEscapeHTML(false)
	for _, file := range fixtureFiles {
		out, err := runFixture(templates, fixturesDir, file)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if err := enc.Encode(out); err != nil {
			return err
		}
	}
	_, err = os.Stdout.Write(stdout.Bytes())
	return err
}

// parseTemplates parses each *.tmpl the way istiod does: a fresh template per file, the
// injection FuncMap, default options (istiod sets no missingkey option).
func parseTemplates(dir string) (map[string]*template.Template, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.tmpl"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no templates (*.tmpl) in %s", dir)
	}
	out := map[string]*template.Template{}
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(file), ".tmpl")
		t, err := template.New(filepath.Base(file)).Funcs(funcMap()).Parse(string(text))
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", file, err)
		}
		out[name] = t
	}
	return out, nil
}

func runFixture(templates map[string]*template.Template, fixturesDir, file string) (*output, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var fx fixture
	if err := decodeStrict(raw, &fx); err != nil {
		return nil, fmt.Errorf("read fixture: %w", err)
	}
	t, ok := templates[fx.Template]
	if !ok {
		return nil, fmt.Errorf("fixture asks for template %q, which is not in the templates directory", fx.Template)
	}
	var data SidecarTemplateData
	if err := decodeStrict(fx.Data, &data); err != nil {
		return nil, fmt.Errorf("read fixture data: %w", err)
	}
	if fx.ValuesFile != "" {
		if data.Values != nil {
			return nil, errors.New("set either valuesFile or data.Values, not both")
		}
		valuesRaw, err := os.ReadFile(filepath.Join(fixturesDir, fx.ValuesFile))
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(valuesRaw, &data.Values); err != nil {
			return nil, fmt.Errorf("read %s: %w", fx.ValuesFile, err)
		}
	}
	if data.Values == nil {
		data.Values = map[string]any{}
	}
	deepMerge(data.Values, fx.ValuesOverride)
	if data.ProxyConfig == nil || data.MeshConfig == nil {
		return nil, errors.New("data.ProxyConfig and data.MeshConfig are required (istiod always sets them)")
	}

	var buf bytes.Buffer
	if err := t.Execute(&buf, &data); err != nil {
		return nil, fmt.Errorf("execute %s.tmpl: %w", fx.Template, err)
	}
	rendered := buf.String()
	for i, line := range strings.Split(rendered, "\n") {
		for _, marker := range leakMarkers {
			if strings.Contains(line, marker) {
				return nil, fmt.Errorf("%s.tmpl output line %d contains %q (a missing or mistyped value): %s", fx.Template, i+1, marker, strings.TrimSpace(line))
			}
		}
	}
	name := strings.TrimSuffix(filepath.Base(file), ".json")
	return &output{Case: name, Fixture: filepath.Base(file), Template: fx.Template, Description: fx.Description, Rendered: rendered}, nil
}

func decodeStrict(raw []byte, into any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}

// deepMerge copies src into dst, merging nested objects and replacing everything else.
func deepMerge(dst, src map[string]any) {
	for k, v := range src {
		if sv, ok := v.(map[string]any); ok {
			if dv, ok := dst[k].(map[string]any); ok {
				deepMerge(dv, sv)
				continue
			}
		}
		dst[k] = v
	}
}
