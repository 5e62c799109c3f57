package main

// The template functions. istiod parses every template with sprig's TxtFuncMap and then its own
// InjectionFuncmap on top (pkg/kube/inject/inject.go parseTemplate; pkg/kube/inject/template.go),
// so istiod's functions shadow sprig's of the same name. Which istiod functions exist per minor,
// and which sprig functions the harness models, is data in catalog/injection-contract.yaml;
// funcMap builds the map for one minor from it. istiod's functions are reimplemented from their
// upstream behaviour with the same Go signatures (text/template checks argument types).

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

// istiodFuncs are the harness's implementations of istiod's functions, by name.
var istiodFuncs = map[string]any{
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
	"mergeMaps":           mergeMaps,
}

// sprigFuncs are the harness's implementations of the sprig functions it models.
var sprigFuncs = map[string]any{
	"default":    sprigDefault,
	"empty":      isEmpty,
	"quote":      quote,
	"squote":     squote,
	"dict":       dict,
	"list":       func(v ...any) []any { return v },
	"append":     sprigAppend,
	"join":       join,
	"hasKey":     func(d map[string]any, key string) bool { _, ok := d[key]; return ok },
	"set":        func(d map[string]any, key string, value any) map[string]any { d[key] = value; return d },
	"trim":       strings.TrimSpace,
	"trunc":      trunc,
	"trimSuffix": func(suffix, s string) string { return strings.TrimSuffix(s, suffix) },
	"toString":   strval,
	"nindent":    nindent,
	"ternary": func(vt, vf any, v bool) any {
		if v {
			return vt
		}
		return vf
	},
}

// funcMap is the function map of one minor: the modelled sprig functions, then exactly the
// istiod functions that minor's InjectionFuncmap has. A contract function the harness does not
// implement is still defined (a template using it parses, as in istiod) but fails when called,
// so an unmodelled function can never pass silently.
func funcMap(istiodNames, sprigNames []string) (template.FuncMap, error) {
	out := template.FuncMap{}
	for _, name := range sprigNames {
		f, ok := sprigFuncs[name]
		if !ok {
			return nil, fmt.Errorf("contract lists sprig function %q, which the harness does not model", name)
		}
		out[name] = f
	}
	for _, name := range istiodNames {
		if f, ok := istiodFuncs[name]; ok {
			out[name] = f
			continue
		}
		fname := name
		out[name] = func(...any) (string, error) {
			return "", fmt.Errorf("istiod function %q is not modelled by the harness; model it before a template uses it", fname)
		}
	}
	return out, nil
}

func mergeMaps(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// trunc is sprig's: the first c characters (the last -c when c is negative).
func trunc(c int, s string) string {
	if c < 0 && len(s)+c > 0 {
		return s[len(s)+c:]
	}
	if c >= 0 && len(s) > c {
		return s[:c]
	}
	return s
}

// nindent is sprig's: a newline, then every line padded.
func nindent(spaces int, v string) string {
	pad := strings.Repeat(" ", spaces)
	return "\n" + pad + strings.ReplaceAll(v, "\n", "\n"+pad)
}

func squote(vs ...any) string {
	out := []string{}
	for _, v := range vs {
		if v != nil {
			out = append(out, "'"+strval(v)+"'")
		}
	}
	return strings.Join(out, " ")
}

func sortStrings(s []string) { sort.Strings(s) }

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
	return structToJSON(m)
}

func toJSONMap(ms ...map[string]string) string { return toJSON(mergeMaps(ms...)) }

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

