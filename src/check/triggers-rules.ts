import { CheckContext } from './check-context';
import { TektonDocument } from './document-set';
import { FieldPathSegment } from './finding';
import { ScopedReporter } from './scoped-reporter';
import { checkPipelineRunSpec, checkTaskRunSpec } from './run-rules';
import { compileCelExpression } from '../tekton-model/cel-expressions';
import { asObject, asString, JsonObject, listNames, objectsOf, quote } from '../tekton-model/json-shape';
import { forEachString } from '../tekton-model/string-walk';
import { isDns1123Label, isDns1123Subdomain, labelValueProblem, qualifiedNameProblem } from '../tekton-model/names';
import {
  BindingParam,
  findTriggerTemplateParams,
  holdsTriggersVariable,
  readBindingParams,
  readTriggerBindings,
  readTriggerTemplateParams,
  readTriggerTemplateRef,
  readTriggersVariables,
  unterminatedBindingExpression,
} from '../tekton-model/triggers';
import { findVariableReferences } from '../tekton-model/variable-references';

/**
 * Judges one Tekton Triggers object (`triggers.tekton.dev`) as Triggers v0.37.0 would: a
 * TriggerTemplate's resource templates (declared `$(tt.params.x)`, no `$(params.x)` outside an
 * embedded spec, and each PipelineRun or TaskRun judged against what it runs), a TriggerBinding's
 * params, and a Trigger's (or an EventListener's inline trigger's) bindings against its template
 * and its CEL interceptors compiled, and an EventListener's trigger groups and selectors.
 */
export function checkTriggersDocument(context: CheckContext, document: TektonDocument): void {
  // an EventListener without a spec is judged as an empty one (Triggers validates the zero spec)
  const spec = asObject(document.object.spec) ?? (document.kind === 'EventListener' ? {} : undefined);
  if (!spec) return;
  const root = ScopedReporter.forDocument(context, `${document.kind}/${document.name}`, document.documentIndex);
  const r = root.nested(['spec']);
  const legacy = asString(document.object.apiVersion) === 'triggers.tekton.dev/v1alpha1';
  switch (document.kind) {
    case 'TriggerTemplate':
      checkTriggerTemplateSpec(r, spec);
      return;
    case 'TriggerBinding':
    case 'ClusterTriggerBinding':
      checkBindingParams(r, spec);
      return;
    case 'Trigger':
      checkTriggerSpec(r, spec, legacy);
      return;
    case 'EventListener': {
      // Triggers names the EventListener's Service `el-NAME` (event_listener_validation.go Validate)
      const name = asString(asObject(document.object.metadata)?.name) ?? '';
      if (name.length > 60)
        root.report(
          'event-listener-name-invalid',
          ['metadata', 'name'],
          `name ${quote(name)} is ${name.length} characters long; Triggers allows an EventListener at most 60 (its Service is el-NAME)`,
        );
      checkEventListenerSpec(r, spec, legacy);
      return;
    }
    default:
      return;
  }
}

/**
 * An EventListener spec (event_listener_validation.go `EventListenerSpec.validate`): it selects
 * some trigger; its inline triggers are judged as Triggers, `triggerRef` looked up; each trigger
 * group has interceptors (judged as a trigger's are) and a selector; and the label and namespace
 * selectors are read as the sink reads them on every event (`sink.go` `selectTriggers`).
 */
function checkEventListenerSpec(r: ScopedReporter, spec: JsonObject, legacy: boolean): void {
  const triggers = objectsOf(spec.triggers);
  // v1alpha1 has no triggerGroups (its validation does not count them)
  const groups = legacy ? [] : objectsOf(spec.triggerGroups);
  if (!hasSelector(spec) && groups.length === 0 && triggers.length === 0)
    r.report(
      'event-listener-triggers-missing',
      [],
      'the EventListener names no triggers, triggerGroups, labelSelector or namespaceSelector.matchNames, so Triggers refuses it; add the triggers it serves',
    );
  for (const [trigger, i] of triggers) {
    checkListenerTrigger(r.nested(['triggers', i]), trigger);
    if (asString(trigger.triggerRef)) {
      const name = asString(trigger.triggerRef)!;
      if (!r.lookup('Trigger', name).document)
        r.report(
          'ref-not-found',
          ['triggers', i, 'triggerRef'],
          `no Trigger named ${quote(name)} is among the checked documents: not checked (the cluster may have it)`,
        );
      continue;
    }
    checkTriggerSpec(r.nested(['triggers', i]), trigger, legacy);
  }
  const everyEvent = 'so the EventListener answers every event with an error and creates nothing';
  checkLabelSelector(r, spec.labelSelector, ['labelSelector'], everyEvent);
  checkMatchNames(r, spec.namespaceSelector, ['namespaceSelector']);
  for (const [group, i] of groups) {
    const g = r.nested(['triggerGroups', i]);
    if (objectsOf(group.interceptors).length === 0)
      g.report(
        'trigger-group-invalid',
        ['interceptors'],
        'the trigger group has no interceptors, so Triggers refuses the EventListener; give it the interceptors its Triggers share',
      );
    else checkInterceptors(g, group, legacy, 'group');
    const selector = asObject(group.triggerSelector) ?? {};
    if (!hasSelector(selector))
      g.report(
        'trigger-group-invalid',
        ['triggerSelector'],
        'the trigger group has no triggerSelector.labelSelector or triggerSelector.namespaceSelector.matchNames, so Triggers refuses the EventListener; select the Triggers of the group',
      );
    const none = 'so the trigger group processes no Trigger on any event';
    checkLabelSelector(g, selector.labelSelector, ['triggerSelector', 'labelSelector'], none);
    checkMatchNames(g, selector.namespaceSelector, ['triggerSelector', 'namespaceSelector']);
  }
}

/**
 * What Triggers' webhook asks of an EventListener's trigger itself (`EventListenerTrigger.validate`):
 * a template or a triggerRef, a triggerRef alone, and a name that is a label value (Triggers labels
 * what the trigger creates with it).
 */
function checkListenerTrigger(r: ScopedReporter, trigger: JsonObject): void {
  const given = (field: string): boolean => trigger[field] !== undefined && trigger[field] !== null;
  const ref = asString(trigger.triggerRef);
  if (!ref && !given('template'))
    r.report(
      'event-listener-trigger-invalid',
      [],
      'the trigger has neither a template nor a triggerRef, so Triggers refuses the EventListener; name the TriggerTemplate or the Trigger',
    );
  const beside = ['template', 'bindings', 'interceptors'].filter(given);
  if (ref && beside.length > 0)
    r.report(
      'event-listener-trigger-invalid',
      [beside[0]],
      `the trigger has a triggerRef and ${beside.join(', ')}, so Triggers refuses the EventListener; keep the triggerRef alone (the Trigger holds the rest) or drop it`,
    );
  const name = asString(trigger.name);
  const problem = name === undefined ? undefined : labelValueProblem(name);
  if (problem)
    r.report(
      'event-listener-trigger-invalid',
      ['name'],
      `trigger name ${quote(name!)} is not a label value (${problem}), so Triggers refuses the EventListener`,
    );
}

/** A labelSelector (any mapping, `{}` included: Triggers tests it for nil) or a non-empty namespaceSelector.matchNames. */
function hasSelector(holder: JsonObject): boolean {
  const labelSelector = holder.labelSelector;
  const matchNames = asObject(holder.namespaceSelector)?.matchNames;
  return (labelSelector !== undefined && labelSelector !== null) || (Array.isArray(matchNames) && matchNames.length > 0);
}

const SELECTOR_OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * A label selector as the sink turns it into one on every event (k8s.io/apimachinery
 * `metav1.LabelSelectorAsSelector`, `labels.NewRequirement`): keys are qualified names, values
 * label values, the operator one of In, NotIn (with values), Exists, DoesNotExist (without).
 */
function checkLabelSelector(r: ScopedReporter, value: unknown, at: readonly FieldPathSegment[], consequence: string): void {
  const selector = asObject(value);
  if (!selector) return;
  const refuse = (path: readonly FieldPathSegment[], what: string): void =>
    r.report('label-selector-invalid', path, `${what}, ${consequence} ("failed to create label selector")`);
  const checkKey = (key: string, path: readonly FieldPathSegment[]): void => {
    const problem = qualifiedNameProblem(key);
    if (problem) refuse(path, `label key ${quote(key)} is not a qualified name (${problem})`);
  };
  const checkValue = (v: unknown, path: readonly FieldPathSegment[]): void => {
    // a value that is not a string fails to decode: not this rule's to judge
    const problem = typeof v === 'string' ? labelValueProblem(v) : undefined;
    if (problem) refuse(path, `label value ${quote(v as string)} is not a label value (${problem})`);
  };
  for (const [key, v] of Object.entries(asObject(selector.matchLabels) ?? {})) {
    checkKey(key, [...at, 'matchLabels', key]);
    checkValue(v, [...at, 'matchLabels', key]);
  }
  for (const [expression, i] of objectsOf(selector.matchExpressions)) {
    const path: FieldPathSegment[] = [...at, 'matchExpressions', i];
    const operator = asString(expression.operator) ?? '';
    const values = Array.isArray(expression.values) ? (expression.values as unknown[]) : [];
    checkKey(asString(expression.key) ?? '', [...path, 'key']);
    if (!SELECTOR_OPERATORS.has(operator))
      refuse([...path, 'operator'], `operator ${quote(operator)} is not In, NotIn, Exists or DoesNotExist`);
    else if ((operator === 'In' || operator === 'NotIn') && values.length === 0)
      refuse([...path, 'values'], `operator ${operator} needs at least one value`);
    else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0)
      refuse([...path, 'values'], `operator ${operator} takes no values`);
    values.forEach((v, j) => checkValue(v, [...path, 'values', j]));
  }
}

/**
 * A namespaceSelector's matchNames as the sink lists Triggers with them (`sink.go`
 * `selectTriggers`): `*` alone selects every namespace; any other entry is a namespace name, so
 * one that is not a DNS-1123 label (a `*` beside other names included) selects nothing.
 */
function checkMatchNames(r: ScopedReporter, value: unknown, at: readonly FieldPathSegment[]): void {
  const names = asObject(value)?.matchNames;
  if (!Array.isArray(names) || (names.length === 1 && names[0] === '*')) return;
  names.forEach((name: unknown, i) => {
    // an empty name lists every namespace (client-go reads "" as all namespaces)
    if (typeof name !== 'string' || name === '' || isDns1123Label(name)) return;
    r.report(
      'namespace-selector-invalid',
      [...at, 'matchNames', i],
      name === '*'
        ? 'matchNames entry "*" selects every namespace only as the one entry; beside other names it is read as a namespace named "*", which selects no Trigger'
        : `matchNames entry ${quote(name)} is not a namespace name (a DNS-1123 label), so it selects no Trigger`,
    );
  });
}

/** A TriggerTemplate spec (or a Trigger's inline template spec). */
function checkTriggerTemplateSpec(r: ScopedReporter, spec: JsonObject): void {
  const templates = objectsOf(spec.resourcetemplates);
  if (templates.length === 0) {
    r.report('trigger-template-invalid', ['resourcetemplates'], 'resourcetemplates is missing or empty; add the resource to create');
    return;
  }
  const declared = new Set(readTriggerTemplateParams(spec).map((p) => p.name));
  for (const [resource, i] of templates) {
    const at: FieldPathSegment[] = ['resourcetemplates', i];
    for (const field of ['kind', 'apiVersion'] as const) {
      if (!asString(resource[field]))
        r.report(
          'trigger-template-invalid',
          [...at, field],
          `the resource template has no ${field}, so Triggers refuses the template; set it`,
        );
    }
    const reported = new Set<string>();
    forEachString(resource, at, (text, path) => {
      for (const p of findTriggerTemplateParams(text)) {
        if (declared.has(p.name) || reported.has(p.name)) continue;
        reported.add(p.name);
        r.report(
          'trigger-template-param-undeclared',
          path,
          `${p.text} is not declared in spec.params, so Triggers refuses the template (declared: ${listNames(declared)})`,
        );
      }
    });
    checkParamsReferences(r, resource, at, declared);
    judgeResourceAsRun(r, resource, at);
  }
}

/** `$(params.x)` in the template's own fields: Triggers replaces only `$(tt.params.x)`. Inside an embedded pipelineSpec/taskSpec it is Tekton's own. */
function checkParamsReferences(r: ScopedReporter, value: unknown, path: readonly FieldPathSegment[], declared: ReadonlySet<string>): void {
  if (typeof value === 'string') {
    for (const ref of findVariableReferences(value)) {
      if (ref.kind !== 'params') continue;
      const name = ref.name ?? ref.text.replace(/^\$\(params\.?|\)$/g, '');
      r.report(
        'trigger-template-params-reference',
        path,
        `${ref.text} is left as it is: Triggers substitutes only $(tt.params.NAME) in a resource template${declared.has(name) ? `; write $(tt.params.${name})` : ''}`,
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkParamsReferences(r, v, [...path, i], declared));
    return;
  }
  const object = asObject(value);
  if (!object) return;
  for (const [k, v] of Object.entries(object)) {
    if (k === 'pipelineSpec' || k === 'taskSpec') continue;
    checkParamsReferences(r, v, [...path, k], declared);
  }
}

/**
 * A resource template that is a Tekton PipelineRun or TaskRun is judged as the run it becomes,
 * with every `$(tt.params.x)` and `$(uid)` read as an unknown string: in its name as the param's
 * name; elsewhere the run rules ask the reporter, which knows what Triggers fills in, and do not
 * judge such a value's format (a duration, a status, an onError, an enum, a ref name).
 */
function judgeResourceAsRun(r: ScopedReporter, resource: JsonObject, at: readonly FieldPathSegment[]): void {
  const apiVersion = asString(resource.apiVersion);
  if (apiVersion !== 'tekton.dev/v1' && apiVersion !== 'tekton.dev/v1beta1') return;
  if (resource.kind !== 'PipelineRun' && resource.kind !== 'TaskRun') return;
  const metadata = asObject(resource.metadata);
  for (const field of ['name', 'generateName'] as const) {
    const written = asString(metadata?.[field]);
    if (written === undefined) continue;
    // the name the run gets: each $(tt.params.x) read as its param's name, $(uid) as a UUID, five random characters after a generateName
    const name = readTriggersVariables(written, (param) => param.toLowerCase(), UID) + (field === 'generateName' ? 'abcde' : '');
    if (!isDns1123Subdomain(name) || name.length > 63)
      r.report(
        'metadata-name-invalid',
        [...at, 'metadata', field],
        `${field} ${quote(written)} does not make a DNS-1123 subdomain of at most 63 characters (with each $(tt.params.x) read as its name), so the API server refuses the ${resource.kind} Triggers creates`,
      );
  }
  const spec = asObject(resource.spec);
  if (!spec) return;
  // what Triggers fills in is unknown to the run rules: a name, an expression, a duration (a templated
  // timeouts.pipeline bounds nothing), a status or an onError Tekton never sees as written
  const run = r.nested([...at, 'spec']).fillingIn(holdsTriggersVariable);
  if (resource.kind === 'PipelineRun') checkPipelineRunSpec(run, spec);
  else if (resource.kind === 'TaskRun') checkTaskRunSpec(run, spec);
}

const UID = '0f5b2a3c-9d1e-4f6a-8b7c-1d2e3f4a5b6c';

/** A TriggerBinding's params: distinct names, terminated `$(` expressions. */
function checkBindingParams(r: ScopedReporter, spec: JsonObject): void {
  const seen = new Set<string>();
  for (const [p, i] of objectsOf(spec.params)) {
    const name = asString(p.name) ?? '';
    if (seen.has(name))
      r.report(
        'trigger-binding-param-duplicate',
        ['params', i, 'name'],
        `param ${quote(name)} is declared twice; Triggers refuses the binding`,
      );
    seen.add(name);
    const value = asString(p.value) ?? '';
    if (unterminatedBindingExpression(value))
      r.report(
        'trigger-binding-value-invalid',
        ['params', i, 'value'],
        `value ${quote(value)} opens $( without closing it; close each $(...)`,
      );
  }
}

/** A Trigger spec (or an EventListener's inline trigger): bindings against the template, CEL interceptors. */
function checkTriggerSpec(r: ScopedReporter, trigger: JsonObject, legacy: boolean): void {
  checkInterceptors(r, trigger, legacy);
  // what the bindings supply, in order, with where each came from
  const supplied: { param: BindingParam; path: FieldPathSegment[]; from: string }[] = [];
  let complete = true;
  for (const entry of readTriggerBindings(trigger)) {
    const path: FieldPathSegment[] = ['bindings', entry.index];
    if ('param' in entry) {
      supplied.push({ param: entry.param, path: [...path, 'name'], from: 'the inline binding' });
      continue;
    }
    const binding = r.lookup(entry.kind, entry.ref).document;
    if (!binding) {
      complete = false;
      r.report(
        'ref-not-found',
        [...path, 'ref'],
        `no ${entry.kind} named ${quote(entry.ref)} is among the checked documents: its params not checked (the cluster may have it)`,
      );
      continue;
    }
    for (const param of readBindingParams(asObject(binding.object.spec)))
      supplied.push({ param, path: [...path, 'ref'], from: `${entry.kind}/${binding.name}` });
  }
  const seen = new Map<string, string>();
  for (const s of supplied) {
    const earlier = seen.get(s.param.name);
    if (earlier !== undefined)
      r.report(
        'trigger-binding-param-duplicate',
        s.path,
        `param ${quote(s.param.name)} is supplied by ${earlier} and again by ${s.from}; Triggers refuses every event ("duplicate param name")`,
      );
    else seen.set(s.param.name, s.from);
  }

  const { ref, spec: inline } = readTriggerTemplateRef(trigger);
  let templateSpec = inline;
  let callee = 'the inline template';
  if (inline) checkTriggerTemplateSpec(r.nested(['template', 'spec']), inline);
  else if (ref) {
    const template = r.lookup('TriggerTemplate', ref).document;
    if (!template) {
      r.report(
        'ref-not-found',
        ['template', 'ref'],
        `no TriggerTemplate named ${quote(ref)} is among the checked documents: not checked (the cluster may have it)`,
      );
      return;
    }
    templateSpec = asObject(template.object.spec);
    callee = `TriggerTemplate/${template.name}`;
  }
  if (!templateSpec) return;
  const declared = readTriggerTemplateParams(templateSpec);
  const declaredNames = new Set(declared.map((p) => p.name));
  for (const s of supplied) {
    if (!declaredNames.has(s.param.name))
      r.report(
        'trigger-binding-param-unknown',
        s.path,
        `param ${quote(s.param.name)} from ${s.from} is not declared by ${callee}, so Triggers ignores it (declared: ${listNames(declaredNames)})`,
      );
  }
  if (!complete) return;
  const missing = declared.filter((p) => p.default === undefined && !seen.has(p.name)).map((p) => p.name);
  if (missing.length > 0)
    r.report(
      'trigger-binding-param-missing',
      trigger.bindings === undefined ? [] : ['bindings'],
      `param${missing.length > 1 ? 's' : ''} ${missing.map(quote).join(', ')} of ${callee} ${missing.length > 1 ? 'have' : 'has'} no default and no binding supplies ${missing.length > 1 ? 'them' : 'it'}, so $(tt.params.${missing[0]}) stays unreplaced in the resource; bind ${missing.length > 1 ? 'them' : 'it'} or give a default`,
    );
}

/** The `cel` interceptor's filter and overlays (ref name `cel`, a ClusterInterceptor), compiled in Triggers' CEL environment. */
/**
 * A trigger's interceptors: each names one (trigger_validation.go); the params of the `github` and
 * `cel` ClusterInterceptors decode into their params types (`github.go`, `cel.go`
 * InterceptorParams: a value of the wrong shape fails every event) and the CEL compiles.
 */
/** The interceptor forms v1alpha1 still accepts (and converts to a `ref`); v1beta1 has only `ref` and `webhook`. */
const LEGACY_INTERCEPTORS = ['cel', 'github', 'gitlab', 'bitbucket'] as const;

/**
 * Each interceptor names a ref or a webhook (in a `triggers.tekton.dev/v1alpha1` object, `legacy`,
 * also one of the older `cel:`/`github:`/`gitlab:`/`bitbucket:` forms, which are not judged further).
 * `owner` is what holds them: a trigger's are validated by Triggers' webhook; an EventListener's
 * trigger group's are not, and one without a ref or webhook fails every event (`sink.go`
 * `ExecuteInterceptors`: no interceptor of the empty name).
 */
function checkInterceptors(r: ScopedReporter, trigger: JsonObject, legacy: boolean, owner: 'trigger' | 'group' = 'trigger'): void {
  for (const [interceptor, i] of objectsOf(trigger.interceptors)) {
    const ref = asObject(interceptor.ref);
    const name = asString(ref?.name);
    if (!name && legacy && LEGACY_INTERCEPTORS.some((key) => interceptor[key] !== undefined)) continue;
    if (!name && interceptor.webhook === undefined) {
      r.report(
        'trigger-interceptor-invalid',
        ['interceptors', i],
        owner === 'trigger'
          ? 'the interceptor names neither ref.name nor a webhook; Triggers refuses the Trigger'
          : 'the interceptor names neither ref.name nor a webhook, so the trigger group fails every event (Triggers finds no interceptor to call)',
      );
      continue;
    }
    const params = new Map<string, { value: unknown; at: FieldPathSegment[] }>();
    for (const [param, j] of objectsOf(interceptor.params))
      params.set(asString(param.name) ?? '', { value: param.value, at: ['interceptors', i, 'params', j, 'value'] });
    const refuse = (at: readonly FieldPathSegment[], what: string): void =>
      r.report(
        'trigger-interceptor-invalid',
        at,
        `${what}, so the ${name} interceptor fails every event ("failed to parse interceptor params")`,
      );
    if (name === 'github') {
      const eventTypes = params.get('eventTypes');
      if (eventTypes && !(Array.isArray(eventTypes.value) && eventTypes.value.every((v) => typeof v === 'string')))
        refuse(eventTypes.at, 'eventTypes is not a list of event names (e.g. [push])');
      const secretRef = params.get('secretRef');
      if (secretRef) {
        const value = asObject(secretRef.value);
        if (!value) refuse(secretRef.at, 'secretRef is not a mapping of secretName and secretKey');
        else if (!asString(value.secretKey) || !asString(value.secretName))
          r.report(
            'trigger-interceptor-invalid',
            secretRef.at,
            `secretRef lacks ${!asString(value.secretName) ? 'secretName' : 'secretKey'}, so the github interceptor refuses every event (it cannot read the webhook secret); name the Secret and its key`,
          );
      }
    }
    if (name === 'cel') {
      const filter = params.get('filter');
      if (filter && typeof filter.value !== 'string') refuse(filter.at, 'the filter is not a string');
      else if (filter) checkCel(r, filter.value as string, filter.at, 'filter');
      const overlays = params.get('overlays');
      if (overlays && !Array.isArray(overlays.value)) refuse(overlays.at, 'overlays is not a list of key and expression');
      else if (overlays)
        for (const [overlay, k] of objectsOf(overlays.value)) {
          if (typeof overlay.expression !== 'string' || typeof overlay.key !== 'string')
            refuse([...overlays.at, k], 'an overlay lacks a string key or expression');
          else checkCel(r, overlay.expression, [...overlays.at, k, 'expression'], `overlay ${quote(overlay.key)}`);
        }
    }
  }
}

function checkCel(r: ScopedReporter, expression: string, at: readonly FieldPathSegment[], what: string): void {
  const compiled = compileCelExpression(expression, 'triggers');
  if (compiled.ok) return;
  if (compiled.unsupported) r.report('trigger-cel-invalid', at, `the cel ${what} was not checked: ${compiled.message}`, 'note');
  else
    r.report(
      'trigger-cel-invalid',
      at,
      `the cel ${what} ${quote(expression)} does not compile: ${compiled.message}; the interceptor refuses every event`,
    );
}
