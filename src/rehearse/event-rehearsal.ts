/**
 * What a Tekton Triggers v0.37.0 EventListener would do with one HTTP event, rehearsed on this
 * machine: each of its triggers' interceptors (GitHub: event type and `X-Hub-Signature-256`; CEL:
 * filter and overlays), then the bindings read from the event and the TriggerTemplate rendered
 * (`$(tt.params.x)`, `$(uid)`), giving the resources the EventListener would create.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { evaluateCelExpression } from '../tekton-model/cel-expressions';
import { asObject, asString, JsonObject, objectsOf } from '../tekton-model/json-shape';
import {
  BindingParam,
  readBindingParams,
  readTriggerBindings,
  readTriggerTemplateParams,
  readTriggerTemplateRef,
  renderResourceTemplates,
  resolveBindingParams,
  TriggerEvent,
} from '../tekton-model/triggers';
import { canonicalHeaderKey } from '../tekton-model/cel-expressions';
import { RehearsalInputError } from './rehearsal-error';

/** The event and what the rehearsal knows besides it. */
export interface TriggerEventInput {
  /** The Triggers objects (and anything else: other kinds are ignored). */
  readonly objects: readonly unknown[];
  /** The request body, byte for byte (the signature is over these bytes). */
  readonly body: Buffer;
  /** The request headers, any spelling of the keys; each key may have several values. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** The webhook secret the GitHub interceptor's `secretRef` names, when known. */
  readonly webhookSecret?: Buffer;
  /** The `$(uid)` to use (default: a random UUID, as Triggers). */
  readonly uid?: string;
}

/** What one trigger did with the event. */
export interface TriggerOutcome {
  /** `Trigger/NAME` or `EventListener/NAME triggers[i]`. */
  readonly trigger: string;
  /** The resources it would create, when it accepted the event. */
  readonly resources?: JsonObject[];
  /** Why it refused the event (one line), when it did. */
  readonly refused?: string;
  /** What was not rehearsed (an interceptor it cannot run, a signature not checked), one line each. */
  readonly notes: string[];
}

function byKind(objects: readonly unknown[], kind: string): JsonObject[] {
  return objects
    .map(asObject)
    .filter(
      (o): o is JsonObject => o !== undefined && o.kind === kind && (asString(o.apiVersion) ?? '').startsWith('triggers.tekton.dev/'),
    );
}

function named(objects: readonly unknown[], kind: string, name: string): JsonObject | undefined {
  return byKind(objects, kind).find((o) => asObject(o.metadata)?.name === name);
}

/** A refusal of the event by one trigger (one line). */
class Refusal extends Error {}

/**
 * The triggers an event reaches: every trigger of every EventListener (inline, or a `triggerRef`
 * to a Trigger), or, when there is no EventListener, every Trigger. An EventListener with
 * `triggerGroups` is refused.
 */
function triggersOf(objects: readonly unknown[]): { readonly label: string; readonly spec: JsonObject }[] {
  const listeners = byKind(objects, 'EventListener');
  if (listeners.length === 0)
    return byKind(objects, 'Trigger').map((t) => ({
      label: `Trigger/${asString(asObject(t.metadata)?.name) ?? '?'}`,
      spec: asObject(t.spec) ?? {},
    }));
  const out: { label: string; spec: JsonObject }[] = [];
  for (const listener of listeners) {
    const name = asString(asObject(listener.metadata)?.name) ?? '?';
    // a group's Triggers are selected by label and namespace in the cluster: not rehearsed, never silently dropped
    if (objectsOf(asObject(listener.spec)?.triggerGroups).length > 0)
      throw new RehearsalInputError(
        `EventListener/${name} spec.triggerGroups: trigger groups are not rehearsed (their interceptors and the Triggers they select by label and namespace); rehearse a copy without them`,
      );
    for (const [t, i] of objectsOf(asObject(listener.spec)?.triggers)) {
      const ref = asString(t.triggerRef);
      if (ref) {
        const trigger = named(objects, 'Trigger', ref);
        if (!trigger)
          throw new RehearsalInputError(`EventListener/${name} spec.triggers[${i}].triggerRef: no Trigger named "${ref}" was read`);
        out.push({ label: `Trigger/${ref}`, spec: asObject(trigger.spec) ?? {} });
      } else {
        out.push({ label: `EventListener/${name} spec.triggers[${i}]${asString(t.name) ? ` (${asString(t.name)})` : ''}`, spec: t });
      }
    }
  }
  return out;
}

/** The GitHub interceptor (Triggers v0.37.0 `pkg/interceptors/github`): event type allow-list, then the payload signature. */
function githubInterceptor(params: JsonObject, input: TriggerEventInput, header: Record<string, readonly string[]>, notes: string[]): void {
  const get = (key: string): string => header[canonicalHeaderKey(key)]?.[0] ?? '';
  if (get('Content-Type') === 'application/x-www-form-urlencoded')
    throw new Refusal('the github interceptor refuses form-encoded payloads: set the webhook content type to application/json');
  const eventTypes = params.eventTypes;
  if (Array.isArray(eventTypes)) {
    const actual = get('X-GitHub-Event');
    if (!eventTypes.includes(actual))
      throw new Refusal(
        `event type ${actual === '' ? '(no X-GitHub-Event header)' : `"${actual}"`} is not allowed (eventTypes: ${eventTypes.join(', ')})`,
      );
  }
  const secretRef = asObject(params.secretRef);
  if (!secretRef) return;
  if (!asString(secretRef.secretKey)) throw new Refusal('github interceptor secretRef.secretKey is empty');
  const signature = get('X-Hub-Signature-256');
  if (signature === '') throw new Refusal('no X-Hub-Signature-256 header set');
  if (!input.webhookSecret) {
    notes.push(
      `the X-Hub-Signature-256 signature was not checked: the secret is in Secret ${asString(secretRef.secretName) ?? '?'} (key ${asString(secretRef.secretKey)}); give --webhook-secret FILE`,
    );
    return;
  }
  const match = /^sha256=([0-9a-f]{64})$/i.exec(signature);
  if (!match) throw new Refusal('X-Hub-Signature-256 is not "sha256=" and 64 hex digits');
  const expected = createHmac('sha256', input.webhookSecret).update(input.body).digest();
  if (!timingSafeEqual(expected, Buffer.from(match[1], 'hex')))
    throw new Refusal('payload signature check failed: X-Hub-Signature-256 is not the HMAC-SHA256 of the body with the webhook secret');
}

/** Triggers' `sjson.SetRawBytes(extensions, key, value)`: a dotted key sets a nested field. */
function setExtension(extensions: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let at = extensions;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    at = (next && typeof next === 'object' && !Array.isArray(next) ? next : (at[part] = {})) as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}

/** The CEL interceptor (Triggers v0.37.0 `pkg/interceptors/cel`): the filter must give true; overlays add extensions. */
function celInterceptor(params: JsonObject, body: unknown, header: TriggerEvent['header'], extensions: Record<string, unknown>): void {
  const variables = { body, header, extensions: { ...extensions }, requestURL: 'http://el-listener:8080/' };
  const filter = asString(params.filter);
  if (filter) {
    const result = evaluateCelExpression(filter, 'triggers', variables);
    if (!result.ok) {
      if (/cel-go extension function/.test(result.message))
        throw new Refusal(
          `the cel filter was not evaluated (${result.message}), so the rehearsal cannot say whether Triggers accepts the event`,
        );
      throw new Refusal(`error evaluating cel expression: ${result.message}`);
    }
    if (result.value !== true) throw new Refusal(`expression ${filter} did not return true`);
  }
  for (const [overlay] of objectsOf(params.overlays)) {
    const expression = asString(overlay.expression) ?? '';
    const result = evaluateCelExpression(expression, 'triggers', variables);
    if (!result.ok) throw new Refusal(`error evaluating cel overlay ${asString(overlay.key) ?? ''}: ${result.message}`);
    setExtension(extensions, asString(overlay.key) ?? '', result.value);
  }
}

/** Runs one trigger over the event. */
function runTrigger(
  objects: readonly unknown[],
  trigger: { readonly label: string; readonly spec: JsonObject },
  input: TriggerEventInput,
  body: unknown,
  header: Record<string, readonly string[]>,
): TriggerOutcome {
  const notes: string[] = [];
  const extensions: Record<string, unknown> = {};
  try {
    for (const [interceptor, i] of objectsOf(trigger.spec.interceptors)) {
      const ref = asObject(interceptor.ref);
      const name = asString(ref?.name) ?? (interceptor.webhook ? 'webhook' : '?');
      const params: Record<string, unknown> = {};
      for (const [p] of objectsOf(interceptor.params)) if (asString(p.name)) params[asString(p.name)!] = p.value;
      try {
        if (name === 'github') githubInterceptor(params, input, header, notes);
        else if (name === 'cel') celInterceptor(params, body, header, extensions);
        else notes.push(`interceptor ${name} (interceptors[${i}]) is not rehearsed: taken as letting the event through`);
      } catch (error) {
        if (error instanceof Refusal) throw new Refusal(`interceptor ${name}: ${error.message}`);
        throw error;
      }
    }
    // bindings, in order; a referenced binding's params, then inline ones (resource.go resolveBindingsToParams)
    const bindings: BindingParam[] = [];
    for (const entry of readTriggerBindings(trigger.spec)) {
      if ('param' in entry) bindings.push(entry.param);
      else {
        const binding = named(objects, entry.kind, entry.ref);
        if (!binding)
          throw new RehearsalInputError(`${trigger.label} bindings[${entry.index}]: no ${entry.kind} named "${entry.ref}" was read`);
        bindings.push(...readBindingParams(asObject(binding.spec)));
      }
    }
    const seen = new Set<string>();
    for (const b of bindings) {
      if (seen.has(b.name)) throw new Refusal(`duplicate param name: ${b.name}`);
      seen.add(b.name);
    }
    const { ref, spec: inline } = readTriggerTemplateRef(trigger.spec);
    const template = inline ? { spec: inline } : ref ? named(objects, 'TriggerTemplate', ref) : undefined;
    if (!template) throw new RehearsalInputError(`${trigger.label}: no TriggerTemplate${ref ? ` named "${ref}"` : ''} was read`);
    const params = resolveBindingParams(bindings, readTriggerTemplateParams(asObject(template.spec)), { body, header, extensions });
    const resources = renderResourceTemplates(template, params, input.uid);
    return { trigger: trigger.label, resources, notes };
  } catch (error) {
    if (error instanceof RehearsalInputError) throw error;
    return { trigger: trigger.label, refused: error instanceof Error ? error.message : String(error), notes };
  }
}

/**
 * Rehearses the EventListener(s) among `input.objects` on one event: returns each trigger's
 * outcome. Throws {@link RehearsalInputError} when the body is not JSON or a reference is missing.
 */
export function rehearseTriggerEvent(input: TriggerEventInput): TriggerOutcome[] {
  let body: unknown;
  try {
    body = JSON.parse(input.body.toString('utf8'));
  } catch (error) {
    throw new RehearsalInputError(
      `the event body is not JSON (${error instanceof Error ? error.message : String(error)}); Triggers reads JSON: set the GitHub webhook content type to application/json`,
    );
  }
  const header: Record<string, readonly string[]> = {};
  for (const [key, values] of Object.entries(input.headers)) {
    const k = canonicalHeaderKey(key);
    header[k] = [...(header[k] ?? []), ...values];
  }
  const triggers = triggersOf(input.objects);
  if (triggers.length === 0) throw new RehearsalInputError('no EventListener or Trigger (triggers.tekton.dev) among the objects read');
  return triggers.map((t) => runTrigger(input.objects, t, input, body, header));
}
