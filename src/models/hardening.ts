/**
 * How the model pipeline's steps are locked down: no privilege escalation, no Linux capabilities,
 * the runtime's default seccomp profile, and a fixed non-root user. All three images run as any uid
 * (each step points `HOME`, the gcloud config and the Python virtual environment at writable
 * directories), so no step needs root.
 */
import { TaskSpecStepsSecurityContext } from '../../imports/tekton.dev';

/** The uid and gid every step runs as (the conventional `nonroot` id of distroless images). */
export const NON_ROOT_ID = 65532;

/** The security context of every step of the model pipeline's Tasks. */
export const HARDENED_STEP_SECURITY_CONTEXT: TaskSpecStepsSecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  runAsNonRoot: true,
  runAsUser: NON_ROOT_ID,
  runAsGroup: NON_ROOT_ID,
  seccompProfile: { type: 'RuntimeDefault' },
};

/**
 * The pod security context of every run's TaskRun pods: Pod Security "restricted" at pod level, the
 * steps' user, and the volumes' files given to its group (changed only where the root's owner differs).
 */
export const RESTRICTED_POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: NON_ROOT_ID,
  runAsGroup: NON_ROOT_ID,
  fsGroup: NON_ROOT_ID,
  fsGroupChangePolicy: 'OnRootMismatch',
  seccompProfile: { type: 'RuntimeDefault' },
} as const;
