import * as fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { ChainsConfigError, CHAINS_CONFIG_NAME, provenanceConfigFor, readChainsConfig } from '../chains/chains-config-reader';
import { ChainsProvenanceError, chainsProvenance, ChainsRunKind, RunObject } from '../chains/chains-provenance';
import { ChainsFormat, CHAINS_FORMATS } from '../chains/type-hinting';
import { describeFileError } from '../verify/file-error';
import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';

const HELP = `usage: slsa-for-models provenance RUN [--taskruns FILE]... [--chains-config FILE] [--format F]
         [--builder-id ID] [--deep-inspection] [--build-type URI] [--kind PipelineRun|TaskRun]

Prints, as JSON, the unsigned in-toto statement Tekton Chains v0.29.2 would sign for a finished run:
preview what a cluster's Chains attests for a run, or test a policy before any cluster exists.

  RUN                   one PipelineRun or TaskRun as "kubectl get pipelinerun NAME -o json" (or -o yaml)
                        prints it, with its status
  --taskruns FILE       TaskRuns of the PipelineRun (one, a List, or several YAML documents); give it
                        again for more files. Every TaskRun in status.childReferences must be given:
                        kubectl get taskruns -l tekton.dev/pipelineRun=NAME -o json
  --chains-config FILE  Chains' ConfigMap (any file holding the ConfigMap chains-config, e.g. dist/);
                        without it Chains' defaults apply (format in-toto). The flags below override it.
  --format F            in-toto, slsa/v1, slsa/v2alpha3 or slsa/v2alpha4
  --builder-id ID       builder.id
  --deep-inspection     artifacts.pipelinerun.enable-deep-inspection (PipelineRuns)
  --build-type URI      builddefinition.buildtype: https://tekton.dev/chains/v2/slsa or .../slsa-tekton
  --kind KIND           PipelineRun or TaskRun, for an object without kind (Chains' own test data)
  --ignore-missing-taskruns
                        build the statement without child TaskRuns that were not given, as Chains does
                        once they are deleted

Not shown: the signature (protojson adds random spaces to the signed bytes, so compare parsed JSON),
where Chains stores it, and the transparency log entry.

Exit status: 0 printed, 2 bad usage, unreadable input, or a run Chains would not sign.
`;

const OPTIONS = {
  taskruns: { type: 'string', repeatable: true },
  'chains-config': { type: 'string' },
  format: { type: 'string' },
  'builder-id': { type: 'string' },
  'deep-inspection': { type: 'boolean' },
  'build-type': { type: 'string' },
  kind: { type: 'string' },
  'ignore-missing-taskruns': { type: 'boolean' },
} as const;

/** Every object in a YAML or JSON file; a `List`'s items are taken one by one. */
function readObjects(file: string, flag: string): Record<string, any>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`${flag}${file}: cannot read it (${describeFileError(err)})`);
  }
  const objects: Record<string, any>[] = [];
  for (const document of parseAllDocuments(text)) {
    const error = document.errors[0];
    if (error) throw new UsageError(`${flag}${file}: not valid JSON or YAML (${error.message.split('\n')[0].replace(/:$/, '')})`);
    const value = document.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value))
      throw new UsageError(`${flag}${file}: holds ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a Kubernetes object`);
    const object = value as Record<string, any>;
    if (object.kind === 'List' && Array.isArray(object.items))
      objects.push(...object.items.filter((item: unknown) => typeof item === 'object' && item !== null));
    else objects.push(object);
  }
  return objects;
}

function readRun(file: string): RunObject {
  const objects = readObjects(file, '');
  if (objects.length !== 1) throw new UsageError(`${file}: holds ${objects.length} objects; give one PipelineRun or TaskRun`);
  return objects[0] as RunObject;
}

function readTaskRuns(files: readonly string[]): RunObject[] {
  const out: RunObject[] = [];
  for (const file of files) {
    for (const object of readObjects(file, '--taskruns ')) {
      if (object.kind !== undefined && object.kind !== 'TaskRun')
        throw new UsageError(`--taskruns ${file}: holds a ${String(object.kind)}, not a TaskRun`);
      out.push(object as RunObject);
    }
  }
  return out;
}

function readConfigData(file: string): Record<string, string> {
  const maps = readObjects(file, '--chains-config ').filter((o) => o.kind === 'ConfigMap');
  const named = maps.filter((o) => o.metadata?.name === CHAINS_CONFIG_NAME);
  const map = named.length === 1 ? named[0] : maps.length === 1 ? maps[0] : undefined;
  if (!map)
    throw new UsageError(
      `--chains-config ${file}: holds ${named.length > 1 ? 'several ConfigMaps named chains-config' : 'no ConfigMap chains-config'}`,
    );
  const data = map.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new UsageError(`--chains-config ${file}: data is not a map of strings`);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== 'string') throw new UsageError(`--chains-config ${file}: data "${key}" is not a string (quote it in the YAML)`);
    out[key] = value;
  }
  return out;
}

/** `slsa-for-models provenance`: the statement Tekton Chains would sign for a run. */
export const provenanceCommand: Command = {
  summary: 'print the in-toto statement Tekton Chains v0.29.2 would sign for a PipelineRun or TaskRun',
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    if (positionals.length !== 1)
      throw new UsageError(
        positionals.length === 0
          ? 'give the RUN file (kubectl get pipelinerun NAME -o json)'
          : `give one RUN file, not ${positionals.length}`,
      );
    const kindFlag = options.kind as string | undefined;
    if (kindFlag !== undefined && kindFlag !== 'PipelineRun' && kindFlag !== 'TaskRun')
      throw new UsageError(`--kind takes PipelineRun or TaskRun, not "${kindFlag}"`);
    const format = options.format as string | undefined;
    if (format !== undefined && !(CHAINS_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format "${format}" is not a Chains v0.29.2 format (${CHAINS_FORMATS.join(', ')})`);
    }
    const run = readRun(positionals[0]);
    const kind = (run.kind ?? kindFlag) as ChainsRunKind | undefined;
    if (kind !== 'PipelineRun' && kind !== 'TaskRun') {
      throw new UsageError(
        kind === undefined
          ? `${positionals[0]}: the object has no kind; give --kind PipelineRun or --kind TaskRun`
          : `${positionals[0]}: is a ${String(kind)}; chains signs PipelineRuns and TaskRuns`,
      );
    }
    const taskRuns = readTaskRuns((options.taskruns as string[] | undefined) ?? []);
    if (kind === 'TaskRun' && taskRuns.length > 0) throw new UsageError('--taskruns is for a PipelineRun; RUN is a TaskRun');
    let settings;
    try {
      settings = readChainsConfig(options['chains-config'] === undefined ? {} : readConfigData(options['chains-config'] as string));
    } catch (err) {
      if (err instanceof ChainsConfigError) throw new UsageError(`--chains-config ${String(options['chains-config'])}: ${err.message}`);
      throw err;
    }
    const base = provenanceConfigFor(settings, kind);
    try {
      const statement = chainsProvenance(run, {
        kind,
        taskRuns,
        format: (format as ChainsFormat | undefined) ?? base.format,
        builderId: (options['builder-id'] as string | undefined) ?? base.builderId,
        buildType: (options['build-type'] as string | undefined) ?? base.buildType,
        deepInspection: (options['deep-inspection'] as boolean | undefined) ?? base.deepInspection,
        ignoreMissingTaskRuns: options['ignore-missing-taskruns'] === true,
      });
      output.stdout.write(`${JSON.stringify(statement, null, 2)}\n`);
      return 0;
    } catch (err) {
      if (err instanceof ChainsProvenanceError) throw new UsageError(`${positionals[0]}: ${err.message}`);
      throw err;
    }
  },
};
