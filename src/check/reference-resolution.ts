import * as path from 'node:path';
import { ScopedReporter } from './scoped-reporter';
import { DocumentLookup, TektonDocument } from './document-set';
import { FieldPathSegment } from './finding';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';
import { asObject, asString, JsonObject, nonEmptyString, objectsOf, quote } from '../tekton-model/json-shape';
import { isUrlLikeRefName, qualifiedNameProblem } from '../tekton-model/names';
import { normalizeGitUrl, SourceRepository } from '../tekton-model/source-repository';
import { pacAnnotatedResources, PacResource, pacRepositoryRoot } from '../tekton-model/pac-annotations';
import { isPacDocument } from '../tekton-model/pac-placeholders';

/** What a `taskRef`, `pipelineRef` or step `ref` came to. */
export interface ResolvedReference {
  /** The local document the reference was judged against, if any. */
  readonly document?: TektonDocument;
  /** True when Tekton fetches it through a resolver or bundle at run time. */
  readonly remote: boolean;
  /** True when Pipelines-as-Code inlines the document: Tekton then sees an embedded spec, not a reference. */
  readonly inlined?: boolean;
}

/** The resolver params of a remote reference, by name (string values only). */
function resolverParams(ref: JsonObject): Map<string, string> {
  const params = new Map<string, string>();
  for (const [p] of objectsOf(ref.params)) {
    const name = asString(p.name);
    const value = asString(p.value);
    if (name !== undefined && value !== undefined) params.set(name, value);
  }
  return params;
}

/**
 * Where the tree holds the exact file a remote reference fetches, or why it cannot: `name` and
 * `at` (which local files are that file) when it can, else `unchecked` (the reason, for the note).
 */
type RemoteLocation =
  | {
      readonly name: string;
      readonly describe: string;
      /** True when the file at `source` (in `repository`, when known) is that file, for a reference from the file at `referrer`. */
      readonly at: (source: string, repository: SourceRepository | undefined, referrer: string | undefined) => boolean;
      readonly unchecked?: undefined;
    }
  | { readonly unchecked: string; readonly name?: undefined };

/** The folder names of a kind in a catalog layout (`task/NAME/VERSION/`), as the Tekton catalog and Konflux's build-definitions lay them out. */
function layoutFolders(kind: string): readonly string[] {
  const folder = kind.toLowerCase();
  return [folder, `${folder}s`];
}

/**
 * A catalog layout location: the file sits directly in `KIND/NAME/VERSION/` (not in its `tests/` or
 * `samples/`) of the tree the referrer sits in (the folder above `KIND/` holds the referrer too), so
 * that one repository's bundle is not judged against another repository's catalog checked beside it.
 */
function catalogLayout(kind: string, name: string, versions: readonly string[], what: string): RemoteLocation {
  const folders = layoutFolders(kind);
  return {
    name,
    describe: `the catalog layout's ${folders[0]}/${name}/${versions[0]}/, the version ${what} names`,
    at: (source, _repository, referrer) => {
      const parts = source.split('/');
      const n = parts.length;
      if (!(n >= 4 && folders.includes(parts[n - 4]) && parts[n - 3] === name && versions.includes(parts[n - 2]))) return false;
      const root = parts.slice(0, n - 4).join('/');
      return referrer === undefined || root === '' || referrer.startsWith(`${root}/`);
    },
  };
}

/** The tag of an OCI image reference (`registry/repo:tag@sha256:...`), if it has one. */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) || undefined : undefined;
}

/** Where a bundle reference's version sits in the tree: its tag as `KIND/NAME/TAG/`. */
function bundleLocation(kind: string, bundle: string, name: string | undefined): RemoteLocation {
  if (bundle.includes('$(')) return { unchecked: `the bundle ${quote(bundle)} is given by a variable` };
  if (!name) return { unchecked: `no name of the ${kind} in bundle ${quote(bundle)} is given` };
  const tag = imageTag(bundle);
  if (!tag) return { unchecked: `bundle ${quote(bundle)} has no tag, so which version of ${quote(name)} it holds is not known here` };
  return catalogLayout(kind, name, [tag], "the bundle's tag");
}

/** Where a hub reference's version sits in the tree: the catalog's `KIND/NAME/VERSION/`. */
function hubLocation(kind: string, params: ReadonlyMap<string, string>): RemoteLocation {
  const name = params.get('name');
  const version = params.get('version');
  if (!name || name.includes('$(')) return { unchecked: 'the name param is missing or a variable' };
  if (!version || version.includes('$(')) return { unchecked: 'the version param is missing or a variable' };
  const exact = /^(\d+\.\d+)(?:\.0)?$/.exec(version);
  // the hub resolver reads a version constraint (">=0.7") as the newest version that meets it
  if (!exact) return { unchecked: `version ${quote(version)} is not one exact version, so the hub picks one at run time` };
  return catalogLayout(kind, name, [exact[1], `${exact[1]}.0`], 'the version param');
}

/** Where a git resolver reference sits in the tree: `pathInRepo` of a checked repository whose remote is the reference's `url` (or `org`/`repo`). */
function gitLocation(params: ReadonlyMap<string, string>, referrer: SourceRepository | undefined): RemoteLocation {
  const pathInRepo = params.get('pathInRepo')?.replace(/^\.?\/+/, '');
  if (!pathInRepo || pathInRepo.includes('$(')) return { unchecked: 'pathInRepo is missing or a variable' };
  const url = params.get('url');
  const org = params.get('org');
  const repo = params.get('repo');
  let remote: string | undefined;
  let matches: (remotes: readonly string[]) => boolean;
  if (url !== undefined) {
    remote = normalizeGitUrl(url);
    if (!remote) return { unchecked: `url ${quote(url)} is a variable or not a git URL` };
    const wanted = remote;
    matches = (remotes) => remotes.includes(wanted);
  } else if (org && repo && !`${org}/${repo}`.includes('$(')) {
    // the SCM API form: the repository is org/repo on the resolver's configured server
    const wanted = `/${org}/${repo}`.toLowerCase();
    remote = `${org}/${repo}`;
    matches = (remotes) => remotes.some((r) => r.endsWith(wanted));
  } else {
    // no url: the resolver's default-url (config-git-resolver) names the repository
    return { unchecked: "no url is given, so the repository is the git resolver's configured default-url" };
  }
  if (!referrer)
    return {
      unchecked: `it comes from ${remote}, and the git repository of this file is not known (no .git with a remote above it), so no local file is taken for it`,
    };
  if (!matches(referrer.remotes))
    return { unchecked: `it comes from another repository (${remote}; this file's repository is ${referrer.remotes.join(', ')})` };
  const name = path.posix.basename(pathInRepo).replace(/\.(ya?ml|json)$/i, '');
  return {
    name,
    describe: `${pathInRepo} of the same repository`,
    at: (_source, repository) => repository !== undefined && matches(repository.remotes) && repository.pathInRepo === pathInRepo,
  };
}

/** The URL prefixes under which a forge serves a repository's raw files (`REMOTE` is `host/owner/name`): GitHub's two, GitLab's. */
function rawFilePrefixes(remote: string): string[] {
  const [host, ...rest] = remote.split('/');
  const repository = rest.join('/');
  if (host === 'github.com') return [`raw.githubusercontent.com/${repository}/`, `github.com/${repository}/raw/`];
  return [`${remote}/-/raw/`];
}

/**
 * Where an http resolver reference sits in the tree: a raw-file URL of the checked file's own
 * repository (`https://raw.githubusercontent.com/OWNER/NAME/REF/PATH`, GitHub's `/raw/`, GitLab's
 * `/-/raw/`) is `PATH` of that repository, as a git resolver `pathInRepo` is; any other URL is not checked.
 */
function httpLocation(url: string | undefined, referrer: SourceRepository | undefined): RemoteLocation {
  if (!url || url.includes('$(')) return { unchecked: 'its url is missing or a variable' };
  const downloaded = `it is downloaded from ${quote(url)}`;
  const address = url.replace(/^https?:\/\//i, '').split(/[?#]/)[0];
  if (!referrer) return { unchecked: downloaded };
  for (const remote of referrer.remotes) {
    const prefix = rawFilePrefixes(remote).find((p) => address.toLowerCase().startsWith(p));
    if (!prefix) continue;
    const rest = address.slice(prefix.length); // REF/PATH, where REF may hold slashes (refs/heads/main)
    const name = path.posix.basename(rest).replace(/\.(ya?ml|json)$/i, '');
    return {
      name,
      describe: `the same file of this repository (the URL is a raw file of ${remote})`,
      at: (_source, repository) =>
        repository !== undefined && repository.remotes.includes(remote) && rest.endsWith(`/${repository.pathInRepo}`),
    };
  }
  return { unchecked: `${downloaded}, not a raw file of this file's repository` };
}

/** Where a remote reference's exact version sits in the tree, or why it is not looked for there. */
function remoteLocation(r: ScopedReporter, ref: JsonObject, kind: string): RemoteLocation {
  const resolver = nonEmptyString(ref.resolver);
  const bundle = nonEmptyString(ref.bundle);
  const params = resolverParams(ref);
  if (!resolver && bundle) return bundleLocation(kind, bundle, nonEmptyString(ref.name));
  switch (resolver) {
    case 'bundles':
      return bundleLocation(kind, params.get('bundle') ?? '', params.get('name'));
    case 'hub':
      return hubLocation(kind, params);
    case 'git':
      return gitLocation(params, r.repository());
    case 'cluster':
      return {
        unchecked: `the cluster resolver reads it from namespace ${quote(params.get('namespace') ?? "the run's own")} of the cluster`,
      };
    case 'http':
      return httpLocation(params.get('url'), r.repository());
    default:
      return { unchecked: resolver ? `${quote(resolver)} is a resolver check does not read` : 'the URL is resolved by the cluster' };
  }
}

/**
 * Resolves a reference (`taskRef`, `pipelineRef`, step `ref`) to a document of `kind` among those
 * checked. A resolver or bundle reference gets one `remote-reference` note: it is judged only
 * against the file the tree holds of its exact version (a bundle's tag or a hub version as the
 * catalog layout's `KIND/NAME/VERSION/`, a git `pathInRepo` of the same repository), never against
 * a same-named look-alike; else the note says why it was not checked. A local name that is not
 * among the documents gets a `ref-not-found` note: the cluster may have it.
 */
export function resolveReference(r: ScopedReporter, ref: JsonObject, at: readonly FieldPathSegment[], kind: string): ResolvedReference {
  const resolver = nonEmptyString(ref.resolver);
  const bundle = nonEmptyString(ref.bundle);
  const name = nonEmptyString(ref.name);
  if (!checkRefShape(r, ref, at, kind)) return { remote: false };
  const flags = r.featureFlags;
  if (flags && resolver && !apiFieldsEnabled(flags, 'beta')) {
    r.report(
      'feature-disabled',
      [...at, 'resolver'],
      `a resolver reference needs enable-api-fields "beta" or "alpha" (it is "${flags.enableApiFields}")`,
    );
  }
  if (flags && name && /^[\w-]+:\/\//.test(name) && !flags.enableConciseResolverSyntax) {
    r.report(
      'feature-disabled',
      [...at, 'name'],
      'a URL as ref name (concise resolver syntax) needs feature flag enable-concise-resolver-syntax: "true"',
    );
  }
  if (resolver || bundle || (name && /^[\w-]+:\/\//.test(name))) {
    const how = resolver ? `the ${quote(resolver)} resolver` : bundle ? `bundle ${quote(bundle)}` : `URL ${quote(name)}`;
    const location = remoteLocation(r, ref, kind);
    const found = location.name !== undefined ? r.lookupAt(kind, location.name, location.at) : undefined;
    const document = found?.document;
    const fetched = `the ${kind} is fetched through ${how} at run time`;
    let message: string;
    if (location.unchecked !== undefined) message = `${fetched}: not checked (${location.unchecked})`;
    else if (document)
      message = `${fetched}; judged against the local ${kind}/${document.name}${sourceNote(r, document)}, ${location.describe}`;
    else if (found && found.ambiguous.length > 0)
      message = `${fetched}: not checked (${found.ambiguous.length} different local ${kind}s named ${quote(location.name)} were read at ${location.describe})`;
    else message = `${fetched}: not checked (no ${kind} named ${quote(location.name)} was read at ${location.describe})`;
    r.report('remote-reference', at, message);
    return { document, remote: true };
  }
  if (!name) return { remote: false };
  const pac = resolvePacReference(r, ref, at, kind, name);
  if (pac) return pac;
  const version = asString(ref.version);
  if (version !== undefined) {
    // Konflux's build tooling turns `name` + `version` (not a Tekton field: field-unknown says so)
    // into a bundle of that version: only the catalog layout's copy of it is that Task
    const location = catalogLayout(kind, name, [version, `${version}.0`], "the ref's version field");
    if (location.name === undefined) return { remote: false };
    const exact = r.lookupAt(kind, location.name, location.at);
    if (!exact.document)
      r.report(
        'ref-not-found',
        at,
        `no ${kind} named ${quote(name)} was read at ${location.describe}: not checked (another version is not that ${kind})`,
      );
    return { document: exact.document, remote: false };
  }
  const found = lookUp(r, at, kind, name);
  const document = found.document;
  if (!document && found.ambiguous.length === 0) {
    r.report('ref-not-found', at, `no ${kind} named ${quote(name)} is among the checked documents: not checked (the cluster may have it)`);
  }
  return { document, remote: false };
}

/** How a note names a PaC resource. */
function describePacResource(resource: PacResource): string {
  switch (resource.from) {
    case 'url':
      return `URL ${quote(resource.value)}`;
    case 'catalog':
      return `the custom Hub catalog entry ${quote(resource.value)}`;
    case 'hub':
      return `the Hub (${quote(resource.value)})`;
    default:
      return `repository file ${quote(resource.path)}`;
  }
}

/**
 * Resolves a plain-name `taskRef` or `pipelineRef` of a Pipelines-as-Code document as PaC does
 * before Tekton sees the run (pipelines-as-code `pkg/resolve/remote.go` resolveRemoteResources,
 * `pkg/resolve/resolve.go` inlineTasks): first the Tasks (or the Pipeline) the document's
 * `pipelinesascode.tekton.dev/task`, `task-N` (`pipeline`) annotations name, then those in the
 * repository's `.tekton/` directory. An annotated file of the repository is judged as the one;
 * one PaC fetches (a URL, the Hub, a custom catalog) gets a `remote-reference` note instead of a
 * local look-alike. Undefined for a document that is not PaC's, or that is not in `.tekton/` and
 * names no such annotated resource: the ordinary lookup applies.
 */
function resolvePacReference(
  r: ScopedReporter,
  ref: JsonObject,
  at: readonly FieldPathSegment[],
  kind: string,
  name: string,
): ResolvedReference | undefined {
  const own = r.document();
  if (!own || !isPacDocument(own.object)) return undefined;
  if (kind !== 'Task' && kind !== 'Pipeline') return undefined;
  if (kind === 'Task' && ((ref.kind !== undefined && ref.kind !== 'Task') || ref.apiVersion !== undefined)) return undefined;
  const resources = pacAnnotatedResources(own.object, kind === 'Task' ? 'task' : 'pipeline');
  const source = r.source();
  const root = source !== undefined ? pacRepositoryRoot(source, r.repository()?.pathInRepo) : undefined;
  for (const resource of resources) {
    if (resource.from !== 'repository' || root === undefined) continue;
    const file = `${root}${resource.path}`;
    const found = r.lookupAt(kind, name, (s) => s === file || s === `./${file}`);
    if (found.document) return { document: found.document, remote: false, inlined: true };
  }
  const fetched = resources.find((resource) => resource.from !== 'repository' && resource.likelyName === name);
  if (fetched) {
    r.report(
      'remote-reference',
      at,
      `Pipelines-as-Code fetches the ${kind} from ${describePacResource(fetched)} (its ${kind === 'Task' ? 'task' : 'pipeline'} annotation) at run time and inlines it: not checked`,
    );
    return { remote: true };
  }
  if (root === undefined || source === undefined || !source.split('\\').join('/').includes('.tekton/')) return undefined;
  const tekton = `${root}.tekton/`;
  const found = r.lookupAt(kind, name, (s) => s.startsWith(tekton));
  if (found.document) return { document: found.document, remote: false, inlined: true };
  const remote = resources.filter((resource) => resource.from !== 'repository').map(describePacResource);
  if (found.ambiguous.length > 0) {
    r.report(
      'ref-ambiguous',
      at,
      `ambiguous: ${found.ambiguous.length} different ${kind}s named ${quote(name)} are in ${tekton}; Pipelines-as-Code inlines one of them: not checked`,
    );
  } else if (remote.length > 0) {
    // PaC names a fetched resource by what it holds, which only the fetch tells
    r.report(
      'remote-reference',
      at,
      `no ${kind} named ${quote(name)} is in ${tekton}, so it must be what Pipelines-as-Code fetches at run time from ${remote.join(', ')} (its annotations): not checked`,
    );
    return { remote: true };
  } else {
    r.report(
      'ref-not-found',
      at,
      `no ${kind} named ${quote(name)} is in ${tekton} or among the files its pipelinesascode.tekton.dev annotations name: not checked (Pipelines-as-Code refuses the run: "cannot find referenced task")`,
    );
  }
  return { remote: false };
}

/**
 * Judges a reference's shape as Tekton's `validateRef` does (the same for taskRef, pipelineRef and
 * step ref, v1 and v1beta1): `params` need a `resolver` and exclude `name`; beside a `resolver`, a
 * `name` must be a URL (concise resolver syntax); a plain `name` must be a qualified name; without
 * a resolver or params, a `name` is required; resolver param names are unique, ignoring case. Returns false when the name is missing or invalid, so
 * it is not looked up.
 */
function checkRefShape(r: ScopedReporter, ref: JsonObject, at: readonly FieldPathSegment[], kind: string): boolean {
  const resolver = nonEmptyString(ref.resolver);
  const name = nonEmptyString(ref.name);
  const hasParams = ref.params !== undefined && ref.params !== null;
  if (hasParams) {
    // validateRef's ValidateParameters: resolver param names are unique, ignoring case
    const seen = new Map<string, string>();
    for (const [p, i] of objectsOf(ref.params)) {
      const paramName = asString(p.name) ?? '';
      const earlier = seen.get(paramName.toLowerCase());
      if (earlier !== undefined)
        r.report(
          'param-name-duplicate',
          [...at, 'params', i, 'name'],
          `resolver param ${quote(paramName)} is given more than once${earlier === paramName ? '' : ` (as ${quote(earlier)}: Tekton compares names ignoring case)`}; give it once`,
        );
      else seen.set(paramName.toLowerCase(), paramName);
    }
    if (name)
      r.report(
        'ref-invalid',
        [...at, 'name'],
        `name ${quote(name)} is set beside params; a ${kind} reference has either a name or a resolver with params, not both`,
      );
    if (!resolver)
      r.report(
        'ref-invalid',
        [...at, 'params'],
        'params are set without a resolver; add the resolver that takes them (git, bundles, hub, cluster, http)',
      );
  }
  if (resolver && name && !isUrlLikeRefName(name)) {
    r.report(
      'ref-invalid',
      [...at, 'name'],
      `name ${quote(name)} is set beside resolver ${quote(resolver)} and is not a URL; beside a resolver, name is only the concise resolver syntax (a URL), so drop it and pass the ${kind}'s name in the resolver params`,
    );
  }
  if (!resolver && !hasParams && !name) {
    // validateRef's default case; a v1beta1 bundle reference is judged (and refused) by v1beta1-field-removed
    if (nonEmptyString(ref.bundle)) return true;
    r.report('ref-invalid', [...at, 'name'], `the ${kind} reference has no name and no resolver; name the ${kind}`);
    return false;
  }
  if (resolver || hasParams || !name) return true;
  if (isUrlLikeRefName(name)) {
    r.report('ref-invalid', [...at, 'resolver'], `the URL name ${quote(name)} (concise resolver syntax) needs a resolver; set resolver`);
    return true;
  }
  // filled in before Tekton sees it (Triggers' $(tt.params.x) in a resource template): the name Tekton sees is unknown, not judged
  if (r.filledInBeforeTekton(name)) return true;
  const problem = qualifiedNameProblem(name);
  if (problem) {
    r.report('ref-invalid', [...at, 'name'], `name ${quote(name)} is not a qualified name (${problem}), so Tekton refuses the reference`);
    return false;
  }
  return true;
}

/** Looks `name` up among the documents; an ambiguous name gets a `ref-ambiguous` note naming the candidates' files. */
function lookUp(r: ScopedReporter, at: readonly FieldPathSegment[], kind: string, name: string): DocumentLookup {
  const found = r.lookup(kind, name);
  if (found.ambiguous.length > 0) {
    const files = found.ambiguous.map((d) => r.sourceOf(d.documentIndex) ?? `document ${d.documentIndex + 1}`);
    const shown = files.length > 3 ? `${files.slice(0, 3).join(', ')} and ${files.length - 3} more` : files.join(', ');
    r.report(
      'ref-ambiguous',
      at,
      `ambiguous: ${found.ambiguous.length} different ${kind}s named ${quote(name)} were read (${shown}), none in this file or nearer than the others; not checked against any (check the one the cluster has together with this file)`,
    );
  }
  return found;
}

/** ` in FILE` for a document read from a file. */
function sourceNote(r: ScopedReporter, document: TektonDocument): string {
  const source = r.sourceOf(document.documentIndex);
  return source !== undefined ? ` in ${source}` : '';
}

/** The spec of a resolved document, when it is an object. */
export function specOf(document: TektonDocument | undefined): JsonObject | undefined {
  return document ? asObject(document.object.spec) : undefined;
}
