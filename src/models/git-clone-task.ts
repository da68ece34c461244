/**
 * The source task: clones a git repository at a revision into the workspace and records what it
 * checked out as a Chains `*_ARTIFACT_INPUTS` result (`uri` `git+<url>.git`, `digest` `sha1:<commit>`).
 */
import { ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { Task } from '../tekton/task';
import { HARDENED_STEP_SECURITY_CONTEXT } from './hardening';
import { DEFAULT_GIT_CLONE_RESOURCES, renderStepResources, StepResources, stepResourcesProblems } from './step-resources';
import { GIT_IMAGE } from './images';

/** The directory, inside the workspace, that the repository is checked out to. */
export const CHECKOUT_DIRECTORY = 'repo';

const PARAMS = {
  url: { description: 'The git repository to clone.' },
  revision: { description: 'The commit, branch or tag to check out; a full 40-hex commit is verified after the fetch.' },
  'git-image': { description: 'The image that provides git and bash, pinned by digest.', default: GIT_IMAGE },
} as const;

const RESULTS = {
  source_ARTIFACT_INPUTS: {
    type: 'object',
    description: 'The checked-out source for Tekton Chains: uri git+<url>.git and digest sha1:<commit>.',
    properties: { uri: {}, digest: {} },
  },
  commit: { description: 'The full sha1 of the checked-out commit.' },
} as const;

const WORKSPACES = {
  output: { description: `The repository is checked out into ${CHECKOUT_DIRECTORY}/ of this workspace.` },
} as const;

/** The clone step: bash, git and coreutils only; inputs from the environment so no value is pasted into the script. */
export const GIT_CLONE_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
case "$URL" in
  *'"'* | *\\\\* | *[[:cntrl:]]*) echo "git-clone: url must not contain quotes, backslashes or control characters: $URL" >&2; exit 1 ;;
esac
if [ -z "$REVISION" ]; then echo "git-clone: revision is empty; give a commit, branch or tag" >&2; exit 1; fi
rm -rf "$CHECKOUT_DIR"
mkdir -p "$CHECKOUT_DIR"
cd "$CHECKOUT_DIR"
git init --quiet
git config advice.detachedHead false
git remote add origin "$URL"
git fetch --quiet --depth 1 origin "$REVISION"
git checkout --quiet --detach FETCH_HEAD
commit="$(git rev-parse HEAD)"
if printf '%s' "$REVISION" | grep -Eq '^[0-9a-f]{40}$' && [ "$commit" != "$REVISION" ]; then
  echo "git-clone: asked for commit $REVISION but checked out $commit" >&2
  exit 1
fi
uri="$URL"
case "$uri" in git+*) ;; *) uri="git+$uri" ;; esac
case "$uri" in *.git) ;; *) uri="$uri.git" ;; esac
printf '{"uri":"%s","digest":"sha1:%s"}' "$uri" "$commit" > "$SOURCE_RESULT"
printf '%s' "$commit" > "$COMMIT_RESULT"
echo "git-clone: $URL at $commit"
`;

/** Props of the `GitCloneTask`. */
export interface GitCloneTaskProps {
  /** Metadata of the Task. @default - name `slsa-for-models-git-clone` */
  readonly metadata?: ApiObjectMetadata;
  /** CPU, memory and node disk of the step. @default DEFAULT_GIT_CLONE_RESOURCES (fits an e2-standard-4 node) */
  readonly resources?: StepResources;
}

/**
 * Clones `url` at `revision` into `<output>/repo` with a pinned git image and writes the Chains input
 * result `source_ARTIFACT_INPUTS` (and the bare `commit`). Chains v0.29.2 records it as a resolved
 * dependency of the PipelineRun once a Pipeline result passes it on.
 */
export class GitCloneTask extends Task<typeof PARAMS, typeof RESULTS, typeof WORKSPACES> {
  public constructor(scope: Construct, id: string, props: GitCloneTaskProps = {}) {
    super(scope, id, {
      metadata: { name: 'slsa-for-models-git-clone', ...props.metadata },
      description: 'Clones a git repository at a revision and records it for Tekton Chains as source_ARTIFACT_INPUTS (sha1 digest).',
      params: PARAMS,
      results: RESULTS,
      workspaces: WORKSPACES,
    });
    const resources = props.resources ?? DEFAULT_GIT_CLONE_RESOURCES;
    this.node.addValidation({ validate: () => stepResourcesProblems(resources, `Task/${this.taskName} step "clone"`) });
    this.addStep({
      name: 'clone',
      image: String(this.params['git-image']),
      securityContext: HARDENED_STEP_SECURITY_CONTEXT,
      computeResources: renderStepResources(resources),
      env: {
        URL: this.params.url,
        REVISION: this.params.revision,
        CHECKOUT_DIR: `${this.workspaces.output.path}/${CHECKOUT_DIRECTORY}`,
        SOURCE_RESULT: this.results.source_ARTIFACT_INPUTS.path,
        COMMIT_RESULT: this.results.commit.path,
        HOME: '/tmp',
      },
      script: GIT_CLONE_SCRIPT,
    });
  }
}
