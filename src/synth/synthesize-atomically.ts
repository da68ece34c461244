/**
 * Synthesizes cdk8s Apps into an output directory all at once: every construct is validated
 * first (all findings of all constructs together); only when none has an error is the YAML
 * written, into a temporary sibling directory that then replaces the output directory.
 * On any error the output directory is left exactly as it was.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart, Names, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  FeatureFlagData,
  findFeatureFlags,
  ICheckedConstruct,
  isCheckedConstruct,
  judgeUnderFeatureFlags,
} from '../tekton/construct-findings';
import { SynthesisError } from './synthesis-error';
import { checkJudge } from './check-judge';
import type { DocumentJudge } from '../tekton-model/document-judge';
import { SynthesisProblem } from './synthesis-problem';

/** An App to synthesize into a sub-directory of the output directory. */
export interface SynthesisUnit {
  /** The app. */
  readonly app: App;
  /** Sub-directory of the output directory for this app's charts, e.g. `runs`. @default - the output directory itself */
  readonly directory?: string;
}

/** Options of `synthesizeAtomically`. */
export interface SynthesizeOptions {
  /** The output directory. @default - `$CDK8S_OUTDIR` when set (as `cdk8s synth` sets it), else `dist` */
  readonly outdir?: string;
  /**
   * The Tekton `feature-flags` data the constructs are judged under (`null`: judge with no
   * flag-dependent rule). @default - the `feature-flags` ConfigMap in `tekton-pipelines` that
   * one of the apps defines, else none
   */
  readonly featureFlags?: FeatureFlagData | null;
  /** The judge of the constructs. @default - `src/check`'s ({@link checkJudge}) */
  readonly judge?: DocumentJudge;
}

/** What a successful synthesis did. */
export interface SynthesisReport {
  /** The output directory, absolute. */
  readonly outdir: string;
  /** The files written, relative to `outdir`, sorted. */
  readonly files: readonly string[];
  /** Warnings and notes (they did not stop the synthesis). */
  readonly problems: readonly SynthesisProblem[];
}

/** The output directory `synthesizeAtomically` uses for `options`. */
export function resolveOutdir(options: SynthesizeOptions = {}): string {
  return path.resolve(options.outdir ?? process.env.CDK8S_OUTDIR ?? 'dist');
}

function problemsOf(construct: IConstruct): SynthesisProblem[] {
  const constructPath = construct.node.path;
  const messages = construct.node.validate();
  if (!isCheckedConstruct(construct)) {
    return messages.map((message) => ({ severity: 'error' as const, constructPath, message }));
  }
  const findings = construct.findings();
  const fromFindings = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.message));
  return [
    ...findings.map((f) => ({ severity: f.severity, constructPath, rule: f.rule, message: f.message })),
    ...messages.filter((m) => !fromFindings.has(m)).map((message) => ({ severity: 'error' as const, constructPath, message })),
  ];
}

function normalizeUnits(units: readonly (App | SynthesisUnit)[]): SynthesisUnit[] {
  return units.map((u) => (u instanceof App ? { app: u } : u));
}

/** Renders every chart of every unit: file path (relative to outdir) → YAML text. */
function render(units: readonly SynthesisUnit[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const unit of units) {
    const directory = unit.directory ?? '.';
    if (path.isAbsolute(directory) || path.normalize(directory).startsWith('..')) {
      throw new Error(`synthesis directory "${directory}" must be relative and inside the output directory`);
    }
    for (const chart of unit.app.charts) {
      const objects = Object.values(chart.toJson());
      if (objects.length === 0) continue;
      const file = path.normalize(path.join(directory, `${Names.toDnsLabel(chart as Chart)}.yaml`));
      if (files.has(file)) {
        throw new Error(`two charts would both be written to ${file}: give them different ids or directories`);
      }
      files.set(file, Yaml.stringify(...objects));
    }
  }
  return files;
}

/**
 * Refuses an output directory that replacing as a whole would destroy more than output: the
 * file system root, the working directory or one of its parents, or a git checkout.
 */
function assertReplaceable(outdir: string): void {
  const cwd = process.cwd();
  const relative = path.relative(outdir, cwd);
  const containsCwd = relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  if (path.dirname(outdir) === outdir || containsCwd || fs.existsSync(path.join(outdir, '.git'))) {
    throw new Error(`refusing to replace ${outdir} as a whole: the output directory must be a directory of its own, such as dist`);
  }
}

/** Writes `files` into a fresh temporary sibling of `outdir`, then swaps it in. */
function writeAndSwap(outdir: string, files: Map<string, string>): void {
  assertReplaceable(outdir);
  const parent = path.dirname(outdir);
  fs.mkdirSync(parent, { recursive: true });
  if (fs.existsSync(outdir) && !fs.statSync(outdir).isDirectory()) {
    throw new Error(`output ${outdir} exists and is not a directory`);
  }
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(outdir)}.synth-`));
  try {
    for (const [file, text] of files) {
      const target = path.join(staging, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const previous = `${staging}.old`;
  const hadPrevious = fs.existsSync(outdir);
  if (hadPrevious) fs.renameSync(outdir, previous);
  try {
    fs.renameSync(staging, outdir);
  } catch (e) {
    if (hadPrevious) fs.renameSync(previous, outdir);
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
}

/**
 * Validates every construct of every app (all errors together, each with its construct path),
 * then writes one `<chart>.yaml` per chart into the unit's directory under the output
 * directory, replacing the output directory as a whole. Throws `SynthesisError` when any
 * construct has an error; the output directory is then untouched.
 */
export function synthesizeAtomically(units: readonly (App | SynthesisUnit)[], options: SynthesizeOptions = {}): SynthesisReport {
  const outdir = resolveOutdir(options);
  const normalized = normalizeUnits(units);
  const featureFlags =
    options.featureFlags !== undefined
      ? options.featureFlags
      : (normalized.map((u) => findFeatureFlags(u.app)).find((f) => f !== undefined) ?? null);
  const judge = options.judge ?? checkJudge;
  // every construct is judged once, by the same judge under the same flags, and its warnings are printed here, not by itself
  const judged = normalized.flatMap((u) => u.app.node.findAll().filter(isCheckedConstruct));
  const previous = judged.map((c) => judgeUnderFeatureFlags(c, { featureFlags, printsWarnings: false, unchanging: true, judge }));
  try {
    const problems: SynthesisProblem[] = [];
    for (const unit of normalized) {
      for (const construct of unit.app.node.findAll()) problems.push(...problemsOf(construct));
    }
    if (problems.some((p) => p.severity === 'error')) throw new SynthesisError(problems);
    const files = render(normalized);
    writeAndSwap(outdir, files);
    return { outdir, files: [...files.keys()].sort(), problems };
  } finally {
    judged.forEach((c: ICheckedConstruct, i) => judgeUnderFeatureFlags(c, previous[i]));
  }
}
