// Pipelines-as-Code's task and pipeline annotations, read as PaC reads them (pkg/matcher).
import { classifyPacResource, pacAnnotatedResources, pacAnnotationValues, pacRepositoryRoot } from '../src/tekton-model/pac-annotations';

describe('pacAnnotationValues (getAnnotationValues)', () => {
  test.each([
    ['git-clone', ['git-clone']],
    ['[git-clone, .tekton/tasks/lint.yaml ,https://x/y.yaml]', ['git-clone', '.tekton/tasks/lint.yaml', 'https://x/y.yaml']],
    ['[a&#44;b]', ['a,b']],
  ])('%s', (annotation, values) => expect(pacAnnotationValues(annotation)).toEqual(values));

  test.each(['two words', '[]', '[, a]'])('near: %j is refused as PaC refuses it', (annotation) =>
    expect(pacAnnotationValues(annotation)).toBeUndefined(),
  );
});

describe('classifyPacResource (getRemote)', () => {
  test.each([
    ['https://example.com/raw/main/task/build.yaml', 'url', 'build'],
    ['mycatalog://buildpacks:0.1', 'catalog', 'buildpacks'],
    ['./share/tasks/git-clone.yaml', 'repository', 'git-clone'],
    ['git-clone:0.9', 'hub', 'git-clone'],
  ])('%s is fetched from %s as %s', (value, from, likelyName) => expect(classifyPacResource(value)).toMatchObject({ from, likelyName }));

  test('a repository path is read from the repository root', () => {
    expect(classifyPacResource('./share/tasks/git-clone.yaml')).toMatchObject({ path: 'share/tasks/git-clone.yaml' });
  });
});

describe('pacAnnotatedResources and pacRepositoryRoot', () => {
  test('task and task-N are tasks, pipeline the pipeline; pipeline-1 and other keys are not', () => {
    const object = {
      metadata: {
        annotations: {
          'pipelinesascode.tekton.dev/task': 'a',
          'pipelinesascode.tekton.dev/task-2': '[b, c]',
          'pipelinesascode.tekton.dev/task-x': 'no',
          'pipelinesascode.tekton.dev/pipeline': 'p',
          'pipelinesascode.tekton.dev/pipeline-1': 'no',
        },
      },
    };
    expect(pacAnnotatedResources(object, 'task').map((r) => r.value)).toEqual(['a', 'b', 'c']);
    expect(pacAnnotatedResources(object, 'pipeline').map((r) => r.value)).toEqual(['p']);
  });

  test('the root is what the git repository says, else the folder above .tekton/', () => {
    expect(pacRepositoryRoot('/src/repo/ci/run.yaml', 'ci/run.yaml')).toBe('/src/repo/');
    expect(pacRepositoryRoot('repo/.tekton/push.yaml', undefined)).toBe('repo/');
    expect(pacRepositoryRoot('.tekton/push.yaml', undefined)).toBe('');
    expect(pacRepositoryRoot('repo/ci/push.yaml', undefined)).toBeUndefined();
  });
});
