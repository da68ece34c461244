/**
 * The container images the model pipeline runs, each pinned by digest.
 *
 * Every digest below is copied from the public source cited in the comment above it; none was computed
 * or guessed here. `scripts/update-image-digests.sh` rewrites them where a registry can be reached: keep
 * each image one string literal `'<registry/repo>:<tag>@sha256:<64 hex>'` on its own line, with its
 * source comment above it.
 */

/**
 * Git for the source task: Debian bookworm with git (the official `buildpack-deps:*-scm` image).
 * Runs as any uid; needs only `HOME` set to a writable directory.
 */
// Source: github.com/docker-library/repo-info, commit 0602e03cdbbe7a1db7a7919b4ace2d57c775f94f,
// repos/buildpack-deps/remote/bookworm-scm.md (manifest list digest of `buildpack-deps:bookworm-scm`).
export const GIT_IMAGE =
  'docker.io/library/buildpack-deps:bookworm-scm@sha256:ccb9f3efc3b2262f3cb7bebd9881e670f858f0fdb6208cfeb320f3adf4f48ae8';

/**
 * Python 3.11 for the training task (Debian bookworm, glibc: the TensorFlow and PyTorch wheels of the
 * model-transparency lock need it). Runs as any uid; packages go into a fresh virtual environment under /tmp
 * (the step's ephemeral storage), made with the image's ensurepip.
 */
// Source: github.com/docker-library/repo-info, commit 3effc3eac4f65a99767fd721667a1bf157496ba4,
// repos/python/remote/3.11.15-slim-bookworm.md (manifest list digest of `python:3.11.15-slim-bookworm`).
export const PYTHON_IMAGE =
  'docker.io/library/python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3';

/**
 * Google Cloud CLI 531.0.0 (Alpine; bash and python3 included) for the upload task. Runs as any uid with
 * `CLOUDSDK_CONFIG` pointed at a writable directory.
 */
// Source: github.com/muehlemann-popp/gke-deploy-tools, commit 8505b29cb1dda10865f64a55f789fe4b5dcfa643,
// Dockerfile line 1 (`FROM google/cloud-sdk:531.0.0-alpine@sha256:…`).
export const GCLOUD_IMAGE =
  'docker.io/google/cloud-sdk:531.0.0-alpine@sha256:18963f32aebecb6c25f7340f56815b49307bc526f7efaa7c6f3a2eb73f7426d9';

/**
 * PyTorch 2.5.1 with CUDA 12.4 and cuDNN 9 (Ubuntu, Python 3.11; torch reports `2.5.1+cu124`) for training
 * on NVIDIA GPUs: the `python` tool of the GPU run. Runs as any uid; the training task's virtual environment
 * sees its torch (`--system-site-packages`). The node's NVIDIA driver comes from GKE
 * (`gpu-driver-version=default`); CUDA 12.4 needs driver 550 or later.
 */
// Source: github.com/moodworks/fabrica-kit, commit 594c30fe9fa42a4ca8db618c04dd8e06974c18c9,
// services/sam-worker/Dockerfile line 1 (`FROM --platform=linux/amd64 pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime@sha256:…`;
// the same file checks the image's torch is 2.5.1+cu124 and its Python 3.11).
export const PYTORCH_CUDA_IMAGE =
  'docker.io/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime@sha256:c8268a92a69bd500f8be0e665b2630ee006dadaf7bfbc24249141b15ff622755';

/** Every pinned image, by the tool it provides (the keys of the pipeline's `tool-versions` param). */
export const PINNED_IMAGES = { git: GIT_IMAGE, python: PYTHON_IMAGE, gcloud: GCLOUD_IMAGE } as const;

/** Matches an image reference pinned by digest: `<registry/repo>:<tag>@sha256:<64 lowercase hex>` (tag optional). */
export const PINNED_IMAGE_PATTERN = /^[a-z0-9.-]+(?::[0-9]+)?\/[a-z0-9._/-]+(?::[A-Za-z0-9._-]+)?@sha256:[a-f0-9]{64}$/;
