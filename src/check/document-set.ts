import { asObject, asString, JsonObject } from '../tekton-model/json-shape';
import { isPacDocument, pacFilledInStrings, renderPacPlaceholders } from '../tekton-model/pac-placeholders';
import type { SourceRepository } from '../tekton-model/source-repository';
import { isTriggersObject } from '../tekton-model/triggers';

/** One Tekton object among the checked documents. */
export interface TektonDocument {
  /** The object as given (a Pipelines-as-Code document with its `{{ placeholders }}` read as unknown strings). */
  readonly object: JsonObject;
  /** `kind` of the object. */
  readonly kind: string;
  /** `metadata.name` (or `generateName` + `*`, or `<unnamed>`). */
  readonly name: string;
  /** Index among the checked documents. */
  readonly documentIndex: number;
  /**
   * True for a string of the object that what creates it filled in before Tekton sees it (a
   * Pipelines-as-Code `{{ placeholder }}`, read as its unknown string); absent when nothing is.
   */
  readonly filledIn?: (text: string) => boolean;
}

/** Kinds the rules judge. */
export const JUDGED_KINDS: ReadonlySet<string> = new Set(['Task', 'Pipeline', 'PipelineRun', 'TaskRun', 'StepAction']);

/**
 * Kinds the Tekton Pipelines v1.15.0 CRDs serve in the `tekton.dev` group that the rules do not
 * judge (config/300-crds: 300-customrun.yaml, 300-verificationpolicy.yaml), with their versions.
 */
export const SERVED_UNJUDGED_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  CustomRun: ['tekton.dev/v1beta1'],
  VerificationPolicy: ['tekton.dev/v1alpha1'],
};

/** The versions of `kind` in {@link SERVED_UNJUDGED_VERSIONS}, if it is one (a kind such as `valueOf` is not). */
export function servedUnjudgedVersions(kind: string): readonly string[] | undefined {
  return Object.hasOwn(SERVED_UNJUDGED_VERSIONS, kind) ? SERVED_UNJUDGED_VERSIONS[kind] : undefined;
}

/**
 * A document that is not judged by kind but is reported as a whole: a `tekton.dev` kind no CRD
 * serves, or no kind at all (in a `tekton.dev` document or one with `metadata`).
 */
export interface MisfitDocument {
  /** The object as given. */
  readonly object: JsonObject;
  /** `kind`, when it is a string. */
  readonly kind?: string;
  /** `apiVersion` as given. */
  readonly apiVersion: string;
  /** `metadata.name` (or `generateName` + `*`, or `<unnamed>`). */
  readonly name: string;
  /** Index among the checked documents. */
  readonly documentIndex: number;
}

/** True for `tekton.dev/*` objects (or objects without apiVersion, as cdk8s tests sometimes build them). */
function isTekton(object: JsonObject): boolean {
  const apiVersion = asString(object.apiVersion);
  return apiVersion === undefined || apiVersion.startsWith('tekton.dev/');
}

/** The documents to judge, and name lookups for `taskRef`, `pipelineRef` and step `ref`. */
export class DocumentSet {
  /** The judged documents, in input order. */
  public readonly judged: readonly TektonDocument[];
  /**
   * The documents the API server would refuse whole, in input order: a `tekton.dev` kind or
   * version the v1.15.0 CRDs do not serve (PipelineResource, Run, Condition, ClusterTask, a
   * Triggers kind under `tekton.dev`), and any document with an apiVersion and no kind.
   */
  public readonly misfits: readonly MisfitDocument[];
  /** The Tekton Triggers objects (`triggers.tekton.dev`: EventListener, Trigger, TriggerBinding, TriggerTemplate, ...), in input order. */
  public readonly triggers: readonly TektonDocument[];
  private readonly byKind = new Map<string, Map<string, TektonDocument[]>>();
  private readonly byIndex = new Map<number, TektonDocument>();
  private readonly lookups = new Map<string, DocumentLookup>();

  /**
   * Indexes `documents` (anything not a Tekton Task, Pipeline, PipelineRun, TaskRun or StepAction is skipped).
   * `sources` names where each document came from (e.g. its file): a reference resolves first among
   * documents of the referrer's own source.
   */
  public constructor(
    documents: readonly unknown[],
    private readonly sources?: readonly string[],
    private readonly repositories?: readonly (SourceRepository | undefined)[],
  ) {
    const judged: TektonDocument[] = [];
    const misfits: MisfitDocument[] = [];
    const triggers: TektonDocument[] = [];
    documents.forEach((doc, documentIndex) => {
      const given = asObject(doc);
      if (!given) return;
      // a Pipelines-as-Code PipelineRun is judged as PaC hands it to Tekton: its {{ placeholders }} are unknown strings
      const object = isPacDocument(given) ? (renderPacPlaceholders(given) as JsonObject) : given;
      const kind = asString(object.kind);
      const metadata = asObject(object.metadata);
      const name = asString(metadata?.name);
      const generateName = asString(metadata?.generateName);
      const label = name ?? (generateName ? `${generateName}*` : '<unnamed>');
      const apiVersion = asString(object.apiVersion);
      if (
        apiVersion !== undefined &&
        // no kind: in a tekton.dev document or one with metadata, as Kubernetes objects have (a Helm Chart.yaml has
        // an apiVersion, v1 or v2, but no kind and no metadata: not a manifest)
        (kind === undefined
          ? isTekton(object) || metadata !== undefined
          : !JUDGED_KINDS.has(kind) && isTekton(object) && !servedUnjudgedVersions(kind)?.includes(apiVersion))
      ) {
        misfits.push({ object, kind, apiVersion, name: label, documentIndex });
        return;
      }
      const triggersKind = isTriggersObject(object);
      if (kind === undefined || (!triggersKind && (!JUDGED_KINDS.has(kind) || !isTekton(object)))) return;
      const filled = pacFilledInStrings(object);
      const entry: TektonDocument =
        filled.size > 0
          ? { object, kind, name: label, documentIndex, filledIn: (text) => filled.has(text) }
          : { object, kind, name: label, documentIndex };
      (triggersKind ? triggers : judged).push(entry);
      this.byIndex.set(documentIndex, entry);
      if (name !== undefined) {
        let names = this.byKind.get(kind);
        if (!names) this.byKind.set(kind, (names = new Map()));
        const list = names.get(name);
        if (list) list.push(entry);
        else names.set(name, [entry]);
      }
    });
    this.judged = judged;
    this.misfits = misfits;
    this.triggers = triggers;
  }

  /** The document of `kind` named `name`, as {@link lookup} finds it; undefined when none or ambiguous. */
  public find(kind: string, name: string, fromIndex?: number): TektonDocument | undefined {
    return this.lookup(kind, name, fromIndex).document;
  }

  /**
   * Finds the document of `kind` named `name` that a reference from document `fromIndex` means.
   * With one candidate, that one. With sources: the first from the referrer's own source; else a
   * candidate outside any test-fixture folder, never one inside (unless the referrer sits in that
   * folder too); else the candidates in the directory nearest the referrer's (most leading
   * directories in common). When several remain that differ, the reference is `ambiguous` (as in
   * a catalog that holds several versions of a Task, where the cluster has only one of them): no
   * document, so nothing is judged against a copy the cluster may not have.
   */
  public lookup(kind: string, name: string, fromIndex?: number): DocumentLookup {
    const list = this.byKind.get(kind)?.get(name);
    if (!list) return NOTHING_FOUND;
    if (!this.sources || fromIndex === undefined) return { document: list[0], ambiguous: [] };
    if (list.length === 1 && !inOtherFixtureFolder(this.sources[list[0].documentIndex] ?? '', this.sources[fromIndex]))
      return { document: list[0], ambiguous: [] };
    // the answer depends only on the referrer's source: a Pipeline of 2000 tasks asks once
    const key = `${kind}\0${name}\0${this.sources[fromIndex]}`;
    let found = this.lookups.get(key);
    if (!found) this.lookups.set(key, (found = this.lookupAmong(list, this.sources, this.sources[fromIndex])));
    return found;
  }

  /**
   * Finds the document of `kind` named `name` whose file is exactly the one `at` accepts (given
   * its source and, when known, its place in a git repository): for a remote reference whose
   * version the tree identifies. A copy in a test-fixture folder is never that file (unless the
   * referrer sits in the same folder); several differing copies are `ambiguous`.
   */
  public lookupAt(
    kind: string,
    name: string,
    at: (source: string, repository: SourceRepository | undefined, referrer: string | undefined) => boolean,
    fromIndex?: number,
  ): DocumentLookup {
    const sources = this.sources;
    if (!sources) return NOTHING_FOUND;
    const referrer = fromIndex !== undefined ? sources[fromIndex] : undefined;
    const list = (this.byKind.get(kind)?.get(name) ?? []).filter((d) =>
      at(
        normalizePath(sources[d.documentIndex] ?? ''),
        this.repositories?.[d.documentIndex],
        referrer === undefined ? undefined : normalizePath(referrer),
      ),
    );
    return this.settle(list.filter((d) => !inOtherFixtureFolder(sources[d.documentIndex] ?? '', referrer)));
  }

  /** The judged document at `index`, if it is one. */
  public documentAt(index: number): TektonDocument | undefined {
    return this.byIndex.get(index);
  }

  /** Where document `index` sits in its git repository, when known. */
  public repositoryOf(index: number): SourceRepository | undefined {
    return this.repositories?.[index];
  }

  private lookupAmong(list: readonly TektonDocument[], sources: readonly string[], source: string | undefined): DocumentLookup {
    const same = list.find((d) => sources[d.documentIndex] === source);
    if (same) return { document: same, ambiguous: [] };
    let candidates = this.preferOutsideFixtures(list, sources, source);
    if (candidates.length > 1 && source !== undefined) {
      const depth = (d: TektonDocument): number => commonDirectoryDepth(source, sources[d.documentIndex] ?? '');
      const best = Math.max(...candidates.map(depth));
      candidates = candidates.filter((d) => depth(d) === best);
    }
    return this.settle(candidates);
  }

  /**
   * The candidates outside test-fixture folders (other than one the referrer sits in): a copy in a
   * fixture folder is never what a reference from outside it means, even when it is the only one
   * (Konflux's `task-generator/.../golden/` copies of its Tasks; then nothing is judged).
   */
  private preferOutsideFixtures(
    list: readonly TektonDocument[],
    sources: readonly string[],
    source: string | undefined,
  ): readonly TektonDocument[] {
    return list.filter((d) => !inOtherFixtureFolder(sources[d.documentIndex] ?? '', source));
  }

  /** One document when one candidate remains or all remaining are the same; else ambiguous (none: nothing found). */
  private settle(candidates: readonly TektonDocument[]): DocumentLookup {
    if (candidates.length === 0) return NOTHING_FOUND;
    if (candidates.length === 1) return { document: candidates[0], ambiguous: [] };
    const first = JSON.stringify(candidates[0].object.spec);
    if (candidates.every((d) => JSON.stringify(d.object.spec) === first)) return { document: candidates[0], ambiguous: [] };
    return { ambiguous: candidates };
  }

  /** Where document `index` came from (its file), when sources were given. */
  public sourceOf(index: number): string | undefined {
    return this.sources?.[index];
  }
}

/** What {@link DocumentSet.lookup} found. */
export interface DocumentLookup {
  /** The document meant, if one is. */
  readonly document?: TektonDocument;
  /** The same-named candidates, none of which is nearer than the others, when the name is ambiguous (else empty). */
  readonly ambiguous: readonly TektonDocument[];
}

const NOTHING_FOUND: DocumentLookup = Object.freeze({ ambiguous: Object.freeze([]) as readonly TektonDocument[] });

function normalizePath(file: string): string {
  return file.split('\\').join('/');
}

/**
 * Folder names that hold test fixtures rather than the objects a cluster is given: Tekton's
 * catalog keeps a Task's tests in `tests/`, Konflux its generator's expected output in `golden/`.
 */
const FIXTURE_FOLDERS: ReadonlySet<string> = new Set([
  'test',
  'tests',
  'testdata',
  '__tests__',
  'fixtures',
  '__fixtures__',
  'golden',
  'e2e',
]);

/** True when `file` sits in a test-fixture folder that `referrer` does not sit in. */
function inOtherFixtureFolder(file: string, referrer: string | undefined): boolean {
  const folder = fixtureFolderOf(file);
  return folder !== undefined && !(referrer !== undefined && normalizePath(referrer).startsWith(folder));
}

/** The path up to and including the first test-fixture folder of `file` (with a trailing `/`), if it is in one. */
export function fixtureFolderOf(file: string): string | undefined {
  const parts = normalizePath(file).split('/');
  for (let i = 0; i < parts.length - 1; i++) if (FIXTURE_FOLDERS.has(parts[i].toLowerCase())) return `${parts.slice(0, i + 1).join('/')}/`;
  return undefined;
}

/** How many leading directories the files `a` and `b` have in common. */
function commonDirectoryDepth(a: string, b: string): number {
  const x = normalizePath(a).split('/').slice(0, -1);
  const y = normalizePath(b).split('/').slice(0, -1);
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}
