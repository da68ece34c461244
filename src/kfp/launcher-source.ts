/**
 * The Python (standard library only) that a compiled KFP task runs around its component, in
 * place of KFP's Go launcher: `prepare` builds the executor input JSON the way KFP's launcher does
 * (https://www.kubeflow.org/docs/components/pipelines/ — the executor input/output protocol) and
 * writes the component's command line with every placeholder resolved; `publish` reads the executor
 * output and output files and turns them into Tekton results, artifact metadata files on the
 * shared workspace, and Chains `*_ARTIFACT_OUTPUTS` for models.
 *
 * Kept here as text because the package ships only compiled JavaScript. It must not contain the
 * two characters dollar and open-parenthesis together: Tekton would read them as a variable.
 */
export const LAUNCHER_PY = String.raw`
import hashlib, json, os, re, sys

TASK = json.loads(os.environ["KFP_TASK"])
SCRATCH = os.environ["KFP_SCRATCH"]
ROOT = os.environ["KFP_ARTIFACT_ROOT"]
RUNTIME = os.environ.get("KFP_RUNTIME", "kfp")


def fail(message):
    sys.stderr.write("kfp-launcher: task %s: %s\n" % (TASK["task"], message))
    sys.exit(1)


def decode(wire, ptype):
    if ptype == "STRING":
        return wire
    try:
        value = json.loads(wire)
    except ValueError:
        fail("parameter value %r is not the JSON of a %s" % (wire[:80], ptype))
    if ptype == "NUMBER_INTEGER" and isinstance(value, float) and value.is_integer():
        value = int(value)
    return value


def encode(value, ptype):
    if ptype == "STRING":
        return value if isinstance(value, str) else json.dumps(value)
    if ptype == "NUMBER_INTEGER" and isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


ABSENT = "<kfp:absent>"


def decode_tree(tree):
    if "list" in tree:
        return [decode_tree(t) for t in tree["list"]]
    return decode(os.environ[tree["env"]], tree["type"])


def read_artifact(path):
    try:
        with open(path + ".kfp.json") as f:
            return json.load(f)
    except OSError:
        return {"uri": path, "metadata": {}}


def executor_input():
    params = {}
    for name, spec in TASK["inputs"]["parameters"].items():
        if spec["type"] == "TASK_FINAL_STATUS":
            state = {"Succeeded": "COMPLETE", "Completed": "COMPLETE", "Failed": "FAILED"}.get(os.environ[spec["env"]], "CANCELED")
            params[name] = {"state": state, "pipelineJobResourceName": os.environ.get("KFP_RUN_NAME", ""),
                            "pipelineTaskName": spec.get("producer", ""), "error": {}}
            continue
        if "tree" in spec:
            params[name] = decode_tree(spec["tree"])
            continue
        if spec["env"] not in os.environ or os.environ[spec["env"]] == ABSENT:
            continue
        params[name] = decode(os.environ[spec["env"]], spec["type"])
    artifacts = {}
    for name, spec in TASK["inputs"]["artifacts"].items():
        if "tree" in spec:
            records = [read_artifact(os.environ[leaf["env"]]) for leaf in spec["tree"]["list"]]
            artifacts[name] = {"artifacts": [{"name": name, "type": {"schemaTitle": r.get("schemaTitle", spec["schemaTitle"])},
                                              "uri": r["uri"], "metadata": r.get("metadata", {})} for r in records]}
            continue
        path = os.environ.get(spec["env"], "")
        if path == "":
            continue
        record = read_artifact(path)
        artifacts[name] = {"artifacts": [{"name": name, "type": {"schemaTitle": record.get("schemaTitle", spec["schemaTitle"])},
                                          "uri": record.get("uri", path), "metadata": record.get("metadata", {})}]}
    out_params = {}
    for name in TASK["outputs"]["parameters"]:
        out_params[name] = {"outputFile": os.path.join(SCRATCH, "outputs", name)}
    out_artifacts = {}
    for name, spec in TASK["outputs"]["artifacts"].items():
        uri = os.path.join(ROOT, os.environ["KFP_TASK_RUN"], name)
        out_artifacts[name] = {"artifacts": [{"name": name, "type": {"schemaTitle": spec["schemaTitle"]}, "uri": uri, "metadata": {}}]}
    return {"inputs": {"parameterValues": params, "artifacts": artifacts},
            "outputs": {"parameters": out_params, "artifacts": out_artifacts,
                        "outputFile": os.path.join(SCRATCH, "executor_output.json")}}


PLACEHOLDER = re.compile(r"\{\{[$](?:\.(inputs|outputs)\.(parameters|artifacts)\['([^']+)'\](?:\.(uri|path|metadata|output_file))?)?\}\}")


def resolve_text(text, ei):
    def one(m):
        if m.group(1) is None:
            return json.dumps(ei)
        side, kind, name, attr = m.groups()
        if side == "inputs" and kind == "parameters":
            spec = TASK["inputs"]["parameters"].get(name)
            if spec is None or name not in ei["inputs"]["parameterValues"]:
                fail("placeholder %s names no input parameter with a value" % m.group(0))
            return encode(ei["inputs"]["parameterValues"][name], spec["type"])
        if side == "outputs" and kind == "parameters":
            return ei["outputs"]["parameters"][name]["outputFile"]
        group = ei[side]["artifacts"].get(name)
        if group is None:
            fail("placeholder %s names no %s artifact" % (m.group(0), side[:-1]))
        artifact = group["artifacts"][0]
        if attr == "metadata":
            return json.dumps(artifact["metadata"])
        return artifact["uri"]
    return PLACEHOLDER.sub(one, text)


def present(name, ei):
    return name in ei["inputs"]["parameterValues"] or name in ei["inputs"]["artifacts"]


def resolve_arg(arg, ei):
    if isinstance(arg, str) and arg.startswith("{") and ('"IfPresent"' in arg or '"Concat"' in arg):
        try:
            arg = json.loads(arg)
        except ValueError:
            return [resolve_text(arg, ei)]
    if isinstance(arg, dict) and "IfPresent" in arg:
        spec = arg["IfPresent"]
        branch = spec.get("Then", []) if present(spec["InputName"], ei) else spec.get("Else", [])
        if not isinstance(branch, list):
            branch = [branch]
        return [x for item in branch for x in resolve_arg(item, ei)]
    if isinstance(arg, dict) and "Concat" in arg:
        return ["".join("".join(resolve_arg(item, ei)) for item in arg["Concat"])]
    return [resolve_text(arg, ei)]


def quote(word):
    return "'" + word.replace("'", "'\\''") + "'"


def shared_dir(path):
    # the component may run as another user than the launcher: let it write here
    os.makedirs(path, exist_ok=True)
    os.chmod(path, 0o777)


def prepare():
    shared_dir(SCRATCH)
    shared_dir(os.path.join(SCRATCH, "outputs"))
    ei = executor_input()
    for group in ei["outputs"]["artifacts"].values():
        shared_dir(os.path.dirname(group["artifacts"][0]["uri"]))
    container = TASK["container"]
    command = [x for a in container.get("command", []) for x in resolve_arg(a, ei)]
    args = [x for a in container.get("args", []) for x in resolve_arg(a, ei)]
    argv = command + args
    with open(os.path.join(SCRATCH, "executor_input.json"), "w") as f:
        json.dump(ei, f)
    lightweight = any("kfp.dsl.executor_main" in c for c in container.get("command", [])) and "--function_to_execute" in args
    if lightweight and RUNTIME == "stand-in":
        function = args[args.index("--function_to_execute") + 1]
        program = os.path.join(SCRATCH, "ephemeral_component.py")
        with open(program, "w") as f:
            f.write(command[-1])
        stand_in = os.path.join(SCRATCH, "kfp_stand_in.py")
        with open(stand_in, "w") as f:
            f.write(STAND_IN)
        argv = ["python3", stand_in, "--component_module_path", program, "--executor_input", json.dumps(ei), "--function_to_execute", function]
        print("kfp-launcher: task %s: kfp is NOT installed (kfp-runtime=stand-in): running %s with slsa-for-models' stand-in executor, not kfp.dsl.executor_main" % (TASK["task"], function))
    elif lightweight:
        print("kfp-launcher: task %s: the component installs kfp from PyPI at run time and runs kfp.dsl.executor_main, as its IR asks" % TASK["task"])
    elif RUNTIME not in ("kfp", "stand-in"):
        fail("kfp-runtime is %r, not kfp or stand-in" % RUNTIME)
    with open(os.path.join(SCRATCH, "command.sh"), "w") as f:
        f.write("exec " + " ".join(quote(w) for w in argv) + "\n")


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_result(path, text):
    with open(path, "w") as f:
        f.write(text)


def publish():
    with open(os.path.join(SCRATCH, "executor_input.json")) as f:
        ei = json.load(f)
    out = {}
    try:
        with open(ei["outputs"]["outputFile"]) as f:
            out = json.load(f)
    except OSError:
        pass
    values = out.get("parameterValues", {})
    for name, spec in TASK["outputs"]["parameters"].items():
        if name in values:
            text = encode(values[name], spec["type"])
        else:
            try:
                with open(ei["outputs"]["parameters"][name]["outputFile"]) as f:
                    text = f.read()
            except OSError:
                fail("output parameter %s was not written (no executor output value, no output file)" % name)
            if spec["type"] != "STRING":
                text = encode(decode(text, spec["type"]), spec["type"])
        write_result(spec["result"], text)
    for name, spec in TASK["outputs"]["artifacts"].items():
        artifact = ei["outputs"]["artifacts"][name]["artifacts"][0]
        path = artifact["uri"]
        written = out.get("artifacts", {}).get(name, {}).get("artifacts", [{}])[0]
        uri = written.get("uri", path)
        if uri != path and uri.startswith(ROOT + "/") and os.path.exists(uri):
            path = uri
        metadata = written.get("metadata", artifact["metadata"])
        record = {"name": name, "schemaTitle": spec["schemaTitle"], "uri": uri, "metadata": metadata}
        if os.path.isfile(path):
            record["sha256"] = sha256_of(path)
        with open(path + ".kfp.json", "w") as f:
            json.dump(record, f)
        write_result(spec["result"], path)
        if spec.get("subject"):
            if "sha256" not in record:
                fail("output artifact %s (%s) is a Chains subject but %s is not a file (a directory or nothing was written)" % (name, spec["schemaTitle"], path))
            write_result(spec["subject"], json.dumps({"uri": uri, "digest": "sha256:" + record["sha256"], spec["buildArtifactKey"]: "true"}, separators=(",", ":")))
        print("kfp-launcher: task %s: artifact %s at %s%s" % (TASK["task"], name, uri, " sha256:" + record["sha256"] if "sha256" in record else ""))


STAND_IN = __STAND_IN__

if __name__ == "__main__":
    {"prepare": prepare, "publish": publish}[MODE]()
`;

/**
 * slsa-for-models' stand-in for `python3 -m kfp.dsl.executor_main`, for machines that cannot install
 * `kfp` from PyPI (the rehearsal, tests): it loads the component's Python module with a small `kfp`
 * module of its own (the `dsl` names lightweight components import), calls the function with the
 * executor input's parameters and artifacts, and writes the executor output as KFP's executor does.
 * It covers parameters, `Input[...]`/`Output[...]` artifacts, `InputPath`/`OutputPath`,
 * `NamedTuple` returns, `Metrics.log_metric` and `PipelineTaskFinalStatus`; anything else fails loudly.
 */
export const STAND_IN_PY = String.raw`
import argparse, importlib.util, inspect, json, os, shutil, sys, types, typing

class Artifact:
    schema_title = "system.Artifact"
    def __init__(self, name="", uri="", metadata=None):
        self.name, self.uri, self.metadata = name, uri, dict(metadata or {})
        self.custom_path = None
    @property
    def path(self):
        return self.custom_path or self.uri
    @path.setter
    def path(self, value):
        self.uri = value
    def set_path(self, value):
        self.custom_path = value

class Model(Artifact):
    schema_title = "system.Model"
    @property
    def framework(self):
        return self.metadata.get("framework", "")
    @framework.setter
    def framework(self, value):
        self.metadata["framework"] = value

class Dataset(Artifact):
    schema_title = "system.Dataset"

class Metrics(Artifact):
    schema_title = "system.Metrics"
    def log_metric(self, metric, value):
        self.metadata[metric] = value

class ClassificationMetrics(Artifact):
    schema_title = "system.ClassificationMetrics"
    def log_roc_curve(self, fpr, tpr, threshold):
        self.metadata["confidenceMetrics"] = [{"falsePositiveRate": a, "recall": b, "confidenceThreshold": c} for a, b, c in zip(fpr, tpr, threshold)]
    def log_confusion_matrix(self, categories, matrix):
        self.metadata["confusionMatrix"] = {"annotationSpecs": [{"displayName": c} for c in categories], "rows": [{"row": r} for r in matrix]}

class HTML(Artifact):
    schema_title = "system.HTML"

class Markdown(Artifact):
    schema_title = "system.Markdown"

class _Marked:
    def __init__(self, kind, inner):
        self.kind, self.inner = kind, inner

class _Marker:
    def __init__(self, kind):
        self.kind = kind
    def __getitem__(self, inner):
        return _Marked(self.kind, inner)
    def __call__(self, inner=None):
        return _Marked(self.kind + "Path", inner)

class PipelineTaskFinalStatus:
    def __init__(self, state, pipeline_job_resource_name, pipeline_task_name, error_code, error_message):
        self.state, self.pipeline_job_resource_name, self.pipeline_task_name = state, pipeline_job_resource_name, pipeline_task_name
        self.error_code, self.error_message = error_code, error_message

_OUTPUT_URI = [""]

def get_uri(suffix=""):
    if suffix:
        os.makedirs(_OUTPUT_URI[0], exist_ok=True)
    return _OUTPUT_URI[0] + ("/" + suffix if suffix else "")

def _is_artifact_class(ann):
    return isinstance(ann, type) and issubclass(ann, Artifact)

def _is_artifact_list(ann):
    args = typing.get_args(ann)
    return typing.get_origin(ann) in (list, typing.List) and len(args) == 1 and _is_artifact_class(args[0])

def component(func=None, **kwargs):
    return func if func is not None else (lambda f: f)

def _unsupported(name):
    def fail(*args, **kwargs):
        raise RuntimeError("slsa-for-models kfp stand-in: kfp.dsl.%s is not available in the stand-in executor" % name)
    return fail

dsl = types.ModuleType("kfp.dsl")
for _name, _value in {
    "Artifact": Artifact, "Model": Model, "Dataset": Dataset, "Metrics": Metrics, "ClassificationMetrics": ClassificationMetrics,
    "HTML": HTML, "Markdown": Markdown, "Input": _Marker("Input"), "Output": _Marker("Output"),
    "InputPath": _Marker("Input"), "OutputPath": _Marker("Output"), "PipelineTaskFinalStatus": PipelineTaskFinalStatus,
    "component": component, "container_component": component, "pipeline": component,
    "ContainerSpec": _unsupported("ContainerSpec"), "importer": _unsupported("importer"), "get_uri": get_uri,
}.items():
    setattr(dsl, _name, _value)
dsl.InputPath = lambda inner=None: _Marked("InputPath", inner)
dsl.OutputPath = lambda inner=None: _Marked("OutputPath", inner)
dsl.__all__ = [n for n in dir(dsl) if not n.startswith("_")]
kfp = types.ModuleType("kfp")
kfp.dsl = dsl
kfp.__version__ = "0+slsa-for-models-stand-in"
sys.modules["kfp"] = kfp
sys.modules["kfp.dsl"] = dsl

CLASSES = {c.schema_title: c for c in (Artifact, Model, Dataset, Metrics, ClassificationMetrics, HTML, Markdown)}

def make(group, name):
    a = group["artifacts"][0]
    cls = CLASSES.get(a.get("type", {}).get("schemaTitle"), Artifact)
    return cls(name=a.get("name", name), uri=a["uri"], metadata=a.get("metadata", {}))

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--component_module_path")
    parser.add_argument("--executor_input")
    parser.add_argument("--function_to_execute")
    options = parser.parse_args()
    ei = json.loads(options.executor_input)
    spec = importlib.util.spec_from_file_location("ephemeral_component", options.component_module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    func = getattr(module, options.function_to_execute)
    values = ei["inputs"].get("parameterValues", {})
    outputs = ei["outputs"]
    kwargs, out_artifacts, out_paths = {}, {}, {}
    for name, p in inspect.signature(func).parameters.items():
        ann = p.annotation
        if isinstance(ann, _Marked) and ann.kind == "Input":
            if name in ei["inputs"].get("artifacts", {}):
                group = ei["inputs"]["artifacts"][name]
                if typing.get_origin(ann.inner) in (list, typing.List):
                    kwargs[name] = [make({"artifacts": [a]}, name) for a in group["artifacts"]]
                else:
                    kwargs[name] = make(group, name)
        elif isinstance(ann, _Marked) and ann.kind == "Output":
            kwargs[name] = out_artifacts[name] = make(outputs["artifacts"][name], name)
        elif isinstance(ann, _Marked) and ann.kind == "InputPath":
            if name in ei["inputs"].get("artifacts", {}):
                kwargs[name] = ei["inputs"]["artifacts"][name]["artifacts"][0]["uri"]
            elif name in values:
                kwargs[name] = values[name]
        elif isinstance(ann, _Marked) and ann.kind == "OutputPath":
            if name in outputs.get("artifacts", {}):
                kwargs[name] = outputs["artifacts"][name]["artifacts"][0]["uri"]
            else:
                kwargs[name] = out_paths[name] = outputs["parameters"][name]["outputFile"]
        elif _is_artifact_class(ann) or _is_artifact_list(ann):
            group = ei["inputs"].get("artifacts", {}).get(name)
            if group is not None:
                kwargs[name] = [make({"artifacts": [a]}, name) for a in group["artifacts"]] if _is_artifact_list(ann) else make(group, name)
        elif ann is PipelineTaskFinalStatus:
            s = values[name]
            kwargs[name] = PipelineTaskFinalStatus(s.get("state"), s.get("pipelineJobResourceName"), s.get("pipelineTaskName"),
                                                   s.get("error", {}).get("code"), s.get("error", {}).get("message"))
        elif name in values:
            kwargs[name] = values[name]
    if "Output" in outputs.get("artifacts", {}):
        _OUTPUT_URI[0] = outputs["artifacts"]["Output"]["artifacts"][0]["uri"]
    result = func(**kwargs)
    out = {"parameterValues": {}, "artifacts": {}}
    declared = outputs.get("parameters", {})
    if isinstance(result, Artifact):
        out_artifacts["Output"] = result
    elif result is not None:
        if hasattr(result, "_fields"):
            for field in result._fields:
                if field in declared:
                    out["parameterValues"][field] = getattr(result, field)
        elif "Output" in declared:
            out["parameterValues"]["Output"] = result
    for name, artifact in out_artifacts.items():
        if artifact.custom_path and os.path.exists(artifact.custom_path):
            copy = shutil.copytree if os.path.isdir(artifact.custom_path) else shutil.copyfile
            copy(artifact.custom_path, artifact.uri)
        out["artifacts"][name] = {"artifacts": [{"name": artifact.name, "uri": artifact.uri, "metadata": artifact.metadata}]}
    os.makedirs(os.path.dirname(outputs["outputFile"]), exist_ok=True)
    with open(outputs["outputFile"], "w") as f:
        json.dump(out, f)

if __name__ == "__main__":
    main()
`;

/** The script of a launcher step: `mode` is `prepare` or `publish`. */
export function launcherScript(mode: 'prepare' | 'publish'): string {
  return (
    `#!/usr/bin/env python3\nMODE = ${JSON.stringify(mode)}\n` +
    LAUNCHER_PY.replace('__STAND_IN__', mode === 'prepare' ? JSON.stringify(STAND_IN_PY) : '""')
  );
}
