import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..');
const WALKTHROUGH = fs.readFileSync(path.join(ROOT, 'docs', 'walkthrough.md'), 'utf8');

/** The shell lines of the walkthrough's ```sh blocks, with `\` continuations joined. */
function shellLines(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks
    .flatMap((b) => b.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe('docs/walkthrough.md', () => {
  const lines = shellLines(WALKTHROUGH);

  test('calls every script the cloud side needs, in order', () => {
    const scripts = lines.map((l) => /^scripts\/([a-z-]+\.sh)/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
    expect([...new Set(scripts)]).toEqual([
      'create-cluster.sh',
      'install-tekton.sh',
      'generate-signing-key.sh',
      'run-pipeline.sh',
      'fetch-attestation.sh',
      'verify-model.sh',
      // then from "verified" to "served", and "Train on a GPU" (its node pool) after the CPU walkthrough
      'install-kserve.sh',
      'deploy-model.sh',
      'create-accelerator-pool.sh',
      // "Run on every push": the webhook secret, then Triggers
      'create-webhook-secret.sh',
      'install-triggers.sh',
    ]);
  });

  test('uses only options each script documents in its --help', () => {
    for (const line of lines.filter((l) => l.startsWith('scripts/'))) {
      const [script, ...words] = line.split(/\s+/);
      const help = spawnSync('bash', [path.join(ROOT, script), '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
      expect([script, help.status]).toEqual([script, 0]);
      const end = words.indexOf('--');
      for (const option of (end === -1 ? words : words.slice(0, end)).filter((w) => w.startsWith('--'))) {
        expect([script, help.stdout.includes(option)]).toEqual([script, true]);
      }
    }
  });

  test('passes slsa-for-models verify only options it has', () => {
    const verifyHelp = spawnSync(process.execPath, [path.join(ROOT, 'lib', 'src', 'cli', 'main.js'), 'verify', '--help'], {
      encoding: 'utf8',
    }).stdout;
    const afterDashes = lines.filter((l) => l.startsWith('scripts/verify-model.sh')).flatMap((l) => l.split(' -- ')[1]?.split(/\s+/) ?? []);
    const direct = lines.filter((l) => l.startsWith('npx slsa-for-models verify')).flatMap((l) => l.split(/\s+/));
    const options = [...afterDashes, ...direct].filter((w) => w.startsWith('--'));
    expect(options.length).toBeGreaterThan(2);
    for (const option of options) expect([option, verifyHelp.includes(option)]).toEqual([option, true]);
  });

  test('names the environment the scripts check up front', () => {
    for (const name of ['PROJECT_ID', 'CLUSTER_NAME', 'REGION', 'LOCATION', 'REPOSITORY_NAME']) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^export ${name}=`)));
    }
  });
});
