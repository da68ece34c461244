// Reads the OpenAPI definitions of Tekton Triggers' triggers.tekton.dev/v1beta1 API from the Go
// file openapi-gen writes (`pkg/apis/triggers/v1beta1/openapi_generated.go`) and turns them into
// CustomResourceDefinitions with structural schemas, for `cdk8s import` and the field tree.
//
// Why the Go file: Triggers' own CRDs (config/300-*.yaml) have no schema (the whole object is
// x-kubernetes-preserve-unknown-fields), and `pkg/apis/triggers/v1beta1/swagger.json` is empty at
// v0.37.0 (and held Tekton Pipelines' definitions, not Triggers', in the releases where it was not).
// openapi_generated.go is what openapi-gen derives from the Go types, regenerated and checked by
// Triggers' `hack/update-openapigen.sh`; its shape is a Go composite literal, which this file reads
// with a small tokenizer (strings, identifiers, punctuation) rather than a Go parser.
'use strict';

/** The kinds the project builds, all served as triggers.tekton.dev/v1beta1. */
const TRIGGERS_KINDS = ['ClusterTriggerBinding', 'EventListener', 'Trigger', 'TriggerBinding', 'TriggerTemplate'];
const TRIGGERS_PACKAGE = 'github.com/tektoncd/triggers/pkg/apis/triggers/v1beta1';

/**
 * Definitions from outside the Triggers package, as the API server and Triggers' webhook see them.
 * Anything Kubernetes or Knative defines is kept whole (x-kubernetes-preserve-unknown-fields): its
 * schema is not in the Go file, and typing it by hand would be a second copy of Kubernetes' facts.
 */
const EXTERNAL = {
  'knative.dev/pkg/apis.URL': { type: 'string' },
  // any JSON value: an interceptor param is a string, a list or an object
  'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1.JSON': { 'x-kubernetes-preserve-unknown-fields': true },
};

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) throw new Error('unterminated comment');
      i = end + 2;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) throw new Error('unterminated string');
      tokens.push({ t: 'str', v: JSON.parse(text.slice(i, j + 1)) });
      i = j + 1;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      if (end === -1) throw new Error('unterminated raw string');
      tokens.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[A-Za-z_0-9]/.test(c)) {
      let j = i;
      while (j < text.length && /[A-Za-z_0-9.]/.test(text[j])) j++;
      tokens.push({ t: 'id', v: text.slice(i, j) });
      i = j;
    } else {
      tokens.push({ t: 'p', v: c });
      i++;
    }
  }
  return tokens;
}

/** A scalar (string, number, true/false) or a call such as `ref("name")`, as `{ call, arg }`. */
function parseValue(tokens, at) {
  const tok = tokens[at];
  if (tok.t === 'str') return [tok.v, at + 1];
  if (tok.t === 'id' && /^[0-9]/.test(tok.v)) return [Number(tok.v), at + 1];
  if (tok.t === 'id' && (tok.v === 'true' || tok.v === 'false')) return [tok.v === 'true', at + 1];
  if (tok.t === 'id' && tokens[at + 1] && tokens[at + 1].v === '(') {
    const [arg, next] = parseValue(tokens, at + 2);
    if (tokens[next].v !== ')') throw new Error(`expected ) after ${tok.v}(`);
    return [{ call: tok.v, arg }, next + 1];
  }
  return parseLiteral(tokens, at);
}

/** Every `schema_...` function's returned literal, by definition name (the Go package path and type). */
function parseGoDefinitions(text) {
  const tokens = tokenize(text);
  // the map from names to functions
  const names = new Map();
  for (let i = 0; i + 3 < tokens.length; i++) {
    if (tokens[i].t === 'str' && tokens[i + 1].v === ':' && tokens[i + 2].t === 'id' && tokens[i + 2].v.startsWith('schema_')) {
      names.set(tokens[i + 2].v, tokens[i].v);
    }
  }
  const definitions = new Map();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].v === 'func' && names.has(tokens[i + 1].v)) {
      let j = i + 2;
      while (tokens[j].v !== 'return') j++;
      const [literal] = parseLiteral(tokens, j + 1);
      definitions.set(names.get(tokens[i + 1].v), schemaOf(literal.keys.Schema));
    }
  }
  return definitions;
}

/**
 * A typed literal `T{...}`, `&T{...}`, `[]T{...}` or `map[K]V{...}` (the type is skipped) whose
 * elements are `Key: value`, `"key": value` or plain values: `{ keys, items }`.
 */
function parseLiteral(tokens, at) {
  let i = at;
  while (i < tokens.length && tokens[i].v !== '{') {
    if (tokens[i].t === 'p' && !['&', '[', ']', '*'].includes(tokens[i].v)) throw new Error(`unexpected "${tokens[i].v}" before a literal`);
    i++;
  }
  i++;
  const keys = {};
  const items = [];
  while (tokens[i].v !== '}') {
    let key;
    if ((tokens[i].t === 'id' || tokens[i].t === 'str') && tokens[i + 1].v === ':') {
      key = tokens[i].v;
      i += 2;
    }
    let value;
    [value, i] = parseValue(tokens, i);
    if (key === undefined) items.push(value);
    else keys[key] = value;
    if (tokens[i].v === ',') i++;
  }
  return [{ keys, items }, i + 1];
}

/** A `spec.Schema{...}` literal as an OpenAPI schema object ($ref holds the Go name). */
function schemaOf(literal) {
  const out = {};
  const props = literal.keys.SchemaProps ? literal.keys.SchemaProps.keys : {};
  if (props.Description !== undefined) out.description = props.Description;
  if (props.Type) out.type = props.Type.items[0];
  if (props.Format) out.format = props.Format;
  if (props.Ref) out.$ref = props.Ref.arg;
  if (props.Enum) out.enum = props.Enum.items;
  if (props.Required) out.required = props.Required.items;
  if (props.Properties) {
    out.properties = {};
    for (const [name, value] of Object.entries(props.Properties.keys)) out.properties[name] = schemaOf(value);
  }
  if (props.Items) out.items = schemaOf(props.Items.keys.Schema);
  if (props.AdditionalProperties) {
    const additional = props.AdditionalProperties.keys;
    out.additionalProperties = additional.Schema ? schemaOf(additional.Schema) : additional.Allows === true;
  }
  const extensions = literal.keys.VendorExtensible && literal.keys.VendorExtensible.keys.Extensions;
  if (extensions) {
    for (const [name, value] of Object.entries(extensions.keys)) {
      if (name === 'x-kubernetes-list-type' || name === 'x-kubernetes-map-type') out[name] = value;
    }
  }
  return out;
}

/** Inlines every $ref: Triggers' own definitions by their schema, anything else by EXTERNAL or kept whole. */
function resolveSchema(schema, definitions, seen = []) {
  if (schema.$ref !== undefined) {
    const name = schema.$ref;
    const description = schema.description;
    let resolved;
    if (definitions.has(name)) {
      if (seen.includes(name)) throw new Error(`recursive definition ${name}`);
      resolved = resolveSchema(definitions.get(name), definitions, [...seen, name]);
    } else {
      resolved = EXTERNAL[name] ? { ...EXTERNAL[name] } : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    }
    return description !== undefined ? { ...resolved, description } : resolved;
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties') {
      out.properties = {};
      for (const [name, sub] of Object.entries(value)) out.properties[name] = resolveSchema(sub, definitions, seen);
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      out[key] = resolveSchema(value, definitions, seen);
    } else {
      out[key] = value;
    }
  }
  // an object with nothing declared (a RawExtension such as a resource template) holds anything
  if (out.type === 'object' && !out.properties && out.additionalProperties === undefined) {
    out['x-kubernetes-preserve-unknown-fields'] = true;
  }
  // a field with no type (a JSON value) holds anything
  if (out.type === undefined && !out.properties) out['x-kubernetes-preserve-unknown-fields'] = true;
  return out;
}

/** One CustomResourceDefinition per kind, served as v1beta1 with the structural schema of its spec. */
function triggersCrds(goSource) {
  const definitions = parseGoDefinitions(goSource);
  return TRIGGERS_KINDS.map((kind) => {
    const name = `${TRIGGERS_PACKAGE}.${kind}`;
    const definition = definitions.get(name);
    if (!definition) throw new Error(`openapi_generated.go has no definition of ${kind}`);
    const spec = definition.properties && definition.properties.spec;
    if (!spec) throw new Error(`${kind} has no spec in openapi_generated.go`);
    const plural = `${kind.toLowerCase()}s`;
    return {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.triggers.tekton.dev` },
      spec: {
        group: 'triggers.tekton.dev',
        names: { kind, plural, singular: kind.toLowerCase() },
        scope: kind.startsWith('Cluster') ? 'Cluster' : 'Namespaced',
        versions: [
          {
            name: 'v1beta1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                description: definition.description,
                type: 'object',
                properties: {
                  apiVersion: { type: 'string' },
                  kind: { type: 'string' },
                  metadata: { type: 'object' },
                  spec: resolveSchema(spec, definitions),
                },
              },
            },
          },
        ],
      },
    };
  });
}

module.exports = { parseGoDefinitions, triggersCrds, TRIGGERS_KINDS };
