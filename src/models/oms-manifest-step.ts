/**
 * The OMS manifest of a model directory, computed inside a Tekton step (issue 17, part 3: the
 * upload task records the directory's root digest as the Chains subject and uploads the unsigned
 * OMS statement beside the model). The step images carry python3 but not Node, so this is Python
 * (standard library only); test/models-oms-manifest-step.test.ts holds it to the verifier's own
 * `serializeModel` (src/verify/oms) and to model_signing's golden statements.
 *
 * Usage in a step: `python3 -c "$OMS_MANIFEST" MODEL_DIR STATEMENT_OUT [IGNORE_PATH...]`. It
 * prints `sha256:<root digest>` and writes the statement model_signing would sign
 * (`https://model_signing/signature/v1.0`, files, sha256, symlinks refused, git files and the
 * given paths, relative to MODEL_DIR, left out and recorded in `ignore_paths`). It exits 1 with one
 * line on a symlink, a special file or an unreadable file.
 */
export const OMS_MANIFEST_SCRIPT = `import hashlib, json, os, stat, sys

model, out, *extra = sys.argv[1:]
ignored = sorted(set(['.git', '.gitattributes', '.github', '.gitignore'] + [os.path.normpath(p) for p in extra]))

def skip(name):
    return any(name == p or name.startswith(p + '/') for p in ignored)

def fail(message):
    sys.exit('oms-manifest: ' + message)

def file_digest(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        while True:
            chunk = f.read(4 << 20)
            if not chunk:
                return h.hexdigest()
            h.update(chunk)

files = []
def walk(directory, prefix):
    for entry in os.listdir(directory):
        name = prefix + entry
        if skip(name):
            continue
        full = os.path.join(directory, entry)
        info = os.lstat(full)
        if stat.S_ISLNK(info.st_mode):
            fail(full + ' is a symbolic link (refused, as model_signing refuses it by default)')
        if stat.S_ISDIR(info.st_mode):
            walk(full, name + '/')
        elif stat.S_ISREG(info.st_mode):
            files.append((name, full))
        else:
            fail(full + ' is neither a regular file nor a directory')

try:
    if os.path.isdir(model):
        walk(model, '')
        resources = sorted((name.split('/'), name, file_digest(full)) for name, full in files)
    else:
        resources = [(['.'], '.', file_digest(model))]
except OSError as err:
    fail('cannot read ' + str(err.filename) + ': ' + err.strerror)
root = hashlib.sha256(b''.join(bytes.fromhex(d) for _, _, d in resources)).hexdigest()
statement = {
    '_type': 'https://in-toto.io/Statement/v1',
    'subject': [{'name': os.path.basename(os.path.abspath(model)), 'digest': {'sha256': root}}],
    'predicateType': 'https://model_signing/signature/v1.0',
    'predicate': {
        'serialization': {'method': 'files', 'hash_type': 'sha256', 'allow_symlinks': False, 'ignore_paths': ignored},
        'resources': [{'name': name, 'algorithm': 'sha256', 'digest': d} for _, name, d in resources],
    },
}
with open(out, 'w') as f:
    json.dump(statement, f, indent=2)
    f.write('\\n')
print('sha256:' + root)
`;
