/**
 * OCI image references as Tekton Chains v0.29.2 reads them (through go-containerregistry's `name`
 * package): `registry/repository[:tag]@sha256:hex`, Docker Hub's defaults filled in.
 */

const OCI_TAG = /^[\w][\w.-]{0,127}$/;
const OCI_REPOSITORY = /^[a-z0-9_./-]{2,255}$/;
const OCI_REGISTRY = /^[a-zA-Z0-9.-]+(:[0-9]+)?$|^\[[0-9a-fA-F:]+\](:[0-9]+)?$/;

/**
 * Parses `repo[:tag]@sha256:hex` as go-containerregistry's `name.NewDigest` (default, non-strict options) and
 * returns the repository's full name (`index.docker.io/library/x` for `x`) with the hex digest, or undefined.
 */
export function parseOciDigestReference(reference: string): { repository: string; sha256: string } | undefined {
  const parts = reference.split('@');
  if (parts.length !== 2) return undefined;
  const [base, digest] = parts;
  if (!digest.startsWith('sha256:')) return undefined;
  const hex = digest.slice('sha256:'.length);
  if (!/^[a-f0-9]{64}$/.test(hex)) return undefined;
  let name = base;
  const colon = base.lastIndexOf(':');
  if (colon !== -1 && !base.slice(colon + 1).includes('/') && OCI_TAG.test(base.slice(colon + 1))) {
    name = base.slice(0, colon);
  }
  let registry = 'index.docker.io';
  let repository = name;
  const slash = name.indexOf('/');
  if (slash !== -1) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      repository = name.slice(slash + 1);
    }
  }
  if (!OCI_REGISTRY.test(registry)) return undefined;
  if (registry === 'index.docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  if (!OCI_REPOSITORY.test(repository)) return undefined;
  if (registry === 'docker.io') registry = 'index.docker.io';
  return { repository: `${registry}/${repository}`, sha256: hex };
}
