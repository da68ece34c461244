import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The directory of the slsa-for-models package (where its package.json is), whether the code runs
 * compiled from `lib/src/` or from the TypeScript sources under test.
 */
export const PACKAGE_ROOT: string = findPackageRoot(__dirname);

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'slsa-for-models') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the slsa-for-models package.json above ${start}`);
  }
}
