/**
 * The EventListener's own ServiceAccount and what Triggers v0.37.0 documents for it
 * (docs/eventlisteners.md "Specifying the Kubernetes service account"), made narrower where the
 * sink does not need it:
 * - a RoleBinding, in the namespace, to Triggers' ClusterRole `tekton-triggers-eventlistener-roles`
 *   (read its Triggers objects and ConfigMaps, create PipelineRuns and TaskRuns, impersonate service
 *   accounts, write events: all in this namespace only);
 * - instead of a ClusterRoleBinding to `tekton-triggers-eventlistener-clusterroles` (which also reads
 *   every Secret of the cluster), a ClusterRole of our own that only reads `clusterinterceptors` and
 *   `clustertriggerbindings`. The sink does not read Secrets in v0.37.0: the GitHub interceptor runs
 *   in Triggers' core-interceptors Deployment under its own service account, and reads the webhook
 *   Secret there. What stays cluster-wide: reading those two cluster-scoped kinds (they hold no
 *   secret: interceptor addresses and CA bundles, and shared bindings).
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Triggers' ClusterRole for an EventListener's namespaced access (installed with Triggers). */
export const TRIGGERS_EVENTLISTENER_ROLES = 'tekton-triggers-eventlistener-roles';

/** Props of the `EventListenerServiceAccount`. */
export interface EventListenerServiceAccountProps {
  /** The ServiceAccount's name (also the bindings' and the ClusterRole's prefix). */
  readonly name: string;
  /** The namespace the EventListener runs in: a ClusterRoleBinding must name its subject's namespace. */
  readonly namespace: string;
}

/** A ServiceAccount for an EventListener, bound to the roles it needs and no more. */
export class EventListenerServiceAccount extends Construct {
  /** The ServiceAccount's name. */
  public readonly name: string;
  /** The cluster-scoped read-only ClusterRole. */
  public readonly clusterRole: ApiObject;

  public constructor(scope: Construct, id: string, props: EventListenerServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    const subject = { kind: 'ServiceAccount', name: props.name };
    new ApiObject(this, 'Resource', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: props.name } });
    new ApiObject(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `${props.name}-eventlistener` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: TRIGGERS_EVENTLISTENER_ROLES },
      subjects: [subject],
    });
    const clusterRoleName = `${props.name}-cluster-read`;
    this.clusterRole = new ApiObject(this, 'ClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterRoleName },
      rules: [
        {
          apiGroups: ['triggers.tekton.dev'],
          resources: ['clusterinterceptors', 'clustertriggerbindings'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    });
    new ApiObject(this, 'ClusterRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterRoleName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [{ ...subject, namespace: props.namespace }],
    });
  }
}
