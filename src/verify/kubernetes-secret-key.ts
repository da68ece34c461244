import { spawnSync } from 'node:child_process';
import { decodeStrictBase64 } from './strict-base64';
import { UnreadableInputError } from './verification-errors';

const REFERENCE = /^k8s:\/\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/;

/**
 * Reads the PEM text of the `cosign.pub` entry of a Kubernetes Secret named by
 * `k8s://NAMESPACE/SECRET`, as cosign does for `--key k8s://...`, by running
 * `kubectl get secret -n NAMESPACE SECRET -o jsonpath={.data.cosign\.pub}` (kubectl from PATH).
 * Throws {@link UnreadableInputError} when the reference is malformed, kubectl is missing or
 * fails, or the Secret has no such entry.
 */
export function readKubernetesSecretPublicKey(reference: string, env: NodeJS.ProcessEnv): string {
  const match = REFERENCE.exec(reference);
  if (!match) throw new UnreadableInputError(`key ${reference} is not of the form k8s://NAMESPACE/SECRET`);
  const [namespace, secret] = [match[1], match[3]];
  const result = spawnSync('kubectl', ['get', 'secret', '-n', namespace, secret, '-o', 'jsonpath={.data.cosign\\.pub}'], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 1024 * 1024,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnreadableInputError(`cannot read key ${reference}: kubectl is not on PATH`);
    throw new UnreadableInputError(`cannot read key ${reference}: kubectl failed (${result.error.message})`);
  }
  if (result.status !== 0) {
    const said = (result.stderr ?? '').trim().split('\n')[0] || `exit status ${result.status}`;
    throw new UnreadableInputError(`cannot read key ${reference}: kubectl get secret failed: ${said}`);
  }
  const data = (result.stdout ?? '').trim();
  if (data === '') throw new UnreadableInputError(`secret ${namespace}/${secret} has no data entry "cosign.pub"`);
  const decoded = decodeStrictBase64(data);
  if (!decoded.ok) throw new UnreadableInputError(`secret ${namespace}/${secret} data "cosign.pub" is not base64 (it ${decoded.error})`);
  return decoded.bytes.toString('utf8');
}
