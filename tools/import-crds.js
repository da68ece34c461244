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
// Usage: node tools/import-crds.js [--output DIR]   (default: imports/)
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const YAML = require('yaml');

const TEKTON_VERSION = 'v1.15.0';
const RELEASE_URL = `https://infra.tekton.dev/tekton-releases/pipeline/previous/${TEKTON_VERSION}/release.yaml`;
const ROOT = path.resolve(__dirname, '..');
const WANTED = { Task: 'v1', Pipeline: 'v1', PipelineRun: 'v1', TaskRun: 'v1', StepAction: 'v1beta1' };
/** The kinds whose v1beta1 schema the field tree holds besides (under "beta"). */
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

async function main() {
  const output = outputDirectory();
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

  const kserve = await readKserveCrds();
  const missingKserve = Object.keys(KSERVE_WANTED).filter((k) => !kserve.some((c) => c.spec.names.kind === k));
  if (missingKserve.length) throw new Error(`KServe CRDs not found: ${missingKserve.join(', ')}`);
  cdk8sImport(kept, 'tekton', output);
  cdk8sImport(kserve, 'kserve', output);
  // the field tree also holds the v1beta1 schemas of the four kinds Tekton still serves in v1beta1, which its webhook decodes strictly too
  const beta = docs
    .filter((crd) => BETA_FIELDS.includes(crd.spec.names.kind))
    .map((crd) => {
      const versions = crd.spec.versions.filter((v) => v.name === 'v1beta1');
      if (versions.length !== 1) throw new Error(`${crd.metadata.name} has no version v1beta1`);
      return { ...crd, spec: { ...crd.spec, versions } };
    });
  const fields = JSON.stringify(fieldTree(kept, beta));
  // field names hold no quote, backslash or line break, so the text needs no escaping in '...'
  if (/['\\\n\u2028\u2029]/.test(fields)) throw new Error('the field tree holds a character that needs escaping');
  fs.writeFileSync(
    path.join(output, 'tekton-fields.ts'),
    [
      `// generated by tools/import-crds.js from the Tekton Pipelines ${TEKTON_VERSION} CRDs: do not edit`,
      '/** The field tree of the Tekton CRDs as JSON text (see tools/import-crds.js fieldTree); parsed when first needed. */',
      `export const TEKTON_FIELDS_JSON = '${fields}';`,
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
// "kinds" holds each kind in the version WANTED names; "beta" the v1beta1 schemas of BETA_FIELDS.
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
      kinds[crd.spec.names.kind] = { apiVersion: `tekton.dev/${crd.spec.versions[0].name}`, spec: convert(schema.properties.spec) };
    }
    return kinds;
  };
  const kinds = kindsOf(crds);
  const beta = kindsOf(betaCrds);
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
  for (const kind of Object.keys(beta)) beta[kind].spec = resolve(beta[kind].spec);
  const sortedDefs = Object.fromEntries(
    Object.keys(kept)
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
      .map((id) => [id, kept[id]]),
  );
  return { defs: sortedDefs, kinds, beta };
}

main().catch((err) => {
  console.error(`import: ${err.message}`);
  process.exit(1);
});
