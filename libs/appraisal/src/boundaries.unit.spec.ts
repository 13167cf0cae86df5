import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The domain imports nothing but itself and node built-ins: no NestJS, no driver, no Kafka, no
 * other lib. Production code also never reaches into testing/, which the build leaves out.
 */
const ROOT = __dirname;
const SPECIFIER = [
  /^\s*(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

function specifiers(source: string): string[] {
  return SPECIFIER.flatMap((re) => [...source.matchAll(re)].map((m) => m[1]));
}

function violation(file: string, spec: string): string | null {
  if (spec.startsWith('node:')) return null;
  if (!spec.startsWith('./') && !spec.startsWith('../')) return `${spec} is neither relative nor node:`;
  const target = resolve(dirname(file), spec);
  if (target !== ROOT && !target.startsWith(ROOT + sep)) return `${spec} leaves libs/appraisal/src`;
  const intoTesting = relative(ROOT, target).split(sep)[0] === 'testing';
  if (intoTesting && !file.endsWith('.spec.ts')) return `${spec}: production code must not import testing/`;
  return null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('libs/appraisal boundaries', () => {
  const files = sourceFiles(ROOT);

  it('finds the domain sources', () => {
    expect(files.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['index.ts', join('appraisal', 'decide.ts'), join('unit', 'decide.ts')]));
  });

  it('imports only relative paths inside the lib and node: built-ins', () => {
    const problems = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8')).flatMap((spec) => {
        const problem = violation(file, spec);
        return problem ? [`${relative(ROOT, file)}: ${problem}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });

  it('would catch a framework, driver or cross-lib import', () => {
    // Split keywords so that neither this file's own scan nor a grep for framework imports trips on it.
    const from = 'fr' + 'om';
    const sample = [
      `import { Injectable } ${from} '@nestjs/common';`,
      `import Database ${from} 'better-sqlite3';`,
      `export * ${from} 'kafkajs';`,
      "import type { EventStore } from '../../event-store/src/port';",
      "import './side-effect';",
      'const x = req' + "uire('mongodb');",
      'const y = await imp' + "ort('@nestjs/core');",
    ].join('\n');
    const found = specifiers(sample);
    expect(found).toEqual(['@nestjs/common', 'better-sqlite3', 'kafkajs', '../../event-store/src/port', './side-effect', '@nestjs/core', 'mongodb']);
    const file = join(ROOT, 'appraisal', 'decide.ts');
    expect(found.map((s) => violation(file, s) !== null)).toEqual([true, true, true, true, false, true, true]);
    expect(violation(file, '../testing')).not.toBeNull();
  });
});
