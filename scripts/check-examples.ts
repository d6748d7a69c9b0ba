// Every code example type-checks as a reader would paste it: each ```ts (or ```typescript) block of
// README.md and docs/*.md, and each one in a TSDoc comment of packages/*/src and packages/adapters/*/src,
// becomes a module of its own under a `.generated/examples` folder (gitignored), and one TypeScript
// program checks them all with the repo's compiler options and paths, so `@leadline/core`,
// `@leadline/core/testing`, `@leadline/postgres`... resolve to the sources. A block keeps its own
// imports: a name it uses and does not import or declare is an error.
//
// The fence's info string says what a block is:
//
//   ```ts            a complete example: checked on its own.
//   ```ts continued  goes on from the block before it on the same page (or in the same doc comment);
//                    the two are checked as one module, so a guide can explain a long example in parts.
//   ```ts excerpt    an outline of the API (names it uses may be defined nowhere): not checked.
//
// Any other word after `ts` is an error, so that a misspelt marker neither checks nor skips a block by
// accident. Other languages (```sh, ```json, a bare ```) are not TypeScript and are left alone.
//
// A block builds what it uses (`const engine = createEngine();`). When that would bury the point (a
// database connection, a row as the driver returned it), it declares the value with its type instead,
// in plain TypeScript, saying in a comment where it comes from:
//
//   declare const db: Database; // your connection, e.g. fromPool(pool)
//
// A TSDoc example about something `index.ts` does not export imports it by its path from the comment's
// own file (`import { x } from './x.js'`), as the code next to it does; the checker resolves such a path
// from the comment's folder.
//
// `pnpm lint` runs this check (`tsx scripts/check-examples.ts`); it prints each failing block as
// `file:line` of the offending line, the block's own line, and the compiler's message.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** A line of an example and where it came from. */
export interface SourceLine {
  text: string;
  /** The file the line is in, relative to the repository. */
  file: string;
  /** 1-based line in that file. */
  line: number;
}

/** One example as it is checked: a block, with any `continued` blocks after it. */
export interface Example {
  /** The file the example is in, relative to the repository. */
  file: string;
  /** 1-based line of its (first) opening fence. */
  line: number;
  /** `docs` for README.md and docs/*.md, `tsdoc` for a doc comment of a source file. */
  kind: 'docs' | 'tsdoc';
  lines: SourceLine[];
}

/** A block the checker refused before compiling anything (an unknown marker, a `continued` with nothing before it). */
export interface ExampleProblem {
  file: string;
  line: number;
  message: string;
}

/** A failed example: the compiler's message at a line of the example. */
export interface ExampleFailure {
  /** The example's first fence. */
  block: { file: string; line: number };
  /** The line the message is about (the block's own line for messages about no line). */
  at: { file: string; line: number };
  code: number;
  message: string;
}

const TS_LANGS = new Set(['ts', 'typescript']);
const MARKERS = new Set(['excerpt', 'continued']);
const FENCE = /^(\s*)```\s*([\w-]*)(.*)$/;

/**
 * The examples of one markdown text, its lines given with their place in the file (a doc comment's lines
 * come without their ` * `). Problems go to `problems`.
 *
 * @example
 * ```ts
 * import { examplesOfLines } from './check-examples.js';
 *
 * const problems: { file: string; line: number; message: string }[] = [];
 * const lines = ['```ts', "const a = 'x';", '```'].map((text, index) => ({ text, file: 'docs/a.md', line: index + 1 }));
 * examplesOfLines(lines, 'docs', problems); // one example of one line, at docs/a.md:1
 * ```
 */
export function examplesOfLines(lines: readonly SourceLine[], kind: Example['kind'], problems: ExampleProblem[]): Example[] {
  const examples: Example[] = [];
  let index = 0;
  while (index < lines.length) {
    const opening = lines[index] as SourceLine;
    const fence = FENCE.exec(opening.text);
    index += 1;
    if (!fence) continue;
    const [, indent = '', lang = '', rest = ''] = fence;
    const body: SourceLine[] = [];
    while (index < lines.length && !/^\s*```\s*$/.test((lines[index] as SourceLine).text)) {
      const line = lines[index] as SourceLine;
      body.push({ ...line, text: line.text.startsWith(indent) ? line.text.slice(indent.length) : line.text.trimStart() });
      index += 1;
    }
    index += 1; // the closing fence
    if (!TS_LANGS.has(lang)) continue;
    const words = rest.trim().split(/\s+/).filter(Boolean);
    const unknown = words.filter((word) => !MARKERS.has(word));
    if (unknown.length > 0 || words.length > 1) {
      problems.push({
        file: opening.file,
        line: opening.line,
        message: `unknown fence marker "${rest.trim()}": write \`\`\`ts, \`\`\`ts continued or \`\`\`ts excerpt`,
      });
      continue;
    }
    if (words[0] === 'excerpt') continue;
    if (words[0] === 'continued') {
      const previous = examples.at(-1);
      if (!previous) {
        problems.push({ file: opening.file, line: opening.line, message: '```ts continued has no ```ts block before it to continue' });
        continue;
      }
      previous.lines.push(...body);
      continue;
    }
    examples.push({ file: opening.file, line: opening.line, kind, lines: body });
  }
  return examples;
}

/** The examples of a markdown file. */
export function examplesOfMarkdown(text: string, file: string, problems: ExampleProblem[]): Example[] {
  const lines = text.split('\n').map((line, index) => ({ text: line, file, line: index + 1 }));
  return examplesOfLines(lines, 'docs', problems);
}

/** The examples in the doc comments (`/** ... *\/`) of a TypeScript source; each comment is a page of its own. */
export function examplesOfSource(text: string, file: string, problems: ExampleProblem[]): Example[] {
  const examples: Example[] = [];
  for (const match of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, match.index).split('\n').length;
    const lines = match[0].split('\n').map((line, index) => ({
      // ` * text` loses its ` * `; the opening `/**` and closing `*/` lose themselves.
      text: line
        .replace(/^\s*\/\*\*\s?/, '')
        .replace(/\s*\*\/\s*$/, '')
        .replace(/^\s*\*(?: |$)/, ''),
      file,
      line: firstLine + index,
    }));
    examples.push(...examplesOfLines(lines, 'tsdoc', problems));
  }
  return examples;
}

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** The folders whose `src` holds the sources of a package: `packages/*` and `packages/adapters/*`. */
function packageDirs(root: string): string[] {
  const dirs = (parent: string) =>
    existsSync(join(root, parent))
      ? readdirSync(join(root, parent))
          .map((name) => join(root, parent, name))
          .filter((path) => statSync(path).isDirectory())
      : [];
  return [...dirs('packages'), ...dirs('packages/adapters')].filter((dir) => existsSync(join(dir, 'src')) && statSync(join(dir, 'src')).isDirectory());
}

/** Every example of the repository: README.md, docs/*.md, then the doc comments of the packages' sources. */
export function examplesOf(root: string, problems: ExampleProblem[] = []): Example[] {
  const pages = [
    'README.md',
    ...readdirSync(join(root, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => `docs/${name}`),
  ];
  const docs = pages.flatMap((page) => examplesOfMarkdown(readFileSync(join(root, page), 'utf8'), page, problems));
  const sources = packageDirs(root)
    .flatMap((dir) => filesUnder(join(dir, 'src'), (path) => path.endsWith('.ts') && !path.endsWith('.d.ts')))
    .sort();
  const tsdoc = sources.flatMap((path) => examplesOfSource(readFileSync(path, 'utf8'), relative(root, path).split(sep).join('/'), problems));
  return [...docs, ...tsdoc];
}

/**
 * The folder an example's module is written to. A doc comment's example goes into its package
 * (`packages/<name>/.generated/examples`) so that the package's own dependencies resolve, and its relative
 * imports are rewritten to the comment's folder; a guide's goes to the repository's `.generated/examples`.
 */
function generatedDirOf(root: string, example: Example): string {
  if (example.kind === 'docs') return join(root, '.generated/examples');
  const packageDir = example.file.slice(0, example.file.indexOf('/src/'));
  return join(root, packageDir, '.generated/examples');
}

interface Module {
  example: Example;
  path: string;
  /** For each line of the module (0-based), the line of the example it came from. */
  origins: SourceLine[];
}

function moduleOf(root: string, example: Example, dir: string): Module {
  const path = join(dir, `${example.file.replace(/[^\w]+/g, '_')}_L${example.line}.ts`);
  const origins = example.lines.map((line) => {
    if (example.kind !== 'tsdoc') return line;
    // `./x.js` in a doc comment means the comment's own folder.
    const text = line.text.replace(/(\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\2/g, (_, keyword, quote, specifier) => {
      const target = relative(dir, resolve(root, dirname(example.file), specifier))
        .split(sep)
        .join('/');
      return `${keyword}${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
    });
    return { ...line, text };
  });
  return { example, path, origins };
}

function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    sourceMap: false,
    // A block without an import is a module all the same: its names never clash with another block's.
    moduleDetection: ts.ModuleDetectionKind.Force,
  };
}

/**
 * Writes each example to its module and type-checks them all in one program. Returns the failures, each
 * at the example's line it is about.
 *
 * @example
 * ```ts
 * import { checkExamples, examplesOf } from './check-examples.js';
 *
 * const failures = checkExamples('/path/to/repo', examplesOf('/path/to/repo'));
 * for (const { at, message } of failures) console.error(`${at.file}:${at.line}: ${message}`);
 * ```
 */
export function checkExamples(root: string, examples: readonly Example[]): ExampleFailure[] {
  const dirs = new Set(examples.map((example) => generatedDirOf(root, example)));
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const modules = examples.map((example) => moduleOf(root, example, generatedDirOf(root, example)));
  for (const module of modules) writeFileSync(module.path, `${module.origins.map((line) => line.text).join('\n')}\n`);

  const program = ts.createProgram(
    modules.map((module) => module.path),
    compilerOptions(root),
  );
  const failures: ExampleFailure[] = [];
  for (const diagnostic of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()]) {
    failures.push({
      block: { file: 'tsconfig.base.json', line: 1 },
      at: { file: 'tsconfig.base.json', line: 1 },
      code: diagnostic.code,
      message: messageOf(diagnostic),
    });
  }
  for (const module of modules) {
    const sourceFile = program.getSourceFile(module.path);
    const block = { file: module.example.file, line: module.example.line };
    if (!sourceFile) {
      failures.push({ block, at: block, code: 0, message: `the compiler did not read ${module.path}` });
      continue;
    }
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    for (const diagnostic of diagnostics) {
      const origin = diagnostic.start === undefined ? undefined : module.origins[sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line];
      failures.push({ block, at: origin ? { file: origin.file, line: origin.line } : block, code: diagnostic.code, message: messageOf(diagnostic) });
    }
  }
  return failures;
}

function messageOf(diagnostic: ts.Diagnostic): string {
  return ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
}

/** The failures and problems in words, one line each (`file:line: TS2304 ... (block at file:line)`). */
export function describeFailures(failures: readonly ExampleFailure[], problems: readonly ExampleProblem[] = []): string[] {
  return [
    ...problems.map(({ file, line, message }) => `${file}:${line}: ${message}`),
    ...failures.map(({ block, at, code, message }) => {
      const where = at.file === block.file && at.line === block.line ? '' : ` (block at ${block.file}:${block.line})`;
      return `${at.file}:${at.line}: TS${code} ${message}${where}`;
    }),
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const root = process.argv[2] ? resolve(process.argv[2]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems: ExampleProblem[] = [];
  const examples = examplesOf(root, problems);
  const failures = checkExamples(root, examples);
  const docs = examples.filter((example) => example.kind === 'docs').length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary = `examples: ${examples.length} checked (${docs} in README.md and docs, ${examples.length - docs} in TSDoc) in ${seconds}s`;
  const lines = describeFailures(failures, problems);
  if (lines.length > 0) {
    const failed = new Set([...failures.map(({ block }) => `${block.file}:${block.line}`), ...problems.map(({ file, line }) => `${file}:${line}`)]);
    process.stderr.write(`${lines.join('\n')}\n\n${summary}; ${failed.size} failing\n`);
    process.exit(1);
  }
  process.stdout.write(`${summary}; every one type-checks\n`);
}
