import type { NodeSDK } from '@opentelemetry/sdk-node';

/** Starts OpenTelemetry tracing when an OTLP endpoint is configured; otherwise does nothing. */
export async function startTracing(endpoint: string | undefined): Promise<NodeSDK | undefined> {
  if (!endpoint) return undefined;
  const [{ NodeSDK }, { OTLPTraceExporter }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ]);
  const sdk = new NodeSDK({
    serviceName: 'newhms',
    traceExporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
  });
  sdk.start();
  return sdk;
}
