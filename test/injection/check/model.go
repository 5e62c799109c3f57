package main

// Models of the Go types istiod hands to its injection templates. Field names copy the
// upstream Go names (k8s.io/api core/v1, k8s.io/apimachinery meta/v1 and types,
// istio.io/api mesh/v1alpha1, sigs.k8s.io/gateway-api v1), so a template naming a field the
// real type lacks fails here as in istiod ("can't evaluate field"). Only the fields Meshplane's
// templates and fixtures use are modelled: a real field that is missing here fails too, which
// errs on the safe side. Which of these types make up the template data of each Istio minor
// is data, in catalog/injection-contract.yaml; typeByName maps its type names to these models.

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"
)

// TypeMeta models metav1.TypeMeta (the kind of the pod's owning workload).
type TypeMeta struct {
	Kind       string `json:"kind,omitempty"`
	APIVersion string `json:"apiVersion,omitempty"`
}

// NamespacedName models types.NamespacedName (DeploymentMeta from Istio 1.22).
type NamespacedName struct {
	Namespace string `json:"namespace,omitempty"`
	Name      string `json:"name,omitempty"`
}

// ObjectMeta models the metav1.ObjectMeta fields a pod or Gateway carries at admission time.
type ObjectMeta struct {
	Name         string            `json:"name,omitempty"`
	GenerateName string            `json:"generateName,omitempty"`
	Namespace    string            `json:"namespace,omitempty"`
	UID          string            `json:"uid,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
}

// PodSpec models the corev1.PodSpec fields the templates read.
type PodSpec struct {
	InitContainers     []Container       `json:"initContainers,omitempty"`
	Containers         []Container       `json:"containers,omitempty"`
	Volumes            []map[string]any  `json:"volumes,omitempty"`
	ServiceAccountName string            `json:"serviceAccountName,omitempty"`
	NodeName           string            `json:"nodeName,omitempty"`
	HostNetwork        bool              `json:"hostNetwork,omitempty"`
	NodeSelector       map[string]string `json:"nodeSelector,omitempty"`
}

// Container models the corev1.Container fields the templates read.
type Container struct {
	Name    string          `json:"name"`
	Image   string          `json:"image,omitempty"`
	Command []string        `json:"command,omitempty"`
	Args    []string        `json:"args,omitempty"`
	Ports   []ContainerPort `json:"ports,omitempty"`
}

// ContainerPort models corev1.ContainerPort.
type ContainerPort struct {
	Name          string `json:"name,omitempty"`
	HostPort      int32  `json:"hostPort,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
	HostIP        string `json:"hostIP,omitempty"`
}

// ServicePort models corev1.ServicePort (the kube-gateway data's Ports).
type ServicePort struct {
	Name       string `json:"name,omitempty"`
	Protocol   string `json:"protocol,omitempty"`
	Port       int32  `json:"port"`
	TargetPort int32  `json:"targetPort,omitempty"`
	// AppProtocol is a pointer upstream too; templates print it, which dereferences it.
	AppProtocol *string `json:"appProtocol,omitempty"`
}

// Gateway models sigs.k8s.io/gateway-api Gateway, embedded (as a pointer) in the kube-gateway data.
type Gateway struct {
	TypeMeta
	ObjectMeta
	Spec GatewaySpec `json:"spec"`
}

// GatewaySpec models the GatewaySpec fields the templates read.
type GatewaySpec struct {
	GatewayClassName string `json:"gatewayClassName"`
}

// ProxyConfig models istio.io/api mesh/v1alpha1 ProxyConfig: mesh defaultConfig merged with the
// pod's proxy.istio.io/config annotation (istiod merges before templating).
type ProxyConfig struct {
	DrainDuration                   *Duration         `json:"drainDuration,omitempty"`
	TerminationDrainDuration        *Duration         `json:"terminationDrainDuration,omitempty"`
	DiscoveryAddress                string            `json:"discoveryAddress,omitempty"`
	Concurrency                     *Int32Value       `json:"concurrency,omitempty"`
	InterceptionMode                InterceptionMode  `json:"interceptionMode,omitempty"`
	ProxyMetadata                   map[string]string `json:"proxyMetadata,omitempty"`
	StatusPort                      int32             `json:"statusPort,omitempty"`
	MeshId                          string            `json:"meshId,omitempty"`
	HoldApplicationUntilProxyStarts *BoolValue        `json:"holdApplicationUntilProxyStarts,omitempty"`
	Image                           *ProxyImage       `json:"image,omitempty"`
}

// ProxyImage models istio.io/api networking/v1beta1 ProxyImage.
type ProxyImage struct {
	ImageType string `json:"imageType,omitempty"`
}

// MeshConfig models the istio.io/api mesh/v1alpha1 MeshConfig fields the templates read.
type MeshConfig struct {
	ProxyListenPort        int32        `json:"proxyListenPort,omitempty"`
	ProxyInboundListenPort int32        `json:"proxyInboundListenPort,omitempty"`
	TrustDomain            string       `json:"trustDomain,omitempty"`
	RootNamespace          string       `json:"rootNamespace,omitempty"`
	EnablePrometheusMerge  *BoolValue   `json:"enablePrometheusMerge,omitempty"`
	DefaultConfig          *ProxyConfig `json:"defaultConfig,omitempty"`
}

// protoMessage stands in for proto.Message: protoToJSON accepts only the proto types.
type protoMessage interface{ isProtoMessage() }

func (*ProxyConfig) isProtoMessage() {}
func (*MeshConfig) isProtoMessage()  {}

// BoolValue models wrapperspb.BoolValue with its nil-safe getter.
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

// Int32Value models wrapperspb.Int32Value.
type Int32Value struct{ Value int32 }

// GetValue returns 0 for a nil receiver, like the generated protobuf getter.
func (i *Int32Value) GetValue() int32 {
	if i == nil {
		return 0
	}
	return i.Value
}

// MarshalJSON writes the bare value.
func (i Int32Value) MarshalJSON() ([]byte, error) { return json.Marshal(i.Value) }

// UnmarshalJSON reads the bare value.
func (i *Int32Value) UnmarshalJSON(data []byte) error { return json.Unmarshal(data, &i.Value) }

// Duration models durationpb.Duration; protojson spells it "45s".
type Duration struct{ D time.Duration }

// AsDuration models the durationpb getter.
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

// InterceptionMode models the ProxyConfig_InboundInterceptionMode enum: an int32 whose
// String() is the enum name, which fmt.Sprint (and so `annotation`) prints.
type InterceptionMode int32

// interceptionModeNames is the enum's name table in proto number order
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

// typeByName maps the upstream Go type names used in catalog/injection-contract.yaml to the
// models above. An unknown name is an error: the contract and this table must agree.
var typeByName = map[string]reflect.Type{
	"metav1.TypeMeta":         reflect.TypeOf(TypeMeta{}),
	"metav1.ObjectMeta":       reflect.TypeOf(ObjectMeta{}),
	"types.NamespacedName":    reflect.TypeOf(NamespacedName{}),
	"corev1.PodSpec":          reflect.TypeOf(PodSpec{}),
	"*meshconfig.ProxyConfig": reflect.TypeOf(&ProxyConfig{}),
	"*meshconfig.MeshConfig":  reflect.TypeOf(&MeshConfig{}),
	"map[string]any":          reflect.TypeOf(map[string]any{}),
	"map[string]string":       reflect.TypeOf(map[string]string{}),
	"string":                  reflect.TypeOf(""),
	"bool":                    reflect.TypeOf(false),
	"int":                     reflect.TypeOf(0),
	"int64":                   reflect.TypeOf(int64(0)),
	"[]corev1.ServicePort":    reflect.TypeOf([]ServicePort{}),
	"corev1.ServiceType":      reflect.TypeOf(""),
	"*gateway.Gateway":        reflect.TypeOf(&Gateway{}),
}

// embedded lists the contract fields that are embedded (anonymous) in the upstream struct,
// so their fields are promoted (derivedInput embeds TemplateInput, which embeds *gateway.Gateway).
var embedded = map[string]bool{"Gateway": true}

// dataType builds the template data struct of one minor from the contract's field list.
func dataType(fields map[string]string) (reflect.Type, error) {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sortStrings(names)
	out := make([]reflect.StructField, 0, len(names))
	for _, name := range names {
		t, ok := typeByName[fields[name]]
		if !ok {
			return nil, fmt.Errorf("field %s: the harness has no model of type %q", name, fields[name])
		}
		out = append(out, reflect.StructField{Name: name, Type: t, Anonymous: embedded[name], Tag: reflect.StructTag(fmt.Sprintf(`json:"%s"`, name))})
	}
	return reflect.StructOf(out), nil
}
