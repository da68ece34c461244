/**
 * Params of a TriggerTemplate: Triggers' ParamSpec is a name, a description and a string default
 * (no type: every value a binding supplies is a string), and a template refers to one as
 * `$(tt.params.name)`. To hand a Pipeline an array or object param, build it inside the template
 * from string params (as `SlsaForModelsTrigger` builds `model-source` from `url` and `revision`).
 */
import { StringExpression } from '../tekton/expression';

/** One declared TriggerTemplate param. */
export interface TriggerParamSpec {
  /** What the param is for. @default - none */
  readonly description?: string;
  /** The value when no binding supplies one; makes the param optional. @default - required */
  readonly default?: string;
}

/** TriggerTemplate params by name. */
export type TriggerParamSpecs = { readonly [name: string]: TriggerParamSpec };

/** The references of declared template params, by name: each renders `$(tt.params.<name>)`. */
export type TriggerParamRefs<P extends TriggerParamSpecs> = { readonly [K in keyof P]: StringExpression };

/** Names of the params of `P` that have a default. */
export type OptionalTriggerParamNames<P> = { [K in keyof P]: P[K] extends { readonly default: string } ? K : never }[keyof P];

/** The values a binding supplies for template params `P`: every param without a default, no unknown name. */
export type TriggerParamValues<P> = { readonly [K in Exclude<keyof P, OptionalTriggerParamNames<P>>]: string } & {
  readonly [K in OptionalTriggerParamNames<P>]?: string;
};

/** Triggers' `$(uid)`: a random id Triggers substitutes once per event, the same in every resource template. */
export const TRIGGER_UID = new StringExpression('uid');

/**
 * The names Triggers substitutes: `$(tt.params.NAME)` with NAME matching this (tektoncd/triggers
 * `pkg/apis/triggers/v1beta1/trigger_template_validation.go` `paramsRegexp`; there is no bracket form).
 */
const TRIGGER_PARAM_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;

/** The reference `$(tt.params.<name>)`; throws on a name Triggers could not substitute. */
export function triggerParamRef(name: string): StringExpression {
  if (!TRIGGER_PARAM_NAME.test(name)) {
    throw new Error(
      `trigger template param "${name}" cannot be referenced as $(tt.params.${name}): a name is a letter or _ then letters, digits, _, . or -`,
    );
  }
  return new StringExpression(`tt.params.${name}`);
}

/** References for every declared param. */
export function triggerParamRefs<P extends TriggerParamSpecs>(specs: P): TriggerParamRefs<P> {
  return Object.fromEntries(Object.keys(specs).map((name) => [name, triggerParamRef(name)])) as TriggerParamRefs<P>;
}

/** The wire form `spec.params[]` of a TriggerTemplate, in declaration order. */
export function renderTriggerParamSpecs(specs: TriggerParamSpecs): { name: string; description?: string; default?: string }[] {
  return Object.entries(specs).map(([name, spec]) => ({ name, description: spec.description, default: spec.default }));
}
