#!/usr/bin/env node
// Benchmark: `slsa-for-models check` on a directory of many Tekton files, in one process (the
// command as the CLI runs it: listing, reading and parsing the YAML, judging, placing each finding
// on its line, printing). Prints files/s; asserts nothing. Goal (issue 22): at least 500 files/s.
//
// The corpus is built without network: Tekton v1.15.0's own examples (../shared/tekton/examples-v1,
// 156 files of Tasks, Pipelines, runs and StepActions) copied CHECK_BENCH_COPIES times (default 13,
// about 2,000 files) into directories of their own, so each copy's references resolve in its own
// tree as a catalog's versions do; without ../shared, a synthesized corpus of the same size (a Task,
// a Pipeline that wires it and a PipelineRun in each of three files). CHECK_BENCH_DIR names a
// directory to time instead (e.g. the real-world corpus `node tools/check-corpus.js --keep` leaves).
// CHECK_BENCH_RUNS (default 5) timed runs follow one warm-up; the best and the median are shown.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..', '..');
const LIB = path.join(ROOT, 'lib', 'src');
const { checkCommand } = require(path.join(LIB, 'cli', 'check-command'));
const { listSourceFiles, readSourceFile } = require(path.join(LIB, 'tekton-model', 'yaml-sources'));
const { checkDocuments } = require(path.join(LIB, 'check'));

const EXAMPLES = path.join(ROOT, '..', 'shared', 'tekton', 'examples-v1');
const COPIES = Number(process.env.CHECK_BENCH_COPIES || 13);
const RUNS = Number(process.env.CHECK_BENCH_RUNS || 5);
const GOAL = 500;

function copyTree(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(source, target);
    else if (/\.(ya?ml|json)$/.test(entry.name)) fs.copyFileSync(source, target);
  }
}

/** Three files per unit: a Task, a Pipeline that runs it three times, wiring results, and a PipelineRun. */
function synthesize(dir, units) {
  for (let i = 0; i < units; i++) {
    const unit = path.join(dir, `unit-${String(i).padStart(4, '0')}`);
    fs.mkdirSync(unit, { recursive: true });
    fs.writeFileSync(
      path.join(unit, 'task.yaml'),
      `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: build-${i}
spec:
  params:
    - name: source
      type: object
      properties:
        url: {}
        revision: {}
    - name: flags
      type: array
      default: []
    - name: previous
      default: ""
  results:
    - name: digest
  workspaces:
    - name: data
  steps:
    - name: build
      image: registry.example/builder@sha256:${'0'.repeat(64)}
      args: ["$(params.flags[*])"]
      script: |
        echo "$(params.source.url) $(params.source.revision) $(params.previous)" > $(workspaces.data.path)/log
        printf '%s' sha256:abc > $(results.digest.path)
`,
    );
    const tasks = [0, 1, 2]
      .map(
        (t) => `    - name: step-${t}
      taskRef:
        name: build-${i}
${t > 0 ? `      runAfter: [step-${t - 1}]\n` : ''}      params:
        - name: source
          value:
            url: $(params.url)
            revision: $(params.revision)
        - name: flags
          value: ["--verbose", "$(params.flag)"]
        - name: previous
          value: ${t > 0 ? `$(tasks.step-${t - 1}.results.digest)` : '""'}
      workspaces:
        - name: data
          workspace: shared`,
      )
      .join('\n');
    fs.writeFileSync(
      path.join(unit, 'pipeline.yaml'),
      `apiVersion: tekton.dev/v1
kind: Pipeline
metadata:
  name: chain-${i}
spec:
  params:
    - name: url
    - name: revision
    - name: flag
      default: --fast
  workspaces:
    - name: shared
  tasks:
${tasks}
  results:
    - name: digest
      value: $(tasks.step-2.results.digest)
`,
    );
    fs.writeFileSync(
      path.join(unit, 'run.yaml'),
      `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  generateName: chain-${i}-
spec:
  pipelineRef:
    name: chain-${i}
  params:
    - name: url
      value: https://example.com/repo.git
    - name: revision
      value: main
  workspaces:
    - name: shared
      emptyDir: {}
`,
    );
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeCommand(dir) {
  let stdout = 0;
  const sink = { write: (s) => (stdout += s.length) };
  const start = performance.now();
  const cpu = process.cpuUsage();
  const status = await checkCommand.run([dir], { stdout: sink, stderr: { write: () => undefined } });
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, status, stdout };
}

async function main() {
  let work;
  let dir = process.env.CHECK_BENCH_DIR;
  let what;
  if (!dir) {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'check-bench-'));
    dir = path.join(work, 'corpus');
    if (fs.existsSync(EXAMPLES)) {
      for (let c = 0; c < COPIES; c++) copyTree(EXAMPLES, path.join(dir, `copy-${String(c).padStart(2, '0')}`));
      what = `Tekton v1.15.0's examples (../shared/tekton/examples-v1) x ${COPIES}`;
    } else {
      synthesize(dir, Math.ceil((COPIES * 156) / 3));
      what = 'synthesized Tasks, Pipelines and PipelineRuns (../shared is absent)';
    }
  } else what = dir;
  try {
    const files = listSourceFiles(dir);
    const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
    const rate = (ms) => Math.round((files.length * 1000) / ms);
    // the first run is cold, as one CLI invocation is (after Node has loaded the modules)
    const cold = await timeCommand(dir);
    // the parts, once more: reading and parsing, then judging
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    let mark = cpu();
    const sources = files.flatMap((f) => {
      try {
        return readSourceFile(f, { skipNonMappings: true });
      } catch {
        return [];
      }
    });
    const readMs = cpu() - mark;
    mark = cpu();
    const findings = checkDocuments(
      sources.map((s) => s.value),
      { documentSources: sources.map((s) => s.file) },
    );
    const judgeMs = cpu() - mark;

    const runs = [];
    const cpuRuns = [];
    let last;
    for (let r = 0; r < RUNS; r++) {
      global.gc?.();
      last = await timeCommand(dir);
      runs.push(last.ms);
      cpuRuns.push(last.cpuMs);
    }
    const best = Math.min(...runs);
    const bestCpu = Math.min(...cpuRuns);
    console.log(`corpus: ${what}`);
    console.log(
      `  ${files.length} files, ${sources.length} documents, ${(bytes / 1024 / 1024).toFixed(1)} MiB; ${findings.length} findings; exit ${last.status}`,
    );
    console.log(
      `  load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs; CPU time (user + system) is steadier than wall time on a loaded machine`,
    );
    console.log(
      `  first run (cold, as one CLI invocation): wall ${cold.ms.toFixed(0)} ms = ${rate(cold.ms)} files/s, CPU ${cold.cpuMs.toFixed(0)} ms = ${rate(cold.cpuMs)} files/s`,
    );
    console.log(
      `  warm, best of ${RUNS}: wall ${best.toFixed(0)} ms = ${rate(best)} files/s (median ${rate(median(runs))}), CPU ${bestCpu.toFixed(0)} ms = ${rate(bestCpu)} files/s (goal >= ${GOAL} files/s)`,
    );
    console.log(`  of the CPU time: read and parse ${readMs.toFixed(0)} ms, judge ${judgeMs.toFixed(0)} ms`);
  } finally {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
