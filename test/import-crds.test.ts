import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEKTON_FIELDS_JSON } from '../imports/tekton-fields';
import { TRIGGERS_FIELDS_JSON } from '../imports/triggers-fields';

const ROOT = path.resolve(__dirname, '..');
const CRDS = path.resolve(ROOT, '..', 'shared', 'tekton', 'pipeline-crds');
const KSERVE_CRDS = path.resolve(ROOT, '..', 'shared', 'kserve', 'crds');
const haveCrds = fs.existsSync(CRDS) && fs.existsSync(KSERVE_CRDS);
if (!haveCrds) console.log(`skipping import tests: ${CRDS} or ${KSERVE_CRDS} is absent (they come with the team's shared folder)`);
// Triggers' pkg/apis/triggers/v1beta1/openapi_generated.go at v0.37.0: from $TRIGGERS_OPENAPI_GO, else the shared folder
const TRIGGERS_OPENAPI =
  process.env.TRIGGERS_OPENAPI_GO ?? path.resolve(ROOT, '..', 'shared', 'tekton', 'triggers-openapi', 'openapi_generated.go');
const haveTriggers = fs.existsSync(TRIGGERS_OPENAPI);
if (!haveTriggers) {
  console.log(
    `skipping the byte-for-byte import test: ${TRIGGERS_OPENAPI} is absent (Triggers v0.37.0 pkg/apis/triggers/v1beta1/openapi_generated.go; set TRIGGERS_OPENAPI_GO to it)`,
  );
}

describe('npm run import', () => {
  (haveCrds ? test : test.skip)(
    'regenerates imports/tekton.dev.ts, imports/tekton-fields.ts and imports/serving.kserve.io.ts byte for byte from the Tekton v1.15.0 and KServe v0.20.0 CRDs',
    () => {
      // GIVEN an empty output directory
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
      try {
        // WHEN the import runs from the CRD directory named by the environment
        const result = spawnSync(
          process.execPath,
          [path.join(ROOT, 'tools', 'import-crds.js'), '--output', out, '--only', 'tekton,kserve'],
          {
            env: { ...process.env, TEKTON_PIPELINE_CRDS_DIR: CRDS, KSERVE_CRDS_DIR: KSERVE_CRDS },
            encoding: 'utf8',
          },
        );
        expect(result.stderr).toContain(`reading CRDs from ${CRDS}`);
        expect(result.stderr).toContain(`reading KServe CRDs from ${KSERVE_CRDS}`);
        expect(result.status).toBe(0);
        // THEN the committed file is exactly what the generator writes: nobody edited it by hand
        const generated = fs.readFileSync(path.join(out, 'tekton.dev.ts'), 'utf8');
        expect(generated).toEqual(fs.readFileSync(path.join(ROOT, 'imports', 'tekton.dev.ts'), 'utf8'));
        const fields = fs.readFileSync(path.join(out, 'tekton-fields.ts'), 'utf8');
        expect(fields).toEqual(fs.readFileSync(path.join(ROOT, 'imports', 'tekton-fields.ts'), 'utf8'));
        const kserve = fs.readFileSync(path.join(out, 'serving.kserve.io.ts'), 'utf8');
        expect(kserve === fs.readFileSync(path.join(ROOT, 'imports', 'serving.kserve.io.ts'), 'utf8')).toBe(true);
        expect(fs.readdirSync(out).sort()).toEqual(['serving.kserve.io.ts', 'tekton-fields.ts', 'tekton.dev.ts']);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    },
  );

  (haveTriggers ? test : test.skip)(
    "regenerates imports/triggers.tekton.dev.ts and imports/triggers-fields.ts byte for byte from Triggers v0.37.0's openapi_generated.go",
    () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
      try {
        const result = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'import-crds.js'), '--output', out, '--only', 'triggers'], {
          env: { ...process.env, TRIGGERS_OPENAPI_GO: TRIGGERS_OPENAPI },
          encoding: 'utf8',
        });
        expect(result.stderr).toContain(`reading Triggers OpenAPI definitions from ${TRIGGERS_OPENAPI}`);
        expect(result.status).toBe(0);
        for (const file of ['triggers.tekton.dev.ts', 'triggers-fields.ts']) {
          expect(fs.readFileSync(path.join(out, file), 'utf8')).toEqual(fs.readFileSync(path.join(ROOT, 'imports', file), 'utf8'));
        }
        expect(fs.readdirSync(out).sort()).toEqual(['triggers-fields.ts', 'triggers.tekton.dev.ts']);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    },
  );

  test('fails with one line when the Triggers OpenAPI file does not exist, or --only names an unknown import', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'tools', 'import-crds.js'), '--output', os.tmpdir(), ...args], {
        env: { ...process.env, TRIGGERS_OPENAPI_GO: '/nonexistent/openapi_generated.go' },
        encoding: 'utf8',
      });
    const missing = run(['--only', 'triggers']);
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe('import: TRIGGERS_OPENAPI_GO=/nonexistent/openapi_generated.go does not exist');
    const unknown = run(['--only', 'tekton,helm']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr.trim()).toBe('import: --only takes a comma list of tekton, kserve, triggers');
  });

  test('the unsuffixed classes are the tekton.dev/v1 API', () => {
    const source = fs.readFileSync(path.join(ROOT, 'imports', 'tekton.dev.ts'), 'utf8');
    for (const kind of ['Task', 'Pipeline', 'PipelineRun', 'TaskRun']) {
      expect(source).toMatch(
        new RegExp(`export class ${kind} extends ApiObject \\{[^]*?apiVersion: 'tekton.dev/v1',\\n    kind: '${kind}'`),
      );
    }
    expect(source).not.toContain("tekton.dev/v1beta1',\n    kind: 'Task'");
    expect(source).not.toMatch(/export class TaskV1\b/);
  });

  test('the KServe classes are InferenceService v1beta1 and ClusterStorageContainer v1alpha1, nothing else', () => {
    const source = fs.readFileSync(path.join(ROOT, 'imports', 'serving.kserve.io.ts'), 'utf8');
    expect([...source.matchAll(/^export class (\w+) extends ApiObject \{/gm)].map((m) => m[1])).toEqual([
      'ClusterStorageContainer',
      'InferenceService',
    ]);
    expect(source).toContain("apiVersion: 'serving.kserve.io/v1beta1',\n    kind: 'InferenceService'");
    expect(source).toContain("apiVersion: 'serving.kserve.io/v1alpha1',\n    kind: 'ClusterStorageContainer'");
  });

  test('fails with one line when the KServe CRD directory does not exist', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'tools', 'import-crds.js'), '--output', fs.mkdtempSync(path.join(os.tmpdir(), 'import-'))],
      {
        env: { ...process.env, TEKTON_PIPELINE_CRDS_DIR: CRDS, KSERVE_CRDS_DIR: '/nonexistent/kserve' },
        encoding: 'utf8',
      },
    );
    if (!haveCrds) return;
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').pop()).toBe('import: KSERVE_CRDS_DIR=/nonexistent/kserve does not exist');
  });

  test('the field tree describes the five kinds in their served versions, with preserved subtrees marked and shared ones referenced', () => {
    const tree = JSON.parse(TEKTON_FIELDS_JSON);
    expect(Object.fromEntries(Object.entries(tree.kinds).map(([kind, k]) => [kind, (k as { apiVersion: string }).apiVersion]))).toEqual({
      Pipeline: 'tekton.dev/v1',
      PipelineRun: 'tekton.dev/v1',
      StepAction: 'tekton.dev/v1beta1',
      Task: 'tekton.dev/v1',
      TaskRun: 'tekton.dev/v1',
    });
    const resolve = (node: { r?: string }): { p: Record<string, unknown> } =>
      (node.r ? tree.defs[node.r] : node) as { p: Record<string, unknown> };
    const taskRun = tree.kinds.TaskRun.spec.p;
    // the pod template is shared with PipelineRun by reference, and its affinity is kept whole
    expect(taskRun.podTemplate).toEqual({ r: expect.stringMatching(/^d\d+$/) });
    expect(resolve(taskRun.podTemplate).p.affinity).toEqual({ x: 1 });
    expect(tree.kinds.PipelineRun.spec.p.taskRunSpecs.i.p.podTemplate).toEqual(taskRun.podTemplate);
    expect(taskRun.taskSpec).toEqual({ x: 1 });
    expect(resolve(tree.kinds.Task.spec.p.steps.i).p.runAfter).toBeUndefined();
    expect(resolve(tree.kinds.Pipeline.spec.p.tasks.i).p.runAfter).toEqual({ i: 1 });
    expect(Object.keys(tree.kinds.Task.spec.p)).toEqual([...Object.keys(tree.kinds.Task.spec.p)].sort());
  });

  test('the Triggers classes are the five triggers.tekton.dev/v1beta1 kinds, typed from the OpenAPI definitions', () => {
    const source = fs.readFileSync(path.join(ROOT, 'imports', 'triggers.tekton.dev.ts'), 'utf8');
    expect([...source.matchAll(/^export class (\w+) extends ApiObject \{/gm)].map((m) => m[1])).toEqual([
      'ClusterTriggerBinding',
      'EventListener',
      'Trigger',
      'TriggerBinding',
      'TriggerTemplate',
    ]);
    expect(source).toContain("apiVersion: 'triggers.tekton.dev/v1beta1',\n    kind: 'EventListener'");
    // typed, not the schema-less CRDs' `any`: a TriggerTemplate param is name/description/default, strings only
    expect(source).toMatch(/export interface TriggerTemplateSpecParams \{[^}]*readonly name: string;[^}]*readonly default\?: string;/);
    const tree = JSON.parse(TRIGGERS_FIELDS_JSON);
    expect(Object.keys(tree.kinds)).toEqual(['ClusterTriggerBinding', 'EventListener', 'Trigger', 'TriggerBinding', 'TriggerTemplate']);
    expect(Object.keys(tree.kinds.TriggerTemplate.spec.p)).toEqual(['params', 'resourcetemplates']);
    // a resource template is any object, an interceptor param's value any JSON value
    expect(tree.kinds.TriggerTemplate.spec.p.resourcetemplates).toEqual({ i: { x: 1 } });
  });

  test('reads the Triggers definitions from the Go file openapi-gen writes (their swagger.json is empty at v0.37.0)', () => {
    // GIVEN a cut of openapi_generated.go: one kind whose spec refers to a definition of its own package and a Kubernetes one
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseGoDefinitions } = require('../tools/triggers-openapi.js') as {
      parseGoDefinitions: (text: string) => Map<string, Record<string, unknown>>;
    };
    const go = `
func GetOpenAPIDefinitions(ref common.ReferenceCallback) map[string]common.OpenAPIDefinition {
	return map[string]common.OpenAPIDefinition{
		"example.com/p.Thing": schema_p_Thing(ref),
	}
}
func schema_p_Thing(ref common.ReferenceCallback) common.OpenAPIDefinition {
	return common.OpenAPIDefinition{
		Schema: spec.Schema{
			SchemaProps: spec.SchemaProps{
				Description: "Thing has a \\"quoted\\" \`word\`.",
				Type:        []string{"object"},
				Properties: map[string]spec.Schema{
					"names": {
						VendorExtensible: spec.VendorExtensible{ Extensions: spec.Extensions{ "x-kubernetes-list-type": "atomic" } },
						SchemaProps: spec.SchemaProps{
							Type:  []string{"array"},
							Items: &spec.SchemaOrArray{ Schema: &spec.Schema{ SchemaProps: spec.SchemaProps{ Default: "", Type: []string{"string"}, Format: "" } } },
						},
					},
					"selector": { SchemaProps: spec.SchemaProps{ Ref: ref("k8s.io/apimachinery/pkg/apis/meta/v1.LabelSelector") } },
				},
				Required: []string{"names"},
			},
		},
		Dependencies: []string{ "k8s.io/apimachinery/pkg/apis/meta/v1.LabelSelector"},
	}
}`;
    // WHEN it is read
    const definitions = parseGoDefinitions(go);
    // THEN the literal becomes the OpenAPI schema it spells
    expect(definitions.get('example.com/p.Thing')).toEqual({
      description: 'Thing has a "quoted" `word`.',
      type: 'object',
      required: ['names'],
      properties: {
        names: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' },
        selector: { $ref: 'k8s.io/apimachinery/pkg/apis/meta/v1.LabelSelector' },
      },
    });
  });

  test('fails with one line when the CRD directory does not exist', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'import-crds.js'), '--output', os.tmpdir()], {
      env: { ...process.env, TEKTON_PIPELINE_CRDS_DIR: '/nonexistent/crds' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe('import: TEKTON_PIPELINE_CRDS_DIR=/nonexistent/crds does not exist');
  });
});
