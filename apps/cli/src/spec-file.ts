import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { HourglassError } from '@hourglass/common';
import { parse as parseYaml } from 'yaml';

/**
 * Reads a spec file: YAML when its name ends in .yaml or .yml, JSON
 * otherwise. What it holds is validated by the API, which names the
 * fields that are wrong.
 */
export async function readSpecFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HourglassError('HG_FILE', `cannot read ${path}: ${(error as Error).message}`);
  }

  const isYaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  try {
    return isYaml ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const format = isYaml ? 'YAML' : 'JSON';
    const reason = (error as Error).message;
    throw new HourglassError('HG_FILE', `${path} is not valid ${format}: ${reason}`);
  }
}
