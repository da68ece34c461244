import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChainsFormat } from '../../src/chains/type-hinting';

/**
 * The expected statements of Tekton Chains v0.29.2's own formatter unit tests (`../shared/tekton/chains-fixtures/
 * expected/`, see its README): which input files and settings each one used.
 */

/** The fixtures' folder, or undefined where `../shared` is absent. */
export const CHAINS_FIXTURES = ((): string | undefined => {
  const dir = path.resolve(__dirname, '..', '..', '..', 'shared', 'tekton', 'chains-fixtures');
  return fs.existsSync(path.join(dir, 'expected')) ? dir : undefined;
})();

/** One expected statement (or partial externalParameters) and how Chains' test made it. */
export interface ChainsFixtureCase {
  /** Path under `expected/`. */
  readonly expected: string;
  /** The run, under `pkg/chains/formats/slsa/testdata/`. */
  readonly run: string;
  readonly kind: 'PipelineRun' | 'TaskRun';
  /** TaskRun files appended to a PipelineRun, in order. */
  readonly taskRuns?: readonly string[];
  readonly format: ChainsFormat;
  readonly builderId?: string;
  readonly deepInspection?: boolean;
  /** Only `externalParameters` is expected. */
  readonly partial?: boolean;
}

const v4 = (
  test: string,
  run: string,
  kind: 'PipelineRun' | 'TaskRun',
  builderId: string,
  extra: Partial<ChainsFixtureCase> = {},
): ChainsFixtureCase => ({
  expected: `slsa-v2alpha4/${test}.json`,
  run: `slsa-v2alpha4/${run}`,
  kind,
  builderId,
  format: 'slsa/v2alpha4',
  ...extra,
});
const v3 = (
  test: string,
  run: string,
  kind: 'PipelineRun' | 'TaskRun',
  builderId: string,
  extra: Partial<ChainsFixtureCase> = {},
): ChainsFixtureCase => ({
  expected: `slsa-v2alpha3/${test}.json`,
  run: `slsa-v2alpha3/${run}`,
  kind,
  builderId,
  format: 'slsa/v2alpha3',
  ...extra,
});
const v1 = (
  test: string,
  run: string,
  kind: 'PipelineRun' | 'TaskRun',
  builderId: string,
  extra: Partial<ChainsFixtureCase> = {},
): ChainsFixtureCase => ({ expected: `slsa-v1/${test}.json`, run: `pipeline-v1/${run}`, kind, builderId, format: 'slsa/v1', ...extra });

export const CHAINS_FIXTURE_CASES: readonly ChainsFixtureCase[] = [
  v4('slsav2_test.TestTaskRunCreatePayload1', 'taskrun1.json', 'TaskRun', 'test_builder-1'),
  v4('slsav2_test.TestTaskRunCreatePayload2', 'taskrun2.json', 'TaskRun', 'test_builder-2'),
  v4('slsav2_test.TestMultipleSubjects', 'taskrun-multiple-subjects.json', 'TaskRun', 'test_builder-multiple'),
  v4('internal_taskrun_test.TestTaskRunGenerateAttestation', 'taskrun1.json', 'TaskRun', 'test_builder-1'),
  v4(
    'internal_pipelinerun_test.TestGenerateAttestation.attestation_without_deepinspection',
    'pipelinerun1.json',
    'PipelineRun',
    'test_builder-1',
    { taskRuns: ['slsa-v2alpha4/taskrun1.json', 'slsa-v2alpha4/taskrun2.json'] },
  ),
  v4(
    'internal_pipelinerun_test.TestGenerateAttestation.attestation_with_deepinspection',
    'pipelinerun1.json',
    'PipelineRun',
    'test_builder-1',
    { taskRuns: ['slsa-v2alpha4/taskrun1.json', 'slsa-v2alpha4/taskrun2.json'], deepInspection: true },
  ),
  v4(
    'internal_pipelinerun_test.TestGenerateAttestation.attestation_with_no_repetead_subjects',
    'pipelinerun2.json',
    'PipelineRun',
    'test_builder-1',
    { taskRuns: ['slsa-v2alpha4/taskrun3.json', 'slsa-v2alpha4/taskrun4.json'], deepInspection: true },
  ),
  v3('slsav2_test.TestTaskRunCreatePayload1', 'taskrun1.json', 'TaskRun', 'test_builder-1'),
  v3('slsav2_test.TestTaskRunCreatePayload2', 'taskrun2.json', 'TaskRun', 'test_builder-2'),
  v3('slsav2_test.TestMultipleSubjects', 'taskrun-multiple-subjects.json', 'TaskRun', 'test_builder-multiple'),
  v3('slsav2_test.TestPipelineRunCreatePayload1', 'pipelinerun1.json', 'PipelineRun', 'test_builder-1', {
    taskRuns: ['slsa-v2alpha3/taskrun1.json', 'slsa-v2alpha3/taskrun2.json'],
  }),
  v3('internal_taskrun_test.TestTaskRunGenerateAttestation', 'taskrun1.json', 'TaskRun', 'test_builder-1'),
  v3('internal_pipelinerun_test.TestGenerateAttestation', 'pipelinerun1.json', 'PipelineRun', 'test_builder-1', {
    taskRuns: ['slsa-v2alpha3/taskrun1.json', 'slsa-v2alpha3/taskrun2.json'],
  }),
  v1('intotoite6_test.TestTaskRunCreatePayload1', 'taskrun1.json', 'TaskRun', 'test_builder-1'),
  v1('intotoite6_test.TestPipelineRunCreatePayload', 'pipelinerun1.json', 'PipelineRun', 'test_builder-1', {
    taskRuns: ['pipeline-v1/taskrun1.json', 'pipeline-v1/taskrun2.json'],
  }),
  v1('intotoite6_test.TestPipelineRunCreatePayloadChildRefs', 'pipelinerun-childrefs.json', 'PipelineRun', 'test_builder-1', {
    taskRuns: ['pipeline-v1/taskrun1.json', 'pipeline-v1/taskrun2.json'],
  }),
  v1('intotoite6_test.TestTaskRunCreatePayload2', 'taskrun2.json', 'TaskRun', 'test_builder-2'),
  v1('intotoite6_test.TestMultipleSubjects', 'taskrun-multiple-subjects.json', 'TaskRun', 'test_builder-multiple'),
  {
    expected: 'partial/external_parameters_test.TestPipelineRun.simple_pipelinerun.json',
    run: 'slsa-v2alpha3/pipelinerun1.json',
    kind: 'PipelineRun',
    format: 'slsa/v2alpha4',
    partial: true,
  },
  {
    expected: 'partial/external_parameters_test.TestPipelineRun.pipelinerun_with_remote_resolver.json',
    run: 'slsa-v2alpha3/pipelinerun-remote-resolver.json',
    kind: 'PipelineRun',
    format: 'slsa/v2alpha4',
    partial: true,
  },
  {
    expected: 'partial/external_parameters_test.TestTaskRun.simple_taskrun.json',
    run: 'slsa-v2alpha3/taskrun1.json',
    kind: 'TaskRun',
    format: 'slsa/v2alpha4',
    partial: true,
  },
  {
    expected: 'partial/external_parameters_test.TestTaskRun.taskrun_with_remote_resolver.json',
    run: 'slsa-v2alpha3/taskrun-remote-resolver.json',
    kind: 'TaskRun',
    format: 'slsa/v2alpha4',
    partial: true,
  },
];

/** The path of a testdata input. */
export function fixtureInput(file: string): string {
  return path.join(CHAINS_FIXTURES!, 'pkg', 'chains', 'formats', 'slsa', 'testdata', file);
}

/** The parsed expected value. */
export function fixtureExpected(c: ChainsFixtureCase): any {
  return JSON.parse(fs.readFileSync(path.join(CHAINS_FIXTURES!, 'expected', c.expected), 'utf8'));
}

/** Byproduct `content` decoded (base64 of Go's json.Marshal), so that a difference reads as text. */
export function decodeContents(statement: any): any {
  const copy = JSON.parse(JSON.stringify(statement));
  for (const list of [copy?.predicate?.runDetails?.byproducts, copy?.predicate?.buildDefinition?.resolvedDependencies]) {
    for (const rd of list ?? [])
      if (typeof rd.content === 'string') rd.content = `decoded:${Buffer.from(rd.content, 'base64').toString('utf8')}`;
  }
  return copy;
}
