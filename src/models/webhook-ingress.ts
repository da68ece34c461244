/**
 * Exposure of an EventListener to GitHub through a GKE Ingress with TLS: a Google-managed
 * certificate (`ManagedCertificate`, networking.gke.io/v1) for the host, and an external HTTP(S)
 * load balancer (Ingress class `gce`) that serves HTTPS only and sends the host's requests to the
 * EventListener's Service. On a VPC-native cluster the load balancer reaches the pods through
 * network endpoint groups and takes its health check from the sink's readiness probe (`/live`).
 * The host's DNS record must point at the Ingress's address before the certificate is issued.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** A host name the certificate can be issued for: lowercase DNS labels, at least two, no wildcard. */
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Props of the `WebhookIngress`. */
export interface WebhookIngressProps {
  /** The public host name GitHub posts to, e.g. `hooks.example.com`. */
  readonly host: string;
  /** The Service to send requests to (the EventListener's `el-<name>`). */
  readonly serviceName: string;
  /** Its port. */
  readonly servicePort: number;
  /** The name of the Ingress and of its certificate. */
  readonly name: string;
}

/** A GKE Ingress with a Google-managed certificate in front of an EventListener. */
export class WebhookIngress extends Construct {
  /** The Ingress. */
  public readonly ingress: ApiObject;

  public constructor(scope: Construct, id: string, props: WebhookIngressProps) {
    super(scope, id);
    const certificate = `${props.name}-certificate`;
    new ApiObject(this, 'Certificate', {
      apiVersion: 'networking.gke.io/v1',
      kind: 'ManagedCertificate',
      metadata: { name: certificate },
      spec: { domains: [props.host] },
    });
    this.ingress = new ApiObject(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: props.name,
        annotations: {
          'kubernetes.io/ingress.class': 'gce',
          'networking.gke.io/managed-certificates': certificate,
          'kubernetes.io/ingress.allow-http': 'false',
        },
      },
      spec: {
        rules: [
          {
            host: props.host,
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: props.serviceName, port: { number: props.servicePort } } } },
              ],
            },
          },
        ],
      },
    });
    this.node.addValidation({
      validate: () =>
        HOST.test(props.host)
          ? []
          : [
              `Ingress/${props.name}: host "${props.host}" is not a lowercase DNS name with at least two labels (a managed certificate needs one, no wildcard)`,
            ],
    });
  }
}
