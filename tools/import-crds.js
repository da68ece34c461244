#!/usr/bin/env node
// Regenerates imports/tekton.ts from the Tekton Pipelines v1.15.0 CRDs.
//
// `cdk8s import` names the first served version of a CRD without a suffix; Tekton lists
// v1beta1 first, so a plain import would call v1beta1 `Task` and v1 `TaskV1`. We import
// from copies that keep a single version (v1; v1beta1 for StepAction, which has no v1),
// so the unsuffixed classes are the tekton.dev/v1 API.
//
// Where the CRDs come from, first match wins:
//   1. $TEKTON_PIPELINE_CRDS_DIR (a directory holding 300-*.yaml)
//   2. ../shared/tekton/pipeline-crds beside the project
//   3. the pinned release manifest (needs network)
//
// It also writes imports/tekton-fields.ts: the field tree the `field-unknown` check walks, derived
// from the same CRD schemas (see fieldTree below), as the text of a compact JSON document in a
// module (a .json beside it would be compiled to lib/imports/*.json, which the package does not ship).
//
// It also writes imports/serving.kserve.io.ts from the KServe v0.20.0 CRDs (InferenceService
// v1beta1 and ClusterStorageContainer v1alpha1, full structural schemas), read from
// $KSERVE_CRDS_DIR, else ../shared/kserve/crds beside the project, else the pinned tag's
// config/crd/full/ on GitHub (needs network).
//
// It also writes imports/triggers.tekton.dev.ts and imports/triggers-fields.ts from the Tekton Triggers
// v0.37.0 API (EventListener, Trigger, TriggerBinding, ClusterTriggerBinding, TriggerTemplate, all
// triggers.tekton.dev/v1beta1). Triggers' CRDs carry no schema, so the types come from the OpenAPI
// definitions openapi-gen wrote into `pkg/apis/triggers/v1beta1/openapi_generated.go` (see
// tools/triggers-openapi.js), read from $TRIGGERS_OPENAPI_GO (that file), else
// ../shared/tekton/triggers-openapi/openapi_generated.go beside the project, else the pinned tag on
// GitHub (needs network).
//
// Usage: node tools/import-crds.js [--output DIR] [--only tekton,kserve,triggers]   (default: imports/, all three)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const YAML = require('yaml');
const { triggersCrds } = require('./triggers-openapi');

const TEKTON_VERSION = 'v1.15.0';
const RELEASE_URL = `https://infra.tekton.dev/tekton-releases/pipeline/previous/${TEKTON_VERSION}/release.yaml`;
const ROOT = path.resolve(__dirname, '..');
const WANTED = { Task: 'v1', Pipeline: 'v1', PipelineRun: 'v1', TaskRun: 'v1', StepAction: 'v1beta1' };
/** The kinds whose v1beta1 schema the Tekton field tree holds besides (under "beta"). */
const BETA_FIELDS = ['Pipeline', 'PipelineRun', 'Task', 'TaskRun'];
const KSERVE_VERSION = 'v0.20.0';
const KSERVE_CRD_URL = `https://raw.githubusercontent.com/kserve/kserve/${KSERVE_VERSION}/config/crd/full`;
/** The KServe kinds the project builds, each in the version it is served in, and its CRD file. */
const KSERVE_WANTED = {
  InferenceService: { version: 'v1beta1', file: 'serving.kserve.io_inferenceservices.yaml' },
  ClusterStorageContainer: { version: 'v1alpha1', file: 'serving.kserve.io_clusterstoragecontainers.yaml' },
};

async function readCrdDocuments() {
  const fromEnv = process.env.TEKTON_PIPELINE_CRDS_DIR;
  const shared = path.resolve(ROOT, '..', 'shared', 'tekton', 'pipeline-crds');
  const dir = fromEnv || (fs.existsSync(shared) ? shared : undefined);
  if (dir) {
    if (!fs.existsSync(dir)) throw new Error(`TEKTON_PIPELINE_CRDS_DIR=${dir} does not exist`);
    console.error(`reading CRDs from ${dir}`);
    return fs
      .readdirSync(dir)
      .filter((f) => /^300-.*\.ya?ml$/.test(f))
      .sort()
      .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => d.toJS()));
  }
  console.error(`reading CRDs from ${RELEASE_URL}`);
  const response = await fetch(RELEASE_URL);
  if (!response.ok) throw new Error(`cannot download ${RELEASE_URL}: HTTP ${response.status}`);
  return YAML.parseAllDocuments(await response.text()).map((d) => d.toJS());
}

async function readKserveCrds() {
  const fromEnv = process.env.KSERVE_CRDS_DIR;
  const shared = path.resolve(ROOT, '..', 'shared', 'kserve', 'crds');
  const dir = fromEnv || (fs.existsSync(shared) ? shared : undefined);
  const texts = [];
  if (dir) {
    if (!fs.existsSync(dir)) throw new Error(`KSERVE_CRDS_DIR=${dir} does not exist`);
    console.error(`reading KServe CRDs from ${dir}`);
    for (const { file } of Object.values(KSERVE_WANTED)) texts.push(fs.readFileSync(path.join(dir, file), 'utf8'));
  } else {
    console.error(`reading KServe CRDs from ${KSERVE_CRD_URL}`);
    for (const { file } of Object.values(KSERVE_WANTED)) {
      const response = await fetch(`${KSERVE_CRD_URL}/${file}`);
      if (!response.ok) throw new Error(`cannot download ${KSERVE_CRD_URL}/${file}: HTTP ${response.status}`);
      texts.push(await response.text());
    }
  }
  return texts
    .flatMap((text) => YAML.parseAllDocuments(text).map((d) => d.toJS()))
    .filter((d) => d && d.kind === 'CustomResourceDefinition' && d.spec.group === 'serving.kserve.io' && KSERVE_WANTED[d.spec.names.kind])
    .map((crd) => {
      const version = KSERVE_WANTED[crd.spec.names.kind].version;
      const versions = crd.spec.versions.filter((v) => v.name === version);
      if (versions.length !== 1) throw new Error(`${crd.metadata.name} has no version ${version}`);
      return { ...crd, spec: { ...crd.spec, versions } };
    });
}

const TRIGGERS_VERSION = 'v0.37.0';
const TRIGGERS_OPENAPI_URL = `https://raw.githubusercontent.com/tektoncd/triggers/${TRIGGERS_VERSION}/pkg/apis/triggers/v1beta1/openapi_generated.go`;

async function readTriggersOpenApi() {
  const fromEnv = process.env.TRIGGERS_OPENAPI_GO;
  const shared = path.resolve(ROOT, '..', 'shared', 'tekton', 'triggers-openapi', 'openapi_generated.go');
  const file = fromEnv || (fs.existsSync(shared) ? shared : undefined);
  if (file) {
    if (!fs.existsSync(file)) throw new Error(`TRIGGERS_OPENAPI_GO=${file} does not exist`);
    console.error(`reading Triggers OpenAPI definitions from ${file}`);
    return fs.readFileSync(file, 'utf8');
  }
  console.error(`reading Triggers OpenAPI definitions from ${TRIGGERS_OPENAPI_URL}`);
  const response = await fetch(TRIGGERS_OPENAPI_URL);
  if (!response.ok) throw new Error(`cannot download ${TRIGGERS_OPENAPI_URL}: HTTP ${response.status}`);
  return response.text();
}

function cdk8sImport(crds, name, output) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
  const combined = path.join(work, `${name}.yaml`);
  fs.writeFileSync(combined, crds.map((d) => YAML.stringify(d)).join('---\n'));
  const cli = path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
  const result = spawnSync(
    process.execPath,
    [cli, 'import', combined, '--language', 'typescript', '--output', output, '--no-save', '--no-check-upgrade'],
    { stdio: 'inherit', cwd: ROOT },
  );
  fs.rmSync(work, { recursive: true, force: true });
  if (result.status !== 0) throw new Error('cdk8s import failed');
}

function outputDirectory() {
  const i = process.argv.indexOf('--output');
  if (i === -1) return path.join(ROOT, 'imports');
  if (!process.argv[i + 1]) throw new Error('--output needs a directory');
  return path.resolve(process.argv[i + 1]);
}

/** Which imports to run: `--only tekton,kserve,triggers` (default all three). */
function selectedImports() {
  const all = ['tekton', 'kserve', 'triggers'];
  const i = process.argv.indexOf('--only');
  if (i === -1) return all;
  const chosen = (process.argv[i + 1] || '').split(',').filter((s) => s !== '');
  const unknown = chosen.filter((s) => !all.includes(s));
  if (chosen.length === 0 || unknown.length) throw new Error(`--only takes a comma list of ${all.join(', ')}`);
  return chosen;
}

async function main() {
  const output = outputDirectory();
  const only = selectedImports();
  // read and check every input first, so a missing one fails before anything is generated
  const writers = [];
  if (only.includes('tekton')) writers.push(await importTekton());
  if (only.includes('kserve')) writers.push(await importKserve());
  if (only.includes('triggers')) writers.push(await importTriggers());
  for (const write of writers) write(output);
}

/** Reads the Tekton CRDs; returns what writes imports/tekton.dev.ts and imports/tekton-fields.ts. */
async function importTekton() {
  const docs = (await readCrdDocuments()).filter(
    (d) => d && d.kind === 'CustomResourceDefinition' && d.spec.group === 'tekton.dev' && WANTED[d.spec.names.kind],
  );
  const kept = docs.map((crd) => {
    const version = WANTED[crd.spec.names.kind];
    const versions = crd.spec.versions.filter((v) => v.name === version);
    if (versions.length !== 1) throw new Error(`${crd.metadata.name} has no version ${version}`);
    return { ...crd, spec: { ...crd.spec, versions } };
  });
  const missing = Object.keys(WANTED).filter((k) => !kept.some((c) => c.spec.names.kind === k));
  if (missing.length) throw new Error(`CRDs not found: ${missing.join(', ')}`);
  // the field tree also holds the v1beta1 schemas of the four kinds Tekton still serves in v1beta1, which its webhook decodes strictly too
  const beta = docs
    .filter((crd) => BETA_FIELDS.includes(crd.spec.names.kind))
    .map((crd) => {
      const versions = crd.spec.versions.filter((v) => v.name === 'v1beta1');
      if (versions.length !== 1) throw new Error(`${crd.metadata.name} has no version v1beta1`);
      return { ...crd, spec: { ...crd.spec, versions } };
    });
  return (output) => {
    cdk8sImport(kept, 'tekton', output);
    writeFieldTree(
      path.join(output, 'tekton-fields.ts'),
      { crds: kept, beta },
      `the Tekton Pipelines ${TEKTON_VERSION} CRDs`,
      'TEKTON_FIELDS_JSON',
      'The field tree of the Tekton CRDs',
    );
  };
}

/** Reads the KServe CRDs; returns what writes imports/serving.kserve.io.ts. */
async function importKserve() {
  const kserve = await readKserveCrds();
  const missingKserve = Object.keys(KSERVE_WANTED).filter((k) => !kserve.some((c) => c.spec.names.kind === k));
  if (missingKserve.length) throw new Error(`KServe CRDs not found: ${missingKserve.join(', ')}`);
  return (output) => cdk8sImport(kserve, 'kserve', output);
}

/** Reads Triggers' OpenAPI definitions; returns what writes imports/triggers.tekton.dev.ts and imports/triggers-fields.ts. */
async function importTriggers() {
  const triggers = triggersCrds(await readTriggersOpenApi());
  return (output) => {
    cdk8sImport(triggers, 'triggers', output);
    writeFieldTree(
      path.join(output, 'triggers-fields.ts'),
      triggers,
      `the Tekton Triggers ${TRIGGERS_VERSION} OpenAPI definitions (pkg/apis/triggers/v1beta1/openapi_generated.go)`,
      'TRIGGERS_FIELDS_JSON',
      "The field tree of Triggers' v1beta1 kinds (Triggers' webhook refuses unknown fields)",
    );
  };
}

function writeFieldTree(file, crds, source, constant, doc) {
  const fields = JSON.stringify(Array.isArray(crds) ? fieldTree(crds) : fieldTree(crds.crds, crds.beta));
  // field names hold no quote, backslash or line break, so the text needs no escaping in '...'
  if (/['\\\n\u2028\u2029]/.test(fields)) throw new Error('the field tree holds a character that needs escaping');
  fs.writeFileSync(
    file,
    [
      `// generated by tools/import-crds.js from ${source}: do not edit`,
      `/** ${doc} as JSON text (see tools/import-crds.js fieldTree); parsed when first needed. */`,
      `export const ${constant} = '${fields}';`,
      '',
    ].join('\n'),
  );
}

// The field tree: which field names the API server keeps (structural pruning) for each kind.
// A node is 1 (a scalar, or anything not an object or list), {"p": {name: node}} (an object
// with declared properties; every other key is pruned), plus "x": 1 when the schema sets
// x-kubernetes-preserve-unknown-fields (unknown keys kept), {"m": node} (an additionalProperties
// map) or {"i": node} (a list and its items). A subtree used more than once (container and pod
// templates) is stored once under "defs" and referenced as {"r": "<id>"}. Keys are sorted.
// "kinds" holds each kind in its one version; "beta", when betaCrds are given (Tekton's
// v1beta1 schemas of BETA_FIELDS), the same for those.
function fieldTree(crds, betaCrds) {
  const table = new Map();
  const uses = new Map();
  const intern = (node) => {
    const text = JSON.stringify(node);
    if (text.length < 120) return node;
    let id = table.get(text);
    if (!id) table.set(text, (id = `d${table.size}`));
    uses.set(id, (uses.get(id) || 0) + 1);
    return { r: id };
  };
  const convert = (schema) => {
    const node = {};
    if (!schema || typeof schema !== 'object') return 1;
    if (schema['x-kubernetes-preserve-unknown-fields']) node.x = 1;
    if (schema.items) node.i = convert(schema.items);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') node.m = convert(schema.additionalProperties);
    if (schema.properties) {
      node.p = {};
      for (const name of Object.keys(schema.properties).sort()) node.p[name] = convert(schema.properties[name]);
    } else if (schema.type === 'object' && !node.m && !node.x) {
      node.p = {};
    }
    const keys = Object.keys(node).sort();
    if (keys.length === 0) return 1;
    return intern(Object.fromEntries(keys.map((k) => [k, node[k]])));
  };
  const kindsOf = (list) => {
    const kinds = {};
    for (const crd of [...list].sort((a, b) => (a.spec.names.kind < b.spec.names.kind ? -1 : 1))) {
      const schema = crd.spec.versions[0].schema.openAPIV3Schema;
      kinds[crd.spec.names.kind] = { apiVersion: `${crd.spec.group}/${crd.spec.versions[0].name}`, spec: convert(schema.properties.spec) };
    }
    return kinds;
  };
  const kinds = kindsOf(crds);
  const beta = betaCrds ? kindsOf(betaCrds) : undefined;
  // inline what is used once, so only shared subtrees stay in defs
  const defs = new Map([...table].map(([text, id]) => [id, JSON.parse(text)]));
  const kept = {};
  const resolve = (node) => {
    if (node === 1) return 1;
    if (node.r !== undefined) {
      if (uses.get(node.r) > 1) {
        if (!kept[node.r]) kept[node.r] = resolve(defs.get(node.r));
        return node;
      }
      return resolve(defs.get(node.r));
    }
    const out = {};
    for (const k of Object.keys(node)) {
      if (k === 'p') out.p = Object.fromEntries(Object.keys(node.p).map((n) => [n, resolve(node.p[n])]));
      else if (k === 'i' || k === 'm') out[k] = resolve(node[k]);
      else out[k] = node[k];
    }
    return out;
  };
  for (const kind of Object.keys(kinds)) kinds[kind].spec = resolve(kinds[kind].spec);
  if (beta) for (const kind of Object.keys(beta)) beta[kind].spec = resolve(beta[kind].spec);
  const sortedDefs = Object.fromEntries(
    Object.keys(kept)
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
      .map((id) => [id, kept[id]]),
  );
  return beta ? { defs: sortedDefs, kinds, beta } : { defs: sortedDefs, kinds };
}

main().catch((err) => {
  console.error(`import: ${err.message}`);
  process.exit(1);
});
