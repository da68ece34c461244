import { asObject, asString, JsonObject } from './json-shape';

/** One Tekton object among the checked documents. */
export interface TektonDocument {
  /** The object as given. */
  readonly object: JsonObject;
  /** `kind` of the object. */
  readonly kind: string;
  /** `metadata.name` (or `generateName` + `*`, or `<unnamed>`). */
  readonly name: string;
  /** Index among the checked documents. */
  readonly documentIndex: number;
}

/** Kinds the rules judge. */
export const JUDGED_KINDS: ReadonlySet<string> = new Set(['Task', 'Pipeline', 'PipelineRun', 'TaskRun', 'StepAction']);

/** True for `tekton.dev/*` objects (or objects without apiVersion, as cdk8s tests sometimes build them). */
function isTekton(object: JsonObject): boolean {
  const apiVersion = asString(object.apiVersion);
  return apiVersion === undefined || apiVersion.startsWith('tekton.dev/');
}

/** The documents to judge, and name lookups for `taskRef`, `pipelineRef` and step `ref`. */
export class DocumentSet {
  /** The judged documents, in input order. */
  public readonly judged: readonly TektonDocument[];
  private readonly byKind = new Map<string, Map<string, TektonDocument[]>>();

  /**
   * Indexes `documents` (anything not a Tekton Task, Pipeline, PipelineRun, TaskRun or StepAction is skipped).
   * `sources` names where each document came from (e.g. its file): a reference resolves first among
   * documents of the referrer's own source.
   */
  public constructor(documents: readonly unknown[], private readonly sources?: readonly string[]) {
    const judged: TektonDocument[] = [];
    documents.forEach((doc, documentIndex) => {
      const object = asObject(doc);
      if (!object) return;
      const kind = asString(object.kind);
      if (kind === undefined || !JUDGED_KINDS.has(kind) || !isTekton(object)) return;
      const metadata = asObject(object.metadata);
      const name = asString(metadata?.name);
      const generateName = asString(metadata?.generateName);
      const entry: TektonDocument = { object, kind, name: name ?? (generateName ? `${generateName}*` : '<unnamed>'), documentIndex };
      judged.push(entry);
      if (name !== undefined) {
        let names = this.byKind.get(kind);
        if (!names) this.byKind.set(kind, (names = new Map()));
        const list = names.get(name);
        if (list) list.push(entry);
        else names.set(name, [entry]);
      }
    });
    this.judged = judged;
  }

  /** The document of `kind` named `name`: the first from the same source as document `fromIndex`, else the first of all. */
  public find(kind: string, name: string, fromIndex?: number): TektonDocument | undefined {
    const list = this.byKind.get(kind)?.get(name);
    if (!list) return undefined;
    if (this.sources && fromIndex !== undefined && list.length > 1) {
      const source = this.sources[fromIndex];
      const same = list.find(d => this.sources![d.documentIndex] === source);
      if (same) return same;
    }
    return list[0];
  }
}
