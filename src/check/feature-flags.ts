/**
 * The Tekton `feature-flags` ConfigMap as it bears on validation (Tekton v1.15.0,
 * `pkg/apis/config/feature_flags.go`). Only consulted when the caller passes the flags:
 * `check` cannot know a cluster's flags otherwise.
 */

/** API stability levels, in order. */
export type ApiFieldsLevel = 'stable' | 'beta' | 'alpha';

/** The flags the rules consult. */
export interface FeatureFlags {
  /** `enable-api-fields` (default `beta`). */
  readonly enableApiFields: ApiFieldsLevel;
  /** `enable-param-enum` (default false; `alpha` does not turn it on). */
  readonly enableParamEnum: boolean;
  /** `enable-cel-in-whenexpression` (default false). */
  readonly enableCelInWhenExpression: boolean;
  /** `enable-artifacts` (default false). */
  readonly enableArtifacts: boolean;
  /** `disable-inline-spec`: kinds (`pipeline`, `pipelinerun`, `taskrun`) where embedded specs are refused. */
  readonly disableInlineSpec: ReadonlySet<string>;
  /** `enable-concise-resolver-syntax` (default false). */
  readonly enableConciseResolverSyntax: boolean;
}

const LEVELS: readonly ApiFieldsLevel[] = ['stable', 'beta', 'alpha'];

/** Reads the `data` of a feature-flags ConfigMap; absent keys take Tekton's defaults. Throws on a value Tekton would refuse. */
export function parseFeatureFlags(data: Readonly<Record<string, string>>): FeatureFlags {
  const level = (data['enable-api-fields'] ?? 'beta').trim();
  if (!(LEVELS as readonly string[]).includes(level)) {
    throw new Error(`feature flag enable-api-fields is "${level}", expected one of ${LEVELS.join(', ')}`);
  }
  const bool = (key: string): boolean => {
    const v = data[key];
    if (v === undefined || v.trim() === '') return false;
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw new Error(`feature flag ${key} is "${v}", expected true or false`);
  };
  return {
    enableApiFields: level as ApiFieldsLevel,
    enableParamEnum: bool('enable-param-enum'),
    enableCelInWhenExpression: bool('enable-cel-in-whenexpression'),
    enableArtifacts: bool('enable-artifacts'),
    enableConciseResolverSyntax: bool('enable-concise-resolver-syntax'),
    disableInlineSpec: new Set((data['disable-inline-spec'] ?? '').split(',').map(s => s.trim()).filter(s => s !== '')),
  };
}

/** True when `enable-api-fields` admits fields of stability `needed`. */
export function apiFieldsEnabled(flags: FeatureFlags, needed: ApiFieldsLevel): boolean {
  return LEVELS.indexOf(flags.enableApiFields) >= LEVELS.indexOf(needed);
}
