import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { BuiltReport } from './build-report.ts';

/** Where a written report's files are. */
export interface WrittenReport {
  htmlPath: string;
  figurePaths: string[];
}

/** The page's file name inside the output folder. */
export const REPORT_FILE_NAME = 'report.html';

/** Writes the page and, next to it, each figure as its own PNG file. */
export async function writeReport(report: BuiltReport, outDir: string): Promise<WrittenReport> {
  await mkdir(outDir, { recursive: true });
  const htmlPath = join(outDir, REPORT_FILE_NAME);
  await writeFile(htmlPath, report.html);
  const figurePaths: string[] = [];
  for (const figure of report.figures) {
    const path = join(outDir, figure.fileName);
    await writeFile(path, figure.png);
    figurePaths.push(path);
  }
  return { htmlPath, figurePaths };
}
