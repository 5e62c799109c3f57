// Ports of an istiod Service (docs/design.md, "Facts about a revisioned Istio install"); tag Services expose the same ports.
{
  istiodService: [
    { name: 'grpc-xds', port: 15010, protocol: 'TCP', targetPort: 15010 },
    { name: 'https-dns', port: 15012, protocol: 'TCP', targetPort: 15012 },
    { name: 'https-webhook', port: 443, protocol: 'TCP', targetPort: 15017 },
    { name: 'http-monitoring', port: 15014, protocol: 'TCP', targetPort: 15014 },
  ],
}
