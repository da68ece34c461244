import { Command, CommandOutput } from './command';
import { parseCommandLine } from './command-line';
import { UsageError } from './usage-error';
import { checkDocuments, Finding } from '../check';
import { readTektonFeatureFlags } from '../tekton-model/feature-flags';
import { SourceRepository, SourceRepositoryFinder } from '../tekton-model/source-repository';
import { lineOf, listSourceFiles, readSourceFile, SourceDocument, SourceError } from '../tekton-model/yaml-sources';

const HELP = `usage: slsa-for-models check [--format text|json] [--feature-flags FILE] [--field-validation strict|warn|ignore] FILE|DIR...

Judges Tekton Tasks, Pipelines, PipelineRuns, TaskRuns and StepActions as Tekton Pipelines
v1.15.0 would at admission and at run time, by the rules of the tekton.dev/v1 API (v1beta1
objects, which Tekton converts to v1, are judged by them too). Reads multi-document YAML (and JSON) files and
directories (recursively: *.yaml, *.yml, *.json; hidden directories other than .tekton/,
and node_modules, are skipped); taskRef, pipelineRef and step refs are
resolved by name among everything read. Other kinds are ignored.

  --format text|json    text (default): one line per finding,
                          FILE:LINE: error|warning|note RULE: MESSAGE
                        json: an array of {file, line, severity, rule, message, object, path}
  --feature-flags FILE  the cluster's feature-flags ConfigMap (YAML or JSON), to judge alpha and
                        beta fields (param enum, matrix, pipelines in pipelines, ...) as that
                        cluster would; without it, no finding depends on feature flags
  --field-validation strict|warn|ignore
                        how the objects are applied, as kubectl's --validate: strict (default,
                        kubectl's default since Kubernetes 1.27) makes a field the CRD schema
                        does not declare an error, as the API server refuses it; warn or ignore
                        a warning (the server drops it). An unknown field inside an embedded
                        taskSpec or pipelineSpec is an error either way (Tekton's webhook
                        refuses it)

Severities: error (Tekton would reject the object or fail the run), warning (Tekton accepts
it, but it is almost surely a bug), note (not checked: a remote or missing reference).
A file met in a directory that is not manifests (invalid YAML, a Helm or Jinja template with an
unquoted {{X}}) is reported in one line (warning file-not-manifest) and the rest are judged.
Exit status: 0 no errors, 1 errors, 2 bad usage, an unreadable file named on the command line,
or nothing readable as manifests at all.
`;

const OPTIONS = {
  format: { type: 'string' },
  'field-validation': { type: 'string' },
  'feature-flags': { type: 'string' },
} as const;

/** A finding placed in its file. */
interface PlacedFinding extends Finding {
  readonly file: string;
  readonly line: number;
}

function readFeatureFlags(file: string): Record<string, string> {
  let sources: SourceDocument[];
  try {
    sources = readSourceFile(file);
  } catch (err) {
    throw new UsageError(`--feature-flags: ${(err as Error).message}`);
  }
  const value = sources[0]?.value as Record<string, unknown> | undefined;
  const wrapped =
    value && typeof value === 'object' && (value.kind === 'ConfigMap' || (typeof value.data === 'object' && value.data !== null));
  const data = wrapped ? value.data : value;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(
      `--feature-flags: ${file} holds no ConfigMap data (expected a feature-flags ConfigMap or a map of flag names to strings)`,
    );
  }
  const flags: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) flags[k] = typeof v === 'string' ? v : String(v);
  try {
    readTektonFeatureFlags(flags);
  } catch (err) {
    throw new UsageError(`--feature-flags: ${(err as Error).message}`);
  }
  return flags;
}

/** The rule id of the line that reports a file of a directory that could not be read as manifests. */
const UNREAD_RULE = 'file-not-manifest';

/** A file met in a directory that could not be read as manifests. */
interface UnreadFile {
  readonly file: string;
  readonly line: number;
  /** Why, without the file and line. */
  readonly reason: string;
  /** How many documents were read before it, for placing its line among the findings. */
  readonly fileOrder: number;
}

/** For each document, the index of the first document of its file: files keep the order they were read in (one pass). */
/** Where each document's file sits in its git repository (read from `.git`, once per directory), for git resolver references. */
function repositoriesOf(sources: readonly SourceDocument[]): Array<SourceRepository | undefined> {
  const finder = new SourceRepositoryFinder();
  const byFile = new Map<string, SourceRepository | undefined>();
  return sources.map((s) => {
    if (!byFile.has(s.file)) byFile.set(s.file, finder.find(s.file));
    return byFile.get(s.file);
  });
}

function fileOrders(sources: readonly SourceDocument[]): number[] {
  const orders: number[] = [];
  sources.forEach((source, i) => orders.push(i > 0 && sources[i - 1].file === source.file ? orders[i - 1] : i));
  return orders;
}

/** `slsa-for-models check`: reads YAML, runs the check engine, prints findings with file and line. */
export const checkCommand: Command = {
  summary: 'judge Tekton YAML as Tekton v1.15.0 would (params, results, graph, wiring, runs)',
  help: HELP,
  async run(argv: readonly string[], output: CommandOutput): Promise<number> {
    const { options, positionals } = parseCommandLine(argv, OPTIONS);
    const format = (options.format as string | undefined) ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format takes text or json, not "${format}"`);
    const fieldValidation = (options['field-validation'] as string | undefined) ?? 'strict';
    if (fieldValidation !== 'strict' && fieldValidation !== 'warn' && fieldValidation !== 'ignore')
      throw new UsageError(`--field-validation takes strict, warn or ignore, not "${fieldValidation}"`);
    if (positionals.length === 0) throw new UsageError('name at least one FILE or DIR to check');
    const featureFlagsFile = options['feature-flags'] as string | undefined;
    const featureFlags = featureFlagsFile !== undefined ? readFeatureFlags(featureFlagsFile) : undefined;

    const sources: SourceDocument[] = [];
    const unread: UnreadFile[] = [];
    let fileCount = 0;
    try {
      for (const input of positionals) {
        const files = listSourceFiles(input);
        // a file named on the command line must be manifests; a list among a directory's files is skipped (a kustomize patch)
        const named = files.length === 1 && files[0] === input;
        for (const file of files) {
          fileCount++;
          try {
            sources.push(...readSourceFile(file, { skipNonMappings: !named }));
          } catch (err) {
            // among a directory's files, one that is not manifests (a Helm or Jinja template) is reported and the rest judged
            if (named || !(err instanceof SourceError) || !err.where) throw err;
            unread.push({ file, line: err.where.line ?? 1, reason: err.where.reason, fileOrder: sources.length });
          }
        }
      }
    } catch (err) {
      if (err instanceof SourceError) throw new UsageError(err.message);
      throw err;
    }
    if (sources.length === 0) {
      if (unread.length > 0)
        throw new UsageError(
          `nothing to check: no file under ${positionals.join(', ')} could be read as manifests (${unread[0].file}:${unread[0].line}: ${unread[0].reason}${unread.length > 1 ? `; and ${unread.length - 1} more` : ''})`,
        );
      const what = fileCount === 0 ? 'no *.yaml, *.yml or *.json files' : 'no YAML documents (only empty files)';
      throw new UsageError(`nothing to check: ${positionals.join(', ')} ${positionals.length === 1 ? 'holds' : 'hold'} ${what}`);
    }
    const findings: Finding[] = checkDocuments(
      sources.map((s) => s.value),
      { featureFlags, documentSources: sources.map((s) => s.file), documentRepositories: repositoriesOf(sources), fieldValidation },
    );
    // in file order, then by line (ties keep the engine's deterministic order)
    const fileOrder = fileOrders(sources);
    const judged = findings.map((f, order) => ({
      ...f,
      file: sources[f.documentIndex].file,
      line: lineOf(sources[f.documentIndex], f.path),
      order,
      fileOrder: fileOrder[f.documentIndex],
    }));
    // an unread file sits where it was met among the files (before the documents read after it)
    const notRead = unread.map((u, order) => ({
      severity: 'warning' as const,
      rule: UNREAD_RULE,
      message: `${u.reason}; not judged (if it is a template, check its rendered output)`,
      object: '',
      path: [],
      documentIndex: -1,
      file: u.file,
      line: u.line,
      order,
      fileOrder: u.fileOrder - 0.5,
    }));
    const placed: PlacedFinding[] = [...judged, ...notRead]
      .sort((a, b) => a.fileOrder - b.fileOrder || a.line - b.line || a.order - b.order)
      .map(({ order: _order, fileOrder: _fileOrder, ...f }) => f);
    if (format === 'json') {
      output.stdout.write(
        `${JSON.stringify(
          placed.map((f) => ({
            file: f.file,
            line: f.line,
            severity: f.severity,
            rule: f.rule,
            message: f.message,
            object: f.object,
            path: f.path,
          })),
          null,
          2,
        )}\n`,
      );
    } else {
      for (const f of placed) output.stdout.write(`${f.file}:${f.line}: ${f.severity} ${f.rule}: ${f.message}\n`);
    }
    const count = (s: string): number => placed.filter((f) => f.severity === s).length;
    const errors = count('error');
    const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
    output.stderr.write(
      `${plural(errors, 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('note'), 'note')} in ${plural(fileCount, 'file')} (${plural(sources.length, 'document')})\n`,
    );
    return errors > 0 ? 1 : 0;
  },
};
