"""The SLSA-for-models pipeline as a Kubeflow Pipelines v2 pipeline.

Compile it with kfp 2.x and then to Tekton:

    pip install 'kfp==2.14.3'
    python3 pipeline.py                      # writes pipeline.yaml (the KFP IR)
    npx slsa-for-models kfp compile pipeline.yaml --git-source model_source --out dist-kfp

The model is trained from the git source given in `model_source` (url, revision, requirements-path,
main-path) and uploaded to Artifact Registry; the uploaded model is the pipeline's output `model`, which
Tekton Chains attests (model_ARTIFACT_OUTPUTS), with the git source as a resolved dependency
(source_ARTIFACT_INPUTS, from --git-source).
"""
from typing import NamedTuple

from kfp import compiler, dsl
from kfp.dsl import Input, Model, Output

PYTHON_IMAGE = 'docker.io/library/python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3'
GCLOUD_IMAGE = 'docker.io/google/cloud-sdk:531.0.0-alpine@sha256:18963f32aebecb6c25f7340f56815b49307bc526f7efaa7c6f3a2eb73f7426d9'


@dsl.component(base_image=PYTHON_IMAGE)
def train_model(model_name: str, model_source: dict, model: Output[Model]):
    """Clones the training code at its pinned revision, installs its hashed lock and trains."""
    import os
    import subprocess
    import sys
    checkout = os.path.join(os.path.dirname(model.path), 'source')
    subprocess.run(['git', 'clone', '--quiet', model_source['url'], checkout], check=True)
    subprocess.run(['git', '-C', checkout, 'checkout', '--quiet', '--detach', model_source['revision']], check=True)
    venv = os.path.join(os.path.dirname(model.path), 'venv')
    subprocess.run([sys.executable, '-m', 'venv', venv], check=True)
    python = os.path.join(venv, 'bin', 'python')
    subprocess.run([python, '-m', 'pip', 'install', '--require-hashes', '-r',
                    os.path.join(checkout, model_source['requirements-path'])], check=True)
    subprocess.run([python, os.path.join(checkout, model_source['main-path']), model_name], check=True, cwd=checkout)
    os.replace(os.path.join(checkout, model_name), model.path)
    model.metadata['framework'] = model_name


@dsl.component(base_image=GCLOUD_IMAGE)
def upload_model(model_name: str, model_storage: dict, trained: Input[Model], model: Output[Model]):
    """Uploads the model to an Artifact Registry generic repository, versioned by its sha256."""
    import hashlib
    import shutil
    import subprocess
    with open(trained.path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    shutil.copyfile(trained.path, model.path)
    subprocess.run(['gcloud', 'artifacts', 'generic', 'upload', '--quiet',
                    '--location', model_storage['location'], '--repository', model_storage['repository'],
                    '--package', model_storage['package'], '--version', digest, '--source', trained.path], check=True)
    model.uri = ('https://artifactregistry.googleapis.com/download/v1/projects/-/locations/%s/repositories/%s/files/%s:%s:%s:download?alt=media'
                 % (model_storage['location'], model_storage['repository'], model_storage['package'], digest, model_name))


@dsl.pipeline(name='slsa-for-models-kfp',
              description='Trains an ML model from a pinned source and uploads it to Artifact Registry; Tekton Chains attests it.')
def slsa_for_models(
    model_name: str,
    model_storage: dict,
    model_source: dict = {
        'url': 'https://github.com/sigstore/model-transparency',
        'revision': 'd56521f123fa0ad14127f40ed831334cd47a80e8',
        'requirements-path': 'slsa_for_models/install/requirements_Linux.txt',
        'main-path': 'slsa_for_models/main.py',
    },
) -> NamedTuple('Outputs', model=Model):
    train = train_model(model_name=model_name, model_source=model_source)
    upload = upload_model(model_name=model_name, model_storage=model_storage, trained=train.outputs['model'])
    Outputs = NamedTuple('Outputs', model=Model)
    return Outputs(model=upload.outputs['model'])


if __name__ == '__main__':
    compiler.Compiler().compile(slsa_for_models, 'pipeline.yaml')
