/**
 * Validates a plain Kubernetes object against the Tekton Pipelines v1.15.0 CRD schemas the way
 * the Kubernetes API server applies a structural `openAPIV3Schema` on create: it reports what
 * the server would reject (`invalid`) and every field it would silently drop (`pruned`).
 *
 * The CRDs are read from `/work/shared/tekton/pipeline-crds/300-*.yaml` (the `../shared`
 * directory next to the project); tests call {@link crdSchemaAvailable} first and skip when it
 * is absent. Nothing is copied from there into the project.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { TRIGGERS_FIELDS_JSON } from '../../imports/triggers-fields';

/** One thing the API server would do differently from what the object says. */
export interface SchemaProblem {
  /**
   * `invalid`: the server rejects the object. `pruned`: the server drops the field silently (and a
   * client asking for strict field validation, as recent `kubectl apply` does by default, gets
   * an "unknown field" error instead).
   */
  readonly kind: 'invalid' | 'pruned';
  /** Where, as `spec.steps[0].image` (the empty string is the object itself). */
  readonly path: string;
  /** One lowercase line saying what is wrong and what would be right. */
  readonly message: string;
}

/** The part of an OpenAPI v3 structural schema that the API server acts on. */
export interface StructuralSchema {
  readonly type?: string;
  readonly properties?: Record<string, StructuralSchema>;
  readonly additionalProperties?: StructuralSchema | boolean;
  readonly items?: StructuralSchema;
  readonly required?: readonly string[];
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly format?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly default?: unknown;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-list-type'?: string;
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
}

/** One served version of one CRD. */
interface ServedVersion {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly crdName: string;
  readonly schema: StructuralSchema;
  readonly hasStatusSubresource: boolean;
}

/** The directory that holds the pinned Tekton Pipelines v1.15.0 CRDs. */
export const TEKTON_CRD_DIRECTORY = path.resolve(__dirname, '..', '..', '..', 'shared', 'tekton', 'pipeline-crds');

/** The directory that holds the pinned KServe v0.20.0 CRDs (full structural schemas), read only for serving.kserve.io objects. */
export const KSERVE_CRD_DIRECTORY = path.resolve(__dirname, '..', '..', '..', 'shared', 'kserve', 'crds');

/**
 * The directory that holds the Tekton Triggers v0.37.0 CRDs, read only for triggers.tekton.dev
 * objects. They have no structural schema (the whole object is kept), so an object is also judged
 * against the field tree of Triggers' typed v1beta1 API ({@link triggersFieldProblems}), because
 * Triggers' admission webhook refuses unknown fields.
 */
export const TRIGGERS_CRD_DIRECTORY = path.resolve(__dirname, '..', '..', '..', 'shared', 'tekton', 'triggers-crds');

let servedVersions: Map<string, ServedVersion> | undefined;
let kserveVersions: Map<string, ServedVersion> | undefined;
let triggersVersions: Map<string, ServedVersion> | undefined;

/** The served versions that can judge `apiVersion`: KServe's (about 2.4 MB of YAML, read once and only when asked) or Tekton's. */
function servedVersionsFor(apiVersion: unknown): Map<string, ServedVersion> {
  if (typeof apiVersion === 'string' && apiVersion.startsWith('triggers.tekton.dev/') && fs.existsSync(TRIGGERS_CRD_DIRECTORY)) {
    if (triggersVersions === undefined) {
      triggersVersions = new Map();
      const files = fs
        .readdirSync(TRIGGERS_CRD_DIRECTORY)
        .filter((f) => /^300-.*\.yaml$/.test(f))
        .sort();
      for (const file of files) addServedVersions(fs.readFileSync(path.join(TRIGGERS_CRD_DIRECTORY, file), 'utf8'), triggersVersions);
    }
    return triggersVersions;
  }
  if (typeof apiVersion === 'string' && apiVersion.startsWith('serving.kserve.io/') && fs.existsSync(KSERVE_CRD_DIRECTORY)) {
    if (kserveVersions === undefined) {
      kserveVersions = new Map();
      const files = fs
        .readdirSync(KSERVE_CRD_DIRECTORY)
        .filter((f) => /^serving\.kserve\.io_.*\.yaml$/.test(f))
        .sort();
      for (const file of files) addServedVersions(fs.readFileSync(path.join(KSERVE_CRD_DIRECTORY, file), 'utf8'), kserveVersions);
    }
    return kserveVersions;
  }
  return loadServedVersions();
}

/** Whether the pinned CRDs can be read here (a user's clone has no `../shared`). */
export function crdSchemaAvailable(): boolean {
  return fs.existsSync(path.join(TEKTON_CRD_DIRECTORY, '300-task.yaml'));
}

/** Whether a Tekton v1.15.0 CRD serves this apiVersion and kind (for example `tekton.dev/v1`, `Task`). */
export function crdServes(apiVersion: string, kind: string): boolean {
  return servedVersionsFor(apiVersion).has(versionKey(apiVersion, kind));
}

/**
 * Every problem the API server would have with `object` on create, in document order.
 * An object no Tekton CRD serves gives one `invalid` problem at the empty path.
 */
export function validateAgainstCrd(object: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  if (!isPlainObject(object)) {
    return [{ kind: 'invalid', path: '', message: `expected a kubernetes object, got ${describeType(object)}` }];
  }
  const apiVersion = object.apiVersion;
  const kind = object.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [{ kind: 'invalid', path: '', message: 'object has no string apiVersion and kind' }];
  }
  const served = servedVersionsFor(apiVersion).get(versionKey(apiVersion, kind));
  if (served === undefined) {
    const known = [...servedVersionsFor(apiVersion).values()].filter((v) => v.kind === kind).map((v) => `${v.group}/${v.version}`);
    const hint = known.length > 0 ? ` (served: ${known.join(', ')})` : '';
    return [{ kind: 'invalid', path: '', message: `no tekton v1.15.0 crd serves ${apiVersion} ${kind}${hint}` }];
  }
  if (served.group === 'triggers.tekton.dev') problems.push(...triggersFieldProblems(object));
  const root = served.schema;
  const rootProperties = root.properties ?? {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || key === 'apiVersion' || key === 'kind') {
      continue;
    }
    if (key === 'metadata') {
      validateObjectMeta(value, problems);
      continue;
    }
    if (key === 'status' && served.hasStatusSubresource) {
      // With the status subresource on, create resets status: whatever it says is ignored.
      continue;
    }
    const schema = rootProperties[key];
    if (schema === undefined) {
      if (!root['x-kubernetes-preserve-unknown-fields']) {
        problems.push(prunedField(key, served));
      }
      continue;
    }
    if (value === null && !schema.nullable) {
      problems.push({ kind: 'pruned', path: key, message: `${key} is null and not nullable: the api server drops it` });
      continue;
    }
    validateValue(value, schema, key, problems);
  }
  if (!('metadata' in object)) {
    problems.push({ kind: 'invalid', path: 'metadata', message: 'metadata is missing: name or generateName is required' });
  }
  for (const name of root.required ?? []) {
    if (object[name] === undefined && root.properties?.[name]?.default === undefined) {
      problems.push({ kind: 'invalid', path: name, message: `${name} is required` });
    }
  }
  return problems;
}

/** A node of the generated field tree (tools/import-crds.js fieldTree). */
type FieldNode =
  1 | { readonly p?: Record<string, FieldNode>; readonly x?: 1; readonly i?: FieldNode; readonly m?: FieldNode; readonly r?: string };

/**
 * The fields of a triggers.tekton.dev object that Triggers' typed v1beta1 API does not declare:
 * its admission webhook decodes with unknown fields disallowed, so each is an `invalid` problem.
 */
export function triggersFieldProblems(object: Record<string, unknown>): SchemaProblem[] {
  const tree = JSON.parse(TRIGGERS_FIELDS_JSON) as {
    defs: Record<string, FieldNode>;
    kinds: Record<string, { apiVersion: string; spec: FieldNode }>;
  };
  const kind = tree.kinds[String(object.kind)];
  if (kind === undefined || kind.apiVersion !== object.apiVersion) {
    return [{ kind: 'invalid', path: '', message: `triggers v0.37.0 has no typed ${String(object.apiVersion)} ${String(object.kind)}` }];
  }
  const problems: SchemaProblem[] = [];
  const walk = (value: unknown, node: FieldNode, at: string) => {
    if (node === 1) return;
    const n = node.r !== undefined ? tree.defs[node.r] : node;
    if (n === 1 || n.x) return;
    if (Array.isArray(value) && n.i !== undefined) {
      value.forEach((item, i) => walk(item, n.i!, `${at}[${i}]`));
    } else if (isPlainObject(value) && n.m !== undefined) {
      for (const [key, item] of Object.entries(value)) walk(item, n.m, joinPath(at, key));
    } else if (isPlainObject(value) && n.p !== undefined) {
      for (const [key, item] of Object.entries(value)) {
        const child = n.p[key];
        const where = joinPath(at, key);
        if (child === undefined) {
          problems.push({
            kind: 'invalid',
            path: where,
            message: `unknown field "${key}": triggers' webhook refuses fields its v1beta1 types do not declare`,
          });
        } else {
          walk(item, child, where);
        }
      }
    }
  };
  walk(object.spec, kind.spec, 'spec');
  return problems;
}

/**
 * Every problem the API server would have with `value` under one structural schema (a CRD
 * subtree or a hand-written one); paths start at `at`.
 */
export function validateAgainstSchema(value: unknown, schema: StructuralSchema, at = ''): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  validateValue(value, schema, at, problems);
  return problems;
}

/**
 * The problems of each object and of the specs embedded in it, one per line ('' when all are clean).
 * The CRDs leave an embedded `pipelineSpec` (PipelineRun) and `taskSpec` (pipeline tasks, TaskRun)
 * unchecked, but Tekton decodes them as a Pipeline or Task spec, so they are judged as one here.
 */
export function schemaProblemsWithEmbeddedSpecs(objects: readonly unknown[]): string {
  const lines: string[] = [];
  const judge = (object: unknown, where: string) => {
    const text = formatSchemaProblems(validateAgainstCrd(object));
    if (text) lines.push(...text.split('\n').map((line) => `${where}: ${line}`));
  };
  const judgeTaskSpec = (taskSpec: Record<string, unknown>, where: string) => {
    // metadata, apiVersion, kind and spec belong to the embedded task (custom tasks), not to a Task's spec
    const { metadata: _metadata, apiVersion: _apiVersion, kind: _kind, spec: _spec, ...spec } = taskSpec;
    judge({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 'embedded' }, spec }, where);
  };
  const judgePipelineSpec = (pipelineSpec: unknown, where: string) => {
    if (!isPlainObject(pipelineSpec)) return;
    for (const list of ['tasks', 'finally'] as const) {
      const tasks = pipelineSpec[list];
      if (!Array.isArray(tasks)) continue;
      tasks.forEach((task, i) => {
        if (isPlainObject(task) && isPlainObject(task.taskSpec)) judgeTaskSpec(task.taskSpec, `${where}.${list}[${i}].taskSpec`);
      });
    }
  };
  objects.forEach((object, i) => {
    const where = `object ${i}`;
    judge(object, where);
    if (!isPlainObject(object) || !isPlainObject(object.spec)) return;
    const spec = object.spec;
    if (object.kind === 'Pipeline') judgePipelineSpec(spec, `${where} spec`);
    if (isPlainObject(spec.pipelineSpec)) {
      judge(
        { apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'embedded' }, spec: spec.pipelineSpec },
        `${where} spec.pipelineSpec`,
      );
      judgePipelineSpec(spec.pipelineSpec, `${where} spec.pipelineSpec`);
    }
    if (isPlainObject(spec.taskSpec)) judgeTaskSpec(spec.taskSpec, `${where} spec.taskSpec`);
    // Triggers creates each resource template as an object of its own: it must pass its own CRD
    if (object.kind === 'TriggerTemplate' && Array.isArray(spec.resourcetemplates)) {
      spec.resourcetemplates.forEach((template, t) => judge(template, `${where} spec.resourcetemplates[${t}]`));
    }
  });
  return lines.join('\n');
}

/** Why the CRD schema checks are skipped here, or undefined when the pinned CRDs can be read. */
export function crdSchemaSkipReason(): string | undefined {
  return crdSchemaAvailable() ? undefined : `skipping CRD schema checks: ${path.dirname(path.dirname(TEKTON_CRD_DIRECTORY))} is absent`;
}

/** Renders problems one per line, for a test failure message. */
export function formatSchemaProblems(problems: readonly SchemaProblem[]): string {
  return problems.map((p) => `${p.kind} ${p.path || '(object)'}: ${p.message}`).join('\n');
}

function prunedField(key: string, served: ServedVersion): SchemaProblem {
  return {
    kind: 'pruned',
    path: key,
    message: `unknown field "${key}": ${served.crdName} ${served.version} does not declare it, so the api server drops it`,
  };
}

function validateValue(value: unknown, schema: StructuralSchema, at: string, problems: SchemaProblem[]): void {
  if (value === null) {
    if (!schema.nullable) {
      problems.push({ kind: 'invalid', path: at, message: `${at} must be ${expectedType(schema)}, got null` });
    }
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'string') {
      checkString(value, schema, at, problems);
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      checkNumber(value, schema, at, problems);
    } else {
      problems.push({ kind: 'invalid', path: at, message: `${at} must be an integer or a string, got ${describeType(value)}` });
      return;
    }
    checkEnum(value, schema, at, problems);
    return;
  }
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    problems.push({ kind: 'invalid', path: at, message: `${at} must be ${expectedType(schema)}, got ${describeType(value)}` });
    return;
  }
  checkEnum(value, schema, at, problems);
  if (typeof value === 'string') {
    checkString(value, schema, at, problems);
  } else if (typeof value === 'number') {
    checkNumber(value, schema, at, problems);
  } else if (Array.isArray(value)) {
    validateArray(value, schema, at, problems);
  } else if (isPlainObject(value)) {
    validateObject(value, schema, at, problems);
  }
}

function validateObject(value: Record<string, unknown>, schema: StructuralSchema, at: string, problems: SchemaProblem[]): void {
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const properties = schema.properties;
  const additional = schema.additionalProperties;
  if (properties === undefined && additional === undefined && preserve) {
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) {
      continue; // JSON has no undefined: the key is simply absent on the wire
    }
    const childPath = joinPath(at, key);
    let childSchema = properties?.[key];
    if (childSchema === undefined && typeof additional === 'object') {
      childSchema = additional;
    }
    if (childSchema === undefined) {
      if (!preserve && additional !== true) {
        problems.push({
          kind: 'pruned',
          path: childPath,
          message: `unknown field "${key}" in ${at}: the schema does not declare it, so the api server drops it`,
        });
      }
      continue;
    }
    if (child === null && !childSchema.nullable) {
      // The server drops non-nullable nulls before validation, or puts the default in their place.
      if (childSchema.default === undefined) {
        problems.push({ kind: 'pruned', path: childPath, message: `${childPath} is null and not nullable: the api server drops it` });
      }
      continue;
    }
    validateValue(child, childSchema, childPath, problems);
  }
  for (const name of schema.required ?? []) {
    if (value[name] === undefined && properties?.[name]?.default === undefined) {
      problems.push({ kind: 'invalid', path: joinPath(at, name), message: `${joinPath(at, name)} is required` });
    } else if (value[name] === null && !properties?.[name]?.nullable) {
      problems.push({ kind: 'invalid', path: joinPath(at, name), message: `${joinPath(at, name)} is required and must not be null` });
    }
  }
}

function validateArray(value: unknown[], schema: StructuralSchema, at: string, problems: SchemaProblem[]): void {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    problems.push({ kind: 'invalid', path: at, message: `${at} must have at least ${schema.minItems} items, has ${value.length}` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    problems.push({ kind: 'invalid', path: at, message: `${at} must have at most ${schema.maxItems} items, has ${value.length}` });
  }
  const items = schema.items;
  if (items !== undefined) {
    // JSON writes an undefined array item as null.
    value.forEach((item, index) => validateValue(item === undefined ? null : item, items, `${at}[${index}]`, problems));
  }
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = JSON.stringify(item);
      if (seen.has(key)) {
        problems.push({
          kind: 'invalid',
          path: `${at}[${index}]`,
          message: `${at}[${index}] duplicates an earlier value in a list of type set: ${key}`,
        });
      }
      seen.add(key);
    });
  } else if (listType === 'map' && items !== undefined) {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const seen = new Set<string>();
    value.forEach((item, index) => {
      if (!isPlainObject(item)) {
        return;
      }
      const identity = JSON.stringify(keys.map((k) => item[k] ?? items.properties?.[k]?.default ?? null));
      if (seen.has(identity)) {
        problems.push({
          kind: 'invalid',
          path: `${at}[${index}]`,
          message: `${at}[${index}] duplicates the ${keys.join('+')} ${identity} of an earlier item in a list of type map`,
        });
      }
      seen.add(identity);
    });
  }
}

function checkEnum(value: unknown, schema: StructuralSchema, at: string, problems: SchemaProblem[]): void {
  if (schema.enum === undefined) {
    return;
  }
  const json = JSON.stringify(value);
  if (!schema.enum.some((allowed) => JSON.stringify(allowed) === json)) {
    problems.push({
      kind: 'invalid',
      path: at,
      message: `${at} must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${json}`,
    });
  }
}

function checkString(value: string, schema: StructuralSchema, at: string, problems: SchemaProblem[]): void {
  if (schema.minLength !== undefined && [...value].length < schema.minLength) {
    problems.push({ kind: 'invalid', path: at, message: `${at} must be at least ${schema.minLength} characters long` });
  }
  if (schema.maxLength !== undefined && [...value].length > schema.maxLength) {
    problems.push({ kind: 'invalid', path: at, message: `${at} must be at most ${schema.maxLength} characters long` });
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    problems.push({ kind: 'invalid', path: at, message: `${at} ${JSON.stringify(value)} does not match ${schema.pattern}` });
  }
  const format = schema.format;
  if (format !== undefined && FORMATS[format] !== undefined && !FORMATS[format].test(value)) {
    problems.push({ kind: 'invalid', path: at, message: `${at} ${JSON.stringify(value)} is not a valid ${format}` });
  }
}

function checkNumber(value: number, schema: StructuralSchema, at: string, problems: SchemaProblem[]): void {
  // The schema does not check integer formats, but Tekton's webhook decodes the object into Go
  // structs, and an int32 field that overflows makes the request fail there.
  if (schema.format === 'int32' && Number.isInteger(value) && (value < -(2 ** 31) || value > 2 ** 31 - 1)) {
    problems.push({ kind: 'invalid', path: at, message: `${at} ${value} does not fit in an int32 (-2147483648 to 2147483647)` });
  }
  if (schema.minimum !== undefined) {
    const tooSmall = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (tooSmall) {
      problems.push({
        kind: 'invalid',
        path: at,
        message: `${at} must be ${schema.exclusiveMinimum ? 'greater than' : 'at least'} ${schema.minimum}, got ${value}`,
      });
    }
  }
  if (schema.maximum !== undefined) {
    const tooLarge = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (tooLarge) {
      problems.push({
        kind: 'invalid',
        path: at,
        message: `${at} must be ${schema.exclusiveMaximum ? 'less than' : 'at most'} ${schema.maximum}, got ${value}`,
      });
    }
  }
}

/** String formats the API server checks (kube-openapi's registry); others are accepted as written. */
const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  uuid: /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
};

// ---- ObjectMeta, checked like the API server's ValidateObjectMetaAccessor for custom resources ----

/** The fields of ObjectMeta; anything else under metadata is dropped by the API server. */
const OBJECT_META_FIELDS: Record<string, 'string' | 'integer' | 'string-map' | 'string-array' | 'array'> = {
  name: 'string',
  generateName: 'string',
  namespace: 'string',
  selfLink: 'string',
  uid: 'string',
  resourceVersion: 'string',
  generation: 'integer',
  creationTimestamp: 'string',
  deletionTimestamp: 'string',
  deletionGracePeriodSeconds: 'integer',
  labels: 'string-map',
  annotations: 'string-map',
  ownerReferences: 'array',
  finalizers: 'string-array',
  managedFields: 'array',
};

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

function validateObjectMeta(meta: unknown, problems: SchemaProblem[]): void {
  if (!isPlainObject(meta)) {
    problems.push({ kind: 'invalid', path: 'metadata', message: `metadata must be an object, got ${describeType(meta)}` });
    return;
  }
  for (const [key, value] of Object.entries(meta)) {
    const at = `metadata.${key}`;
    const expected = OBJECT_META_FIELDS[key];
    if (expected === undefined) {
      problems.push({
        kind: 'pruned',
        path: at,
        message: `unknown field "${key}" in metadata: it is not an ObjectMeta field, so the api server drops it`,
      });
      continue;
    }
    if (value === null) {
      continue;
    }
    const ok =
      expected === 'string'
        ? typeof value === 'string'
        : expected === 'integer'
          ? typeof value === 'number' && Number.isInteger(value)
          : expected === 'string-map'
            ? isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string')
            : expected === 'string-array'
              ? Array.isArray(value) && value.every((v) => typeof v === 'string')
              : Array.isArray(value);
    if (!ok) {
      const wanted = {
        string: 'a string',
        integer: 'an integer',
        'string-map': 'a map of strings to strings',
        'string-array': 'an array of strings',
        array: 'an array',
      }[expected];
      problems.push({ kind: 'invalid', path: at, message: `${at} must be ${wanted}` });
    }
  }
  const name = meta.name;
  const generateName = meta.generateName;
  const hasName = typeof name === 'string' && name !== '';
  const hasGenerateName = typeof generateName === 'string' && generateName !== '';
  if (!hasName && !hasGenerateName) {
    problems.push({ kind: 'invalid', path: 'metadata.name', message: 'metadata.name or metadata.generateName is required' });
  }
  if (hasName) {
    checkDnsSubdomain(name, 'metadata.name', problems);
  } else if (hasGenerateName) {
    // The server checks the prefix with its trailing dash masked, as NameIsDNSSubdomain(prefix=true) does.
    checkDnsSubdomain(generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName, 'metadata.generateName', problems);
  }
  if (typeof meta.namespace === 'string' && meta.namespace !== '' && !(meta.namespace.length <= 63 && DNS1123_LABEL.test(meta.namespace))) {
    problems.push({
      kind: 'invalid',
      path: 'metadata.namespace',
      message: `metadata.namespace "${meta.namespace}" must be a lowercase rfc 1123 label of at most 63 characters`,
    });
  }
  if (isPlainObject(meta.labels)) {
    for (const [key, value] of Object.entries(meta.labels)) {
      checkQualifiedName(key, `metadata.labels.${key}`, problems);
      if (typeof value === 'string' && value !== '' && !(value.length <= 63 && QUALIFIED_NAME_PART.test(value))) {
        problems.push({
          kind: 'invalid',
          path: `metadata.labels.${key}`,
          message: `label value "${value}" must be at most 63 characters of alphanumerics, "-", "_" or ".", starting and ending with an alphanumeric`,
        });
      }
    }
  }
  if (isPlainObject(meta.annotations)) {
    let size = 0;
    for (const [key, value] of Object.entries(meta.annotations)) {
      checkQualifiedName(key.toLowerCase(), `metadata.annotations.${key}`, problems);
      size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    }
    if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
      problems.push({
        kind: 'invalid',
        path: 'metadata.annotations',
        message: `metadata.annotations total ${size} bytes, more than the limit of ${TOTAL_ANNOTATION_SIZE_LIMIT}`,
      });
    }
  }
}

function checkDnsSubdomain(value: string, at: string, problems: SchemaProblem[]): void {
  if (value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
    problems.push({
      kind: 'invalid',
      path: at,
      message: `${at} "${value}" must be a lowercase rfc 1123 subdomain (a-z, 0-9, "-" and ".", starting and ending with an alphanumeric, at most 253 characters)`,
    });
  }
}

function checkQualifiedName(key: string, at: string, problems: SchemaProblem[]): void {
  const parts = key.split('/');
  let ok: boolean;
  if (parts.length === 1) {
    ok = parts[0].length <= 63 && QUALIFIED_NAME_PART.test(parts[0]);
  } else if (parts.length === 2) {
    ok =
      parts[0].length > 0 &&
      parts[0].length <= 253 &&
      DNS1123_SUBDOMAIN.test(parts[0]) &&
      parts[1].length <= 63 &&
      QUALIFIED_NAME_PART.test(parts[1]);
  } else {
    ok = false;
  }
  if (!ok) {
    problems.push({
      kind: 'invalid',
      path: at,
      message: `key "${key}" must be a qualified name ([prefix/]name, name at most 63 characters of alphanumerics, "-", "_" or ".")`,
    });
  }
}

// ---- loading the CRDs ----

function loadServedVersions(): Map<string, ServedVersion> {
  if (servedVersions !== undefined) {
    return servedVersions;
  }
  const found = new Map<string, ServedVersion>();
  if (crdSchemaAvailable()) {
    const files = fs
      .readdirSync(TEKTON_CRD_DIRECTORY)
      .filter((f) => /^300-.*\.yaml$/.test(f))
      .sort();
    for (const file of files) addServedVersions(fs.readFileSync(path.join(TEKTON_CRD_DIRECTORY, file), 'utf8'), found);
  }
  servedVersions = found;
  return found;
}

/** Adds every served version of every CRD in `text` (YAML documents) to `found`. */
function addServedVersions(text: string, found: Map<string, ServedVersion>): void {
  for (const document of parseAllDocuments(text)) {
    const crd = document.toJS() as CustomResourceDefinition | null;
    if (crd?.kind !== 'CustomResourceDefinition') {
      continue;
    }
    for (const version of crd.spec.versions) {
      const schema = version.schema?.openAPIV3Schema;
      if (!version.served || schema === undefined) {
        continue;
      }
      const served: ServedVersion = {
        group: crd.spec.group,
        version: version.name,
        kind: crd.spec.names.kind,
        crdName: crd.metadata.name,
        schema,
        hasStatusSubresource: version.subresources?.status !== undefined,
      };
      found.set(versionKey(`${served.group}/${served.version}`, served.kind), served);
    }
  }
}

interface CustomResourceDefinition {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: ReadonlyArray<{
      readonly name: string;
      readonly served: boolean;
      readonly schema?: { readonly openAPIV3Schema: StructuralSchema };
      readonly subresources?: { readonly status?: object };
    }>;
  };
}

// ---- small helpers ----

function versionKey(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

function joinPath(at: string, key: string): string {
  const segment = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return at === '' ? segment : /^[A-Za-z_]/.test(segment) ? `${at}.${segment}` : `${at}[${segment}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      return true;
  }
}

function expectedType(schema: StructuralSchema): string {
  const type = schema.type ?? 'any value';
  return (
    (
      {
        string: 'a string',
        integer: 'an integer',
        number: 'a number',
        boolean: 'a boolean',
        array: 'an array',
        object: 'an object',
      } as Record<string, string>
    )[type] ?? type
  );
}

function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  }
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
