// The training task's input check (issue 17, part 4), called as the verify-inputs step calls it, on
// model_signing's own signed models: a base model checked by key, by certificate chain or by Sigstore
// identity against the public-good trusted root, each refusing a near miss with one line.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TrainInputsEnvironment, verifyTrainingInputs } from '../src/models/train-inputs-program';
import { verifyInputsScript } from '../src/models/train-model-task';
import { verifierBundle, writeVerifierBundle } from '../src/models/verifier-bundle';

const shared = path.resolve(__dirname, '..', '..', 'shared');
const oms = path.join(shared, 'oms');
const trustedRoot = path.join(shared, 'sigstore', 'trusted_root.public-good.json');
const haveShared = fs.existsSync(path.join(oms, 'cases', 'v1.0.0-sigstore', 'model.sig')) && fs.existsSync(trustedRoot);
if (!haveShared) console.log(`skipping the training input check tests: ${oms} or ${trustedRoot} is absent`);
const describeShared = haveShared ? describe : describe.skip;

const IDENTITY = 'stefanb@us.ibm.com';
const ISSUER = 'https://sigstore.verify.ibm.com/oauth2';
const ROOT_DIGEST = 'sha256:61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226';

describeShared('verifyTrainingInputs: the base model', () => {
  let tmp: string;
  let model: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'train-inputs-'));
    // the model's files without the signature beside them, as a publisher hands them out
    model = path.join(tmp, 'published', 'model');
    fs.mkdirSync(model, { recursive: true });
    for (const f of ['signme-1', 'signme-2']) fs.copyFileSync(path.join(oms, 'cases', 'v1.0.0-sigstore', f), path.join(model, f));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  let run = 0;
  /** The step's environment for one check, in a fresh inputs directory. */
  function environment(baseModel: Record<string, string>, extra: TrainInputsEnvironment = {}): TrainInputsEnvironment {
    const dir = path.join(tmp, `run-${++run}`);
    fs.mkdirSync(dir);
    return {
      INPUTS_DIR: path.join(dir, 'inputs'),
      BASE_MODEL_RESULT: path.join(dir, 'base-model-result'),
      DATASET_RESULT: path.join(dir, 'dataset-result'),
      BASE_MODEL_URI: `file://${model}`,
      BASE_MODEL_SIGNATURE: `file://${path.join(oms, 'cases', 'v1.0.0-sigstore', 'model.sig')}`,
      TRUSTED_ROOT: trustedRoot,
      ...baseModel,
      ...extra,
    };
  }
  const resultOf = (env: TrainInputsEnvironment) => JSON.parse(fs.readFileSync(env.BASE_MODEL_RESULT!, 'utf8'));

  test('a Sigstore identity and its issuer, against the trusted root: verified, recorded by its root digest', async () => {
    const env = environment({ BASE_MODEL_CERTIFICATE_IDENTITY: IDENTITY, BASE_MODEL_CERTIFICATE_OIDC_ISSUER: ISSUER });
    const lines = await verifyTrainingInputs(env);
    expect(lines[0]).toBe(
      `train-inputs: base-model file://${model} ${ROOT_DIGEST}: its OMS signature verifies (sigstore method), signed by ${IDENTITY} (issuer ${ISSUER}), log entry 206344181`,
    );
    expect(resultOf(env)).toEqual({ uri: `file://${model}`, digest: ROOT_DIGEST });
  });

  test('another identity, another issuer: refused, naming the certificate', async () => {
    await expect(
      verifyTrainingInputs(
        environment({ BASE_MODEL_CERTIFICATE_IDENTITY: 'someone@example.com', BASE_MODEL_CERTIFICATE_OIDC_ISSUER: ISSUER }),
      ),
    ).rejects.toThrow(/^base-model: file:\/\/\S+ is not verified: .*someone@example\.com/);
    await expect(
      verifyTrainingInputs(
        environment({ BASE_MODEL_CERTIFICATE_IDENTITY: IDENTITY, BASE_MODEL_CERTIFICATE_OIDC_ISSUER: 'https://accounts.google.com' }),
      ),
    ).rejects.toThrow(/^base-model: file:\/\/\S+ is not verified: .*https:\/\/accounts\.google\.com/);
  });

  test('a changed byte of the model: refused before anything is recorded', async () => {
    const tampered = path.join(tmp, 'tampered');
    fs.cpSync(model, tampered, { recursive: true });
    fs.appendFileSync(path.join(tampered, 'signme-1'), 'x');
    const env = environment(
      { BASE_MODEL_CERTIFICATE_IDENTITY: IDENTITY, BASE_MODEL_CERTIFICATE_OIDC_ISSUER: ISSUER },
      { BASE_MODEL_URI: `file://${tampered}` },
    );
    await expect(verifyTrainingInputs(env)).rejects.toThrow(/^base-model: file:\/\/\S+ is not verified: .*signme-1/);
    expect(fs.existsSync(env.BASE_MODEL_RESULT!)).toBe(false);
  });

  test('an identity without the trusted root: refused, saying where the root comes from', async () => {
    await expect(
      verifyTrainingInputs(
        environment(
          { BASE_MODEL_CERTIFICATE_IDENTITY: IDENTITY, BASE_MODEL_CERTIFICATE_OIDC_ISSUER: ISSUER },
          { TRUSTED_ROOT: path.join(tmp, 'absent', 'trusted_root.json') },
        ),
      ),
    ).rejects.toThrow(
      /^base-model: a Sigstore identity is checked against Sigstore's trusted root, and there is none at \S+absent\/trusted_root\.json \(publish it into ConfigMap slsa-for-models-trusted-root, key trusted_root\.json/,
    );
  });

  test('the signer named by none, two ways, or an identity without its issuer: refused before fetching', async () => {
    await expect(verifyTrainingInputs(environment({}))).rejects.toThrow(/^base-model: give one way to check its signer .*, not 0$/);
    await expect(
      verifyTrainingInputs(
        environment({
          BASE_MODEL_KEY: `file://${path.join(oms, 'keys', 'certificate', 'signing-key-pub.pem')}`,
          BASE_MODEL_CERTIFICATE_IDENTITY: IDENTITY,
          BASE_MODEL_CERTIFICATE_OIDC_ISSUER: ISSUER,
        }),
      ),
    ).rejects.toThrow(/, not 2$/);
    const env = environment({ BASE_MODEL_CERTIFICATE_IDENTITY: IDENTITY });
    await expect(verifyTrainingInputs(env)).rejects.toThrow(
      'base-model: certificate-identity is given without certificate-oidc-issuer (the OIDC issuer the certificate must name)',
    );
    expect(fs.existsSync(env.INPUTS_DIR!)).toBe(false);
  });

  test('the certificate method still checks a chain to the CA given, and a key-signed model still needs its key', async () => {
    const chainSigned = path.join(tmp, 'chain-signed');
    fs.mkdirSync(chainSigned);
    for (const f of ['signme-1', 'signme-2']) fs.copyFileSync(path.join(oms, 'cases', 'v1.0.0-certificate', f), path.join(chainSigned, f));
    const env = environment(
      { BASE_MODEL_CERTIFICATE_CHAIN: `file://${path.join(oms, 'keys', 'certificate', 'ca-cert.pem')}` },
      {
        BASE_MODEL_URI: `file://${chainSigned}`,
        BASE_MODEL_SIGNATURE: `file://${path.join(oms, 'cases', 'v1.0.0-certificate', 'model.sig')}`,
      },
    );
    expect((await verifyTrainingInputs(env))[0]).toMatch(/: its OMS signature verifies \(certificate method\), signed by .+$/);
    // a Sigstore-signed bundle checked with a key: the method does not fit the bundle
    await expect(
      verifyTrainingInputs(environment({ BASE_MODEL_KEY: `file://${path.join(oms, 'keys', 'certificate', 'signing-key-pub.pem')}` })),
    ).rejects.toThrow(/^base-model: file:\/\/\S+ is not verified: /);
  });
});

// The verify-inputs step as the Task renders it: bash running the bundled verifier's
// verify-training-inputs command from the verifier workspace (its parts side by side, as the
// projected ConfigMaps mount them).
describe('the verify-inputs step', () => {
  const ROOT = path.resolve(__dirname, '..');
  let tmp: string;
  let verifierDir: string;
  let sha256: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-inputs-step-'));
    const bundle = verifierBundle(path.join(ROOT, 'lib'));
    sha256 = bundle.sha256;
    verifierDir = path.join(tmp, 'verifier');
    writeVerifierBundle(bundle, verifierDir);
    if (haveShared) fs.copyFileSync(trustedRoot, path.join(verifierDir, 'trusted_root.json'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  let run = 0;
  function step(
    env: Record<string, string>,
    scriptSha256 = sha256,
  ): { status: number | null; stdout: string; stderr: string; dir: string } {
    const dir = path.join(tmp, `step-${++run}`);
    fs.mkdirSync(dir);
    const script = path.join(dir, 'script.sh');
    fs.writeFileSync(script, verifyInputsScript(scriptSha256));
    const vars: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      INPUTS_DIR: path.join(dir, 'inputs'),
      BASE_MODEL_URI: '',
      BASE_MODEL_SIGNATURE: '',
      BASE_MODEL_KEY: '',
      BASE_MODEL_CERTIFICATE_CHAIN: '',
      BASE_MODEL_CERTIFICATE_IDENTITY: '',
      BASE_MODEL_CERTIFICATE_OIDC_ISSUER: '',
      TRUSTED_ROOT: path.join(verifierDir, 'trusted_root.json'),
      DATASET_URI: '',
      DATASET_DIGEST: '',
      BASE_MODEL_RESULT: path.join(dir, 'base-model-result'),
      DATASET_RESULT: path.join(dir, 'dataset-result'),
      VERIFIER_BOUND: 'true',
      VERIFIER_PATH: verifierDir,
      ...env,
    };
    const r = spawnSync('bash', [script], { env: vars, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir };
  }

  test('no input: both results empty, and the verifier is not needed', () => {
    const r = step({ VERIFIER_BOUND: 'false', VERIFIER_PATH: '' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.readFileSync(path.join(r.dir, 'base-model-result'), 'utf8')).toBe('{"uri":"","digest":""}');
  });

  test('an input with the workspace unbound, without the entry, or with another entry: one line each, exit 1', () => {
    const data = path.join(tmp, 'data.csv');
    fs.writeFileSync(data, 'a,b\n');
    const dataset = { DATASET_URI: `file://${data}`, DATASET_DIGEST: `sha256:${'0'.repeat(64)}` };
    expect(step({ ...dataset, VERIFIER_BOUND: 'false' }).stderr).toMatch(
      /^train-inputs: a base model or a dataset is given, but the verifier workspace is not bound .*\n$/,
    );
    const empty = path.join(tmp, 'empty-verifier');
    fs.mkdirSync(empty);
    const missing = step({ ...dataset, VERIFIER_PATH: empty });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe(
      'train-inputs: the verifier workspace has no verifier.js (ConfigMap slsa-for-models-verifier); kubectl apply -f dist\n',
    );
    const other = step(dataset, 'ab'.repeat(32));
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(
      /^train-inputs: \S+verifier\.js is not the verifier this Task was made with \(sha256 (ab){32}\); kubectl apply -f dist again\n$/,
    );
  });

  (haveShared ? test : test.skip)(
    'a base model signed by a Sigstore identity: verified by the bundled verifier, and a wrong issuer refused',
    () => {
      const model = path.join(tmp, 'base');
      fs.mkdirSync(model);
      for (const f of ['signme-1', 'signme-2']) fs.copyFileSync(path.join(oms, 'cases', 'v1.0.0-sigstore', f), path.join(model, f));
      const base = {
        BASE_MODEL_URI: `file://${model}`,
        BASE_MODEL_SIGNATURE: `file://${path.join(oms, 'cases', 'v1.0.0-sigstore', 'model.sig')}`,
        BASE_MODEL_CERTIFICATE_IDENTITY: IDENTITY,
        BASE_MODEL_CERTIFICATE_OIDC_ISSUER: ISSUER,
      };
      const good = step(base);
      expect(good.stderr).toBe('');
      expect(good.status).toBe(0);
      expect(JSON.parse(fs.readFileSync(path.join(good.dir, 'base-model-result'), 'utf8'))).toEqual({
        uri: `file://${model}`,
        digest: ROOT_DIGEST,
      });
      const bad = step({ ...base, BASE_MODEL_CERTIFICATE_OIDC_ISSUER: 'https://accounts.google.com' });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(
        /^train-inputs: base-model: file:\/\/\S+ is not verified: sigstore verification failed: [^\n]*expected issuer=https:\/\/accounts\.google\.com[^\n]*\n$/,
      );
    },
  );
});
