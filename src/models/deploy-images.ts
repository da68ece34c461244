/**
 * The image the deploy gate's own steps run in, pinned by digest (the gcloud download reuses
 * `GCLOUD_IMAGE` from images.ts). Keep it one string literal on its own line with its source
 * comment above it, as in images.ts.
 */

/**
 * Node.js 24 (24.18.1; Debian bookworm, slim) for the fetch, verify, promote and deploy steps: they run
 * the bundled verifier (verifier-bundle.ts) with node's own `node:crypto`, `node:https` and `node:zlib`,
 * and `sha256sum` from coreutils. Runs as any uid.
 */
// Source: github.com/docker-library/repo-info, commit 2fb42a7c1204ce90c8bf85e458cec1447d6f2bbb,
// repos/node/remote/24-bookworm-slim.md (manifest list digest of `node:24-bookworm-slim`, NODE_VERSION=24.18.1).
export const NODE_IMAGE = 'docker.io/library/node:24-bookworm-slim@sha256:235600a8101ab264e117b1768e925532262668dc9b581ef1dd7d96ced463b8e7';
