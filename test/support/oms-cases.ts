/**
 * model_signing's own cross-version signatures in ../shared/oms (cases.tsv and their folders) and the
 * public-good trusted root they verify against; absent on a plain clone, where the cases are skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared');
export const OMS = path.join(SHARED, 'oms');
export const TRUSTED_ROOT = path.join(SHARED, 'sigstore', 'trusted_root.public-good.json');
export const HAVE_OMS = fs.existsSync(path.join(OMS, 'cases.tsv')) && fs.existsSync(TRUSTED_ROOT);
if (!HAVE_OMS) console.log(`skipping the model_signing cases: ${OMS} or ${TRUSTED_ROOT} is absent`);
/** `it` where the cases are present, `it.skip` where they are not. */
export const withOms = HAVE_OMS ? it : it.skip;

/** One row of cases.tsv, by column name. */
export type Case = Record<string, string>;

/** Every row of cases.tsv. */
export function cases(): Case[] {
  const [header, ...rows] = fs
    .readFileSync(path.join(OMS, 'cases.tsv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split('\t'));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}
