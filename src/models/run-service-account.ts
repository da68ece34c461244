/**
 * The Kubernetes ServiceAccount the model pipeline's pods run as. Cloud access goes through Workload
 * Identity Federation for GKE: an IAM binding on this service account's principal
 * (`principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<project>.svc.id.goog/subject/ns/<namespace>/sa/<name>`),
 * made by the cluster script, so nothing project-specific is rendered here unless the app asks to
 * impersonate a Google service account.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** The annotation that makes GKE's metadata server impersonate a Google service account. */
export const GKE_GCP_SERVICE_ACCOUNT_ANNOTATION = 'iam.gke.io/gcp-service-account';

const GOOGLE_SERVICE_ACCOUNT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]@[a-z][a-z0-9-]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;

/** Props of the `RunServiceAccount`. */
export interface RunServiceAccountProps {
  /** The ServiceAccount's name. @default 'slsa-for-models' */
  readonly name?: string;
  /** The namespace. @default - none (the namespace `kubectl apply` targets) */
  readonly namespace?: string;
  /**
   * A Google service account (`NAME@PROJECT.iam.gserviceaccount.com`) to impersonate through the
   * `iam.gke.io/gcp-service-account` annotation. Leave unset to grant roles to the Kubernetes
   * service account's own principal instead. @default - none
   */
  readonly googleServiceAccount?: string;
}

/** A ServiceAccount for the runs, optionally annotated for Workload Identity impersonation. */
export class RunServiceAccount extends Construct {
  /** The ServiceAccount object. */
  public readonly apiObject: ApiObject;
  /** The ServiceAccount's name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: RunServiceAccountProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'slsa-for-models';
    const google = props.googleServiceAccount;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: this.name,
        namespace: props.namespace,
        annotations: google === undefined ? undefined : { [GKE_GCP_SERVICE_ACCOUNT_ANNOTATION]: google },
      },
    });
    this.node.addValidation({
      validate: () =>
        google === undefined || GOOGLE_SERVICE_ACCOUNT.test(google)
          ? []
          : [
              `ServiceAccount/${this.name}: google service account "${google}" is not of the form NAME@PROJECT.iam.gserviceaccount.com (6-30 characters each, lowercase letters, digits and hyphens)`,
            ],
    });
  }
}
