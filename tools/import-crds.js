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

async function readCrdDocuments() {
  const fromEnv = process.env.TEKTON_PIPELINE_CRDS_DIR;
  const shared = path.resolve(ROOT, '..', 'shared', 'tekton', 'pipeline-crds');
  const dir = fromEnv || (fs.existsSync(shared) ? shared : undefined);
  if (dir) {
    if (!fs.existsSync(dir)) throw new Error(`TEKTON_PIPELINE_CRDS_DIR=${dir} does not exist`);
    console.error(`reading CRDs from ${dir}`);
    return fs.readdirSync(dir).filter(f => /^300-.*\.ya?ml$/.test(f)).sort()
      .flatMap(f => YAML.parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map(d => d.toJS()));
  }
  console.error(`reading CRDs from ${RELEASE_URL}`);
  const response = await fetch(RELEASE_URL);
  if (!response.ok) throw new Error(`cannot download ${RELEASE_URL}: HTTP ${response.status}`);
  return YAML.parseAllDocuments(await response.text()).map(d => d.toJS());
}

function outputDirectory() {
  const i = process.argv.indexOf('--output');
  if (i === -1) return path.join(ROOT, 'imports');
  if (!process.argv[i + 1]) throw new Error('--output needs a directory');
  return path.resolve(process.argv[i + 1]);
}

async function main() {
  const output = outputDirectory();
  const docs = (await readCrdDocuments()).filter(d => d && d.kind === 'CustomResourceDefinition'
    && d.spec.group === 'tekton.dev' && WANTED[d.spec.names.kind]);
  const kept = docs.map(crd => {
    const version = WANTED[crd.spec.names.kind];
    const versions = crd.spec.versions.filter(v => v.name === version);
    if (versions.length !== 1) throw new Error(`${crd.metadata.name} has no version ${version}`);
    return { ...crd, spec: { ...crd.spec, versions } };
  });
  const missing = Object.keys(WANTED).filter(k => !kept.some(c => c.spec.names.kind === k));
  if (missing.length) throw new Error(`CRDs not found: ${missing.join(', ')}`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tekton-crds-'));
  const combined = path.join(work, 'tekton.yaml');
  fs.writeFileSync(combined, kept.map(d => YAML.stringify(d)).join('---\n'));
  const cli = path.join(path.dirname(require.resolve('cdk8s-cli/package.json')), 'bin', 'cdk8s');
  const result = spawnSync(process.execPath, [cli, 'import', combined, '--language', 'typescript',
    '--output', output, '--no-save', '--no-check-upgrade'], { stdio: 'inherit', cwd: ROOT });
  fs.rmSync(work, { recursive: true, force: true });
  if (result.status !== 0) throw new Error('cdk8s import failed');
}

main().catch(err => { console.error(`import: ${err.message}`); process.exit(1); });
