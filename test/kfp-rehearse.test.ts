/**
 * Three real KFP v2 pipelines of the corpus run end to end with the rehearsal (`rehearsePipelineRun`):
 * their lightweight Python components are real Python (standard library only), run by slsa-for-models'
 * stand-in executor (`kfp-runtime=stand-in`) because kfp cannot be installed from PyPI here — the logs
 * say so; kfp itself never runs in these tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileKfp } from '../src/kfp';
import {
  buildPipelineRunProvenance,
  chainsProvenance,
  generateCosignKeyPair,
  readTektonFeatureFlags,
  rehearsePipelineRun,
  signDsseEnvelope,
} from '../src/rehearse';
import { verifyModelAttestation } from '../src/verify';

const CORPUS = path.resolve(__dirname, '..', '..', 'shared', 'kfp', 'ir');
const available = fs.existsSync(CORPUS);
if (!available) console.log(`skipping the KFP rehearsal tests: ${CORPUS} is absent`);

const workDirs: string[] = [];
afterAll(() => {
  for (const d of workDirs) fs.rmSync(d, { recursive: true, force: true });
});

function rehearseIr(file: string) {
  const compiled = compileKfp(fs.readFileSync(path.join(CORPUS, file), 'utf8'), { fileName: file });
  const run = JSON.parse(JSON.stringify(compiled.run));
  run.metadata = { name: `${compiled.name.slice(0, 40)}-r1`, uid: '0f1e2d3c-0000-4000-8000-000000000001', namespace: 'default' };
  run.spec.params = [{ name: 'kfp-runtime', value: 'stand-in' }];
  run.spec.workspaces = [{ name: 'kfp-artifacts', emptyDir: {} }];
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-rehearse-'));
  workDirs.push(workDir);
  const rehearsal = rehearsePipelineRun({
    pipelineRun: run,
    objects: compiled.objects as never,
    flags: readTektonFeatureFlags({ 'enable-api-fields': 'beta' }),
    workDir,
    env: process.env,
    report: () => undefined,
  });
  const results = new Map<string, unknown>();
  for (const t of rehearsal.taskRuns) {
    for (const r of ((t as any).status.results ?? []) as { name: string; value: unknown }[]) {
      results.set(`${(t as any).metadata.labels?.['tekton.dev/pipelineTask'] ?? (t as any).metadata.name}.${r.name}`, r.value);
    }
  }
  const logs = fs
    .readdirSync(workDir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('stdout.log'))
    .map((f) => fs.readFileSync(path.join(workDir, f), 'utf8'))
    .join('');
  return { rehearsal, results, logs, workDir };
}

(available ? describe : describe.skip)('rehearsing compiled KFP pipelines (stand-in executor)', () => {
  test('essential/pipeline_with_outputs: a sub-DAG, parameter and artifact outputs', () => {
    const r = rehearseIr('essential/pipeline_with_outputs.yaml');
    expect(r.rehearsal.pipelineRun.status).toMatchObject({ conditions: [expect.objectContaining({ status: 'True' })] });
    expect(
      [...r.results.entries()]
        .filter(([k]) => k.endsWith('.Output'))
        .map(([, v]) => v)
        .sort(),
    ).toEqual(['Hello', 'world']);
    expect(r.logs).toContain("kfp is NOT installed (kfp-runtime=stand-in): running print_op1 with slsa-for-models' stand-in executor");
  });

  test('essential/pipeline_with_metrics_outputs: a static ParallelFor unrolled, Metrics metadata written beside the artifact', () => {
    const r = rehearseIr('essential/pipeline_with_metrics_outputs.yaml');
    const metricsPaths = [...r.results.entries()].filter(([k]) => k.endsWith('.metrics')).map(([, v]) => String(v));
    expect(metricsPaths).toHaveLength(3);
    for (const p of metricsPaths) {
      const record = JSON.parse(fs.readFileSync(`${p}.kfp.json`, 'utf8'));
      expect(record).toMatchObject({ schemaTitle: 'system.Metrics', metadata: { accuracy: expect.any(Number) } });
    }
  });

  test('critical/pipeline_with_input_status_state: the exit handler runs as finally and reads PipelineTaskFinalStatus', () => {
    const r = rehearseIr('critical/pipeline_with_input_status_state.yaml');
    const names = r.rehearsal.taskRuns.map((t: any) => t.metadata.labels?.['tekton.dev/pipelineTask']);
    expect(names).toEqual(['exit-handler-1-some-task', 'echo-state']);
    expect(r.rehearsal.pipelineRun.status).toMatchObject({ conditions: [expect.objectContaining({ status: 'True' })] });
  });

  test('local_execution/pipeline_with_collected_artifacts: dsl.Collected artifacts from an unrolled ParallelFor, pythonic List[Artifact]', () => {
    const r = rehearseIr('local_execution/pipeline_with_collected_artifacts.yaml');
    expect(r.results.get('read-and-join.Output')).toBe('0,1,2');
  });

  test('critical/pythonic_artifacts_test_pipeline: a returned Model becomes the Chains subject with its sha256, and verify accepts it', async () => {
    const r = rehearseIr('critical/pythonic_artifacts_test_pipeline.yaml');
    const subject = (r.rehearsal.pipelineRun as any).status.results.find((x: any) => x.name.endsWith('_ARTIFACT_OUTPUTS'));
    const file = String(r.results.get('train-model.Output'));
    const digest = require('node:crypto').createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(subject.value).toEqual({ uri: file, digest: `sha256:${digest}`, isBuildArtifact: 'true' });

    // what Chains (slsa/v2alpha4) would sign for this run names the model; verify accepts the model
    const statement = buildPipelineRunProvenance(r.rehearsal.pipelineRun as never, r.rehearsal.taskRuns as never, {
      format: 'slsa/v2alpha4',
    });
    expect(statement.subject).toEqual([{ name: file, digest: { sha256: digest } }]);
    // the `provenance` command's path, on the runs as kubectl would print them, gives the same statement
    const printed = JSON.parse(JSON.stringify({ run: r.rehearsal.pipelineRun, taskRuns: r.rehearsal.taskRuns }));
    expect(chainsProvenance(printed.run, { format: 'slsa/v2alpha4', taskRuns: printed.taskRuns })).toEqual(statement);
    const keys = generateCosignKeyPair('kfp-test');
    const envelope = signDsseEnvelope(Buffer.from(JSON.stringify(statement)), keys.privateKey);
    // Nothing is logged here: the check runs as with --insecure-ignore-tlog (the log check is on by default).
    const verdict = await verifyModelAttestation({
      key: require('node:crypto').createPublicKey(keys.publicKeyPem),
      envelope: JSON.stringify(envelope),
      modelPath: file,
      insecureIgnoreTlog: true,
    });
    expect([verdict.verified, verdict.reason]).toEqual([true, expect.stringContaining('verified')]);
  });

  test('critical/mixed_parameters: typed parameters through a sub-DAG (NUMBER_INTEGER as JSON)', () => {
    const r = rehearseIr('critical/mixed_parameters.yaml');
    expect(r.rehearsal.pipelineRun.status).toMatchObject({ conditions: [expect.objectContaining({ status: 'True' })] });
    expect([...r.results.values()]).toContain('1');
  });
});
