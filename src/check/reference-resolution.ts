import * as path from 'node:path';
import { ScopedReporter } from './scoped-reporter';
import { DocumentLookup, TektonDocument } from './document-set';
import { FieldPathSegment } from './finding';
import { apiFieldsEnabled } from '../tekton-model/feature-flags';
import { asObject, asString, JsonObject, nonEmptyString, objectsOf, quote } from '../tekton-model/json-shape';
import { isUrlLikeRefName, qualifiedNameProblem } from '../tekton-model/names';

/** What a `taskRef`, `pipelineRef` or step `ref` came to. */
export interface ResolvedReference {
  /** The local document the reference was judged against, if any. */
  readonly document?: TektonDocument;
  /** True when Tekton fetches it through a resolver or bundle at run time. */
  readonly remote: boolean;
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

/** The name a remote reference most likely resolves to: the resolver's `name` param, else the base name of `pathInRepo`/`path`. */
function remoteName(params: ReadonlyMap<string, string>): string | undefined {
  const byName = params.get('name');
  if (byName) return byName;
  const file = params.get('pathInRepo') ?? params.get('path');
  if (file) return path.posix.basename(file).replace(/\.(ya?ml|json)$/, '');
  return undefined;
}

/**
 * Resolves a reference (`taskRef`, `pipelineRef`, step `ref`) to a document of `kind` among those
 * checked. A resolver or bundle reference gets a `remote-reference` note; when a document of the
 * same name was read alongside (the resolver's `name` param or the file name in `pathInRepo`),
 * it is judged against that local copy, and the note says so. A local name that is not among the
 * documents gets a `ref-not-found` note: the cluster may have it.
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
    const params = resolverParams(ref);
    const localName = remoteName(params) ?? (name && !name.includes('://') ? name : undefined);
    const found = localName !== undefined ? r.lookup(kind, localName, params.get('pathInRepo') ?? params.get('path')) : undefined;
    const document = found?.document;
    const how = resolver ? `the ${quote(resolver)} resolver` : bundle ? `bundle ${quote(bundle)}` : `URL ${quote(name)}`;
    r.report(
      'remote-reference',
      at,
      document
        ? `the ${kind} is fetched through ${how} at run time, so the remote copy was not checked; judged against the local ${kind}/${document.name} read alongside`
        : found && found.ambiguous.length > 0
          ? `the ${kind} is fetched through ${how} at run time: not checked (${found.ambiguous.length} different local ${kind}s named ${quote(localName)} were read, none nearer than the others)`
          : `the ${kind} is fetched through ${how} at run time: not checked`,
    );
    return { document, remote: true };
  }
  if (!name) return { remote: false };
  const found = lookUp(r, at, kind, name);
  const document = found.document;
  if (!document && found.ambiguous.length === 0) {
    r.report('ref-not-found', at, `no ${kind} named ${quote(name)} is among the checked documents: not checked (the cluster may have it)`);
  }
  return { document, remote: false };
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
  const problem = qualifiedNameProblem(name);
  if (problem) {
    r.report('ref-invalid', [...at, 'name'], `name ${quote(name)} is not a qualified name (${problem}), so Tekton refuses the reference`);
    return false;
  }
  return true;
}

/** Looks `name` up among the documents; an ambiguous name gets a `ref-ambiguous` note naming the candidates' files. */
function lookUp(r: ScopedReporter, at: readonly FieldPathSegment[], kind: string, name: string, pathHint?: string): DocumentLookup {
  const found = r.lookup(kind, name, pathHint);
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

/** The spec of a resolved document, when it is an object. */
export function specOf(document: TektonDocument | undefined): JsonObject | undefined {
  return document ? asObject(document.object.spec) : undefined;
}
