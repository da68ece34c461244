import { CheckContext, FieldValidation } from './check-context';
import { DocumentLookup, TektonDocument } from './document-set';
import { FieldPathSegment, Severity } from './finding';
import { FindingTarget, nestedTarget } from './finding-collector';
import { FeatureFlagSettings } from '../tekton-model/feature-flags';
import { RuleId } from './rule-catalog';
import type { SourceRepository } from '../tekton-model/source-repository';

/**
 * What a judge holds while it judges one spec: the spec's place (its `Kind/name`, document and
 * path) bound to the check's context, so a judge says only the rule, the path below the spec and
 * the message, and asks the documents and feature flags without carrying `(context, target)`.
 */
export class ScopedReporter {
  /**
   * A reporter for the spec at `target`; `filledIn`, when given, tells the variables that what
   * creates the object fills in before Tekton sees it (see {@link filledInBeforeTekton}).
   */
  public constructor(
    private readonly context: CheckContext,
    private readonly target: FindingTarget,
    private readonly filledIn?: (text: string) => boolean,
  ) {}

  /**
   * A reporter for the whole document `object` (`Kind/name`), the document at `documentIndex`;
   * what the document's creator fills in before Tekton (its {@link TektonDocument.filledIn}) is known to it.
   */
  public static forDocument(context: CheckContext, object: string, documentIndex: number): ScopedReporter {
    const filledIn = context.documents.documentAt(documentIndex)?.filledIn;
    return new ScopedReporter(context, { object, documentIndex, basePath: [] }, filledIn);
  }

  /** The cluster's feature flags, or undefined when unknown (then nothing is judged by them). */
  public get featureFlags(): FeatureFlagSettings | undefined {
    return this.context.featureFlags;
  }

  /**
   * True when `text` holds a variable that what creates the judged object fills in before Tekton
   * sees it, so that the name, expression or value Tekton sees is unknown here and is not judged
   * by its format: in a TriggerTemplate's resource template, Triggers' `$(tt.params.x)` and
   * `$(uid)`; in a Pipelines-as-Code document, a string that held a `{{ placeholder }}` (read as
   * its unknown string). False outside such an object.
   */
  public filledInBeforeTekton(text: string): boolean {
    return this.filledIn !== undefined && this.filledIn(text);
  }

  /** This reporter, judging an object whose variables `filledIn` recognises are filled in before Tekton sees it. */
  public fillingIn(filledIn: (text: string) => boolean): ScopedReporter {
    return new ScopedReporter(this.context, this.target, filledIn);
  }

  /** Reports one finding of `rule` at `path` (relative to the judged spec). */
  public report(rule: RuleId, path: readonly FieldPathSegment[], message: string, severity?: Severity): void {
    this.context.report(this.target, rule, path, message, severity);
  }

  /** A reporter for the spec nested at `path` below this one (an embedded taskSpec or pipelineSpec). */
  public nested(path: readonly FieldPathSegment[]): ScopedReporter {
    return new ScopedReporter(this.context, nestedTarget(this.target, path), this.filledIn);
  }

  /** Finds the document of `kind` named `name`, first among those of this document's source (see {@link DocumentSet.lookup}). */
  public lookup(kind: string, name: string): DocumentLookup {
    return this.context.documents.lookup(kind, name, this.target.documentIndex);
  }

  /** Finds the document of `kind` named `name` whose file `at` accepts (see {@link DocumentSet.lookupAt}). */
  public lookupAt(
    kind: string,
    name: string,
    at: (source: string, repository: SourceRepository | undefined, referrer: string | undefined) => boolean,
  ): DocumentLookup {
    return this.context.documents.lookupAt(kind, name, at, this.target.documentIndex);
  }

  /** The judged document this reporter's spec belongs to. */
  public document(): TektonDocument | undefined {
    return this.context.documents.documentAt(this.target.documentIndex);
  }

  /** Where this document came from (e.g. its file name), when known. */
  public source(): string | undefined {
    return this.context.documents.sourceOf(this.target.documentIndex);
  }

  /** Where this document's file sits in its git repository, when known. */
  public repository(): SourceRepository | undefined {
    return this.context.documents.repositoryOf(this.target.documentIndex);
  }

  /** How the API server is told to treat fields its schema prunes (kubectl's --validate). */
  public get fieldValidation(): FieldValidation {
    return this.context.fieldValidation;
  }

  /** Where the document at `documentIndex` came from (e.g. its file name), when known. */
  public sourceOf(documentIndex: number): string | undefined {
    return this.context.documents.sourceOf(documentIndex);
  }

  /** The check-wide memo of per-document facts: the value for `key`, computed with `make` the first time. */
  public remember<T>(key: object, make: () => T): T {
    return this.context.remember(key, make);
  }
}
